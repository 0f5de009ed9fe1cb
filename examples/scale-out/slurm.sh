#!/bin/sh
# slurm.sh - run leadkit over shards on a Slurm cluster: an array job of
# mappers, a dependent array job of reducers, a final merge.
#
#   slurm.sh -m MODEL -d DIR [-r REDUCERS] [-H HEADER] [-n NOW] [-R REPORT]
#            [-w] [-- SBATCH-OPTION...] SHARD...
#
#   map (array task i, one per SHARD):
#     lead-ingest --emit-key --partition R [--header-from HEADER] SHARD_i
#       -> DIR/map-i.part-0 .. DIR/map-i.part-(R-1)
#   reduce (array task p, after every mapper succeeded):
#     LC_ALL=C sort DIR/map-*.part-p | lead-ingest --dedupe --keyed --sorted
#       | lead-score | lead-route | lead-nurture -> DIR/leads-p.csv
#     lead-report --partial REPORT DIR/leads-p.csv -> DIR/leads-p.agg
#   final (after every reducer succeeded):
#     DIR/leads.csv (every reducer's leads) and DIR/report.csv
#     (lead-report --merge REPORT of the partials)
#
# Options:
#   -m MODEL     the model; its routing pools should use `method: hash`
#   -d DIR       work and output directory, on a file system every node sees
#   -r N         reducers (partitions), default 2
#   -H HEADER    the shards have no header line: take it from HEADER's first
#                line (mr.sh split-csv makes such shards); without -H each
#                shard starts with its own header
#   -n NOW       score, route and nurture as of this time (default: the submit time,
#                so every task agrees)
#   -R REPORT    lead-report kind and options, default "funnel"
#   -w           wait until the final job ends; exit 1 unless it succeeded
#   -- ...       options for every sbatch (partition, account, time, ...)
#
# The lead-* binaries come from PATH (sbatch passes the environment on),
# or from LK_BIN.  The job ids are printed: map, reduce, final.
#
# Example (the same result as the single-machine pipeline
#   lead-ingest --emit-key export.csv | LC_ALL=C sort | lead-ingest --dedupe
#   --keyed --sorted | lead-score | lead-route | lead-nurture):
#   examples/scale-out/mr.sh split-csv 16 /shared/run export.csv
#   examples/scale-out/slurm.sh -m model.yaml -d /shared/run -r 4 \
#       -H /shared/run/header.csv -n 2026-11-20T12:00:00Z /shared/run/shard-*.csv
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MR=$here/mr.sh
model= dir= R=2 header= now= report=funnel wait=

usage() { sed -n '2,/^set -eu/s/^# \{0,1\}//p' "$0" | sed '$d' >&2; exit 2; }
while getopts m:d:r:H:n:R:wh opt; do
	case $opt in
	m) model=$(cd "$(dirname "$OPTARG")" && pwd)/$(basename "$OPTARG") ;;
	d) dir=$OPTARG ;;
	r) R=$OPTARG ;;
	H) header=$(cd "$(dirname "$OPTARG")" && pwd)/$(basename "$OPTARG") ;;
	n) now=$OPTARG ;;
	R) report=$OPTARG ;;
	w) wait=--wait ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
sb=
while [ $# -gt 0 ]; do
	case $1 in
	--) shift; break ;;
	-*) sb="$sb $1"; shift ;;	# sbatch options before the shards
	*) break ;;
	esac
done
[ -n "$model" ] && [ -n "$dir" ] && [ $# -gt 0 ] || usage
case $R in ''|*[!0-9]*|0) echo "slurm.sh: -r: a number of reducers, not '$R'" >&2; exit 2 ;; esac
mkdir -p "$dir/shards" "$dir/logs"
dir=$(cd "$dir" && pwd)
[ -n "$now" ] || now=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# The shard list, by task number (absolute paths: tasks start elsewhere).
n=0
for f in "$@"; do
	[ -r "$f" ] || { echo "slurm.sh: $f: cannot read" >&2; exit 1; }
	ln -sf "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$dir/shards/$n"
	n=$((n + 1))
done
rm -f "$dir"/map-* "$dir"/leads-* "$dir"/leads.csv* "$dir"/report.csv* "$dir"/logs/*

export LK_MODEL="$model" LK_REDUCERS="$R" LK_NOW="$now" LK_REPORT="$report"
[ -n "${LK_BIN:-}" ] && export LK_BIN

# shellcheck disable=SC2086
map=$(sbatch --parsable $sb --job-name=lk-map --array=0-$((n - 1)) \
	--output="$dir/logs/map-%a.log" \
	--wrap="'$MR' map-to '$dir/map-'\$SLURM_ARRAY_TASK_ID ${header:+--header-from '$header'} --counters '$dir/shards/'\$SLURM_ARRAY_TASK_ID")
map=${map%%;*}
# shellcheck disable=SC2086
red=$(sbatch --parsable $sb --job-name=lk-reduce --array=0-$((R - 1)) \
	--dependency=afterok:$map --kill-on-invalid-dep=yes \
	--output="$dir/logs/reduce-%a.log" \
	--wrap="set -e; p=\$SLURM_ARRAY_TASK_ID; '$MR' reduce '$dir'/map-*.part-\$p > '$dir/leads-'\$p.csv.tmp; mv '$dir/leads-'\$p.csv.tmp '$dir/leads-'\$p.csv; '$MR' partial '$dir/leads-'\$p.csv > '$dir/leads-'\$p.agg")
red=${red%%;*}
echo "map $map"
echo "reduce $red"
# shellcheck disable=SC2086
fin=$(sbatch --parsable $sb $wait --job-name=lk-final \
	--dependency=afterok:$red --kill-on-invalid-dep=yes \
	--output="$dir/logs/final.log" \
	--wrap="set -e; r=\$(seq 0 $((R - 1))); '$MR' cat \$(for p in \$r; do echo '$dir/leads-'\$p.csv; done) > '$dir/leads.csv.tmp'; '$MR' merge \$(for p in \$r; do echo '$dir/leads-'\$p.agg; done) > '$dir/report.csv.tmp'; mv '$dir/leads.csv.tmp' '$dir/leads.csv'; mv '$dir/report.csv.tmp' '$dir/report.csv'") ||
	{ rc=$?; echo "final ${fin%%;*}"; echo "slurm.sh: the run failed (exit $rc): see $dir/logs/" >&2; exit $rc; }
echo "final ${fin%%;*}"
if [ -n "$wait" ]; then
	# A job cancelled for a failed dependency can end sbatch --wait with 0:
	# the outputs, renamed into place last, say whether the run succeeded.
	if [ ! -f "$dir/report.csv" ]; then
		echo "slurm.sh: the run failed: no $dir/report.csv; the task logs are in $dir/logs/" >&2
		for j in ${map%%;*} ${red%%;*} ${fin%%;*}; do
			scontrol -o show job "$j" 2> /dev/null
		done | awk '{
			for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = substr($i, length(kv[1]) + 2) }
			if (f["JobState"] != "COMPLETED")
				printf "  %s%s: %s, exit %s\n", f["JobName"],
				    ("ArrayTaskId" in f) ? "[" f["ArrayTaskId"] "]" : "", f["JobState"], f["ExitCode"]
			delete f
		}' >&2
		exit 1
	fi
	echo "leads: $dir/leads.csv; report: $dir/report.csv"
fi
