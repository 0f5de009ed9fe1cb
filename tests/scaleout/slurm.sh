#!/bin/bash
# The Slurm driver (examples/scale-out/slurm.sh) on a real Slurm: a private
# slurmctld and slurmd on loopback (one node, AuthType=auth/none, the
# configuration in a temporary directory, daemons in the foreground as
# children of this script and stopped at exit), then
#   1. 6 header-less shards (mr.sh split-csv, --header-from), 3 reducers:
#      the same leads and the same report bytes as one machine;
#   2. the same shards, 1 reducer: the leads byte for byte;
#   3. a broken reducer: the driver fails and names it, and leaves no output.
# Skips, saying why, when Slurm is not installed or we are not root (slurmd
# must be).  Usage: bash tests/scaleout/slurm.sh BINDIR
. "$(dirname "$0")/common.sh"
for c in slurmctld slurmd sbatch sinfo; do
	command -v $c > /dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
	command -v $c > /dev/null 2>&1 ||
		skip "$c is not installed (tests/setup.sh installs slurmctld, slurmd and slurm-client)"
done
command -v mlr > /dev/null 2>&1 || skip "Miller is not installed (tests/setup.sh installs it)"
[ "$(id -u)" = 0 ] || skip "slurmd must run as root (run as root to test the Slurm driver)"

# ---- a one-node Slurm on loopback ------------------------------------------
S=$T/slurm
mkdir -p "$S/state" "$S/spool"
# A private pair of ports that nothing listens on.
in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
port=$((20000 + $$ % 20000))
while in_use $port || in_use $((port + 1)); do
	port=$((port + 2))
	[ $port -lt 65000 ] || fail "no free pair of ports for slurmctld and slurmd"
done
cpus=$(nproc 2> /dev/null || echo 1)
cat > "$S/slurm.conf" << EOF2
ClusterName=leadkit-test
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=lk1 NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=512 State=UNKNOWN
PartitionName=lk Nodes=lk1 Default=YES MaxTime=60 State=UP
EOF2
SLURM_CONF=$S/slurm.conf
export SLURM_CONF
ctld= d=
cleanup() {
	# Our own daemons only, by the pids we started.
	[ -z "$d" ] || kill "$d" 2> /dev/null
	[ -z "$ctld" ] || kill "$ctld" 2> /dev/null
	[ -z "$d$ctld" ] || wait 2> /dev/null
	return 0
}
start=$(date +%s)
slurmctld -D -i -f "$SLURM_CONF" > "$S/slurmctld.out" 2>&1 &
ctld=$!
slurmd -D -N lk1 -f "$SLURM_CONF" > "$S/slurmd.out" 2>&1 &
d=$!
state=
for i in $(seq 1 60); do
	state=$(sinfo -h -n lk1 -o %t 2> /dev/null || true)
	[ "$state" = idle ] && break
	kill -0 "$ctld" 2> /dev/null && kill -0 "$d" 2> /dev/null || break
	sleep 1
done
if [ "$state" != idle ]; then
	tail -n 5 "$S/slurmctld.out" "$S/slurmd.out"
	fail "Slurm did not come up (node state '${state:-none}' after ${i}s)"
fi
echo "scaleout/$NAME: Slurm up in $(($(date +%s) - start)) s"

# ---- the driver --------------------------------------------------------------
MR=$ROOT/examples/scale-out/mr.sh
DRV=$ROOT/examples/scale-out/slurm.sh
bash "$MR" split-csv 6 "$T/shards" "$LEADS" || fail "split-csv failed"
run() {	# run LABEL DIR REDUCERS
	timeout 300 bash "$DRV" -m "$MODEL" -d "$2" -r "$3" -n $NOW -w -H "$T/shards/header.csv" \
		"$T/shards"/shard-*.csv > "$T/$3.out" 2>&1 ||
		{ cat "$T/$3.out"; tail -n 3 "$2"/logs/*.log; fail "$1: slurm.sh failed"; }
	# Every task ran under Slurm: one log per mapper, reducer and the merge.
	[ "$(ls "$2"/logs/map-*.log | wc -l)" -eq 6 ] || fail "$1: not 6 mapper logs"
	[ "$(ls "$2"/logs/reduce-*.log | wc -l)" -eq "$3" ] || fail "$1: not $3 reducer logs"
	grep -q '^reporter:counter:leadkit,rows_in,' "$2/logs/map-0.log" || fail "$1: no mapper counters"
}
run "6 shards, 3 reducers" "$T/r3" 3
check "6 shards, 3 reducers" "$T/r3"
run "6 shards, 1 reducer" "$T/r1" 1
check "6 shards, 1 reducer" "$T/r1" exact
# 3. A failing reducer fails the run: exit 1, no outputs, the failed tasks
#    named (a lead-score that fails stands in for any broken step).
mkdir -p "$T/broken"
printf '#!/bin/sh\necho "lead-score: broken on purpose" >&2\nexit 1\n' > "$T/broken/lead-score"
chmod +x "$T/broken/lead-score"
PATH=$T/broken:$PATH timeout 300 bash "$DRV" -m "$MODEL" -d "$T/bad" -r 2 -n $NOW -w \
	-H "$T/shards/header.csv" "$T/shards"/shard-*.csv > "$T/bad.out" 2>&1 &&
	fail "a run whose reducers fail exited 0"
[ -e "$T/bad/report.csv" ] || [ -e "$T/bad/leads.csv" ] && fail "a failed run left outputs"
grep -q 'lk-reduce\[0\]: FAILED' "$T/bad.out" || { cat "$T/bad.out"; fail "the failed reducer is not named"; }
echo "scaleout/$NAME: a failing reducer fails the run (exit 1, no outputs)"
echo "scaleout/$NAME: ok in $(($(date +%s) - start)) s"
