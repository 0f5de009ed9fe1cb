#!/bin/bash
# parallel.sh - run leadkit map and reduce steps with GNU parallel, on this
# machine or over ssh on several (-S).
#
#   parallel.sh -m MODEL -d DIR [-r REDUCERS] [-n NOW] [-R REPORT] [-j JOBS]
#               [-b BLOCK] [-S SSHLOGINS] INPUT
#   parallel.sh -m MODEL -d DIR [...] -H HEADER SHARD...
#
# One INPUT: `parallel --pipe-part` cuts it into blocks of BLOCK bytes at
# line ends, without reading it through one pipe, and repeats its header
# line at the top of every block (--header 1).  Blocks are cut at line ends,
# so INPUT must hold one record per line: an export whose quoted fields
# hold newlines is first cut into shards on record boundaries with
#   mr.sh split-csv N DIR export.csv
# and the shards given with -H DIR/header.csv (one mapper per shard, each
# reading its header with --header-from).
#
#   map:    lead-ingest --emit-key --partition R   (JOBS at a time, each host)
#   reduce: per partition p, here: LC_ALL=C sort | lead-ingest --dedupe
#           --keyed --sorted | lead-score | lead-route | lead-nurture -> DIR/leads-p.csv,
#           lead-report --partial -> DIR/leads-p.agg
#   final:  DIR/leads.csv and DIR/report.csv (lead-report --merge)
#
# Options: -r reducers (default 2), -n the time to score and route as of
# (default: now), -R lead-report kind and options (default funnel), -j jobs
# per host (default: one per core), -b block size (default 32M), -S the
# sshlogins of parallel(1), e.g. -S 4/node1,4/node2,: (":" is this machine).
# With -S every host needs the lead-* binaries on its PATH; the model is
# shipped with --basefile (to the same path, so give an absolute one or one
# relative to the home directory).  Map outputs come back over ssh and
# the reducers run here.
#
# The model's routing pools should use `method: hash`: the result is then
# the same as the single-machine
#   lead-ingest --emit-key INPUT | LC_ALL=C sort | lead-ingest --dedupe
#   --keyed --sorted | lead-score | lead-route | lead-nurture
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
MR=$here/mr.sh
model= dir= R=2 now= report=funnel jobs=100% block=32M hosts= header=

usage() { sed -n '2,/^set -e/s/^# \{0,1\}//p' "$0" | sed '$d' >&2; exit 2; }
while getopts m:d:r:n:R:j:b:S:H:h opt; do
	case $opt in
	m) model=$OPTARG ;;
	d) dir=$OPTARG ;;
	r) R=$OPTARG ;;
	n) now=$OPTARG ;;
	R) report=$OPTARG ;;
	j) jobs=$OPTARG ;;
	b) block=$OPTARG ;;
	S) hosts=$OPTARG ;;
	H) header=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$model" ] && [ -n "$dir" ] && [ $# -gt 0 ] || usage
[ $# -eq 1 ] || [ -n "$header" ] || { echo "parallel.sh: several inputs are shards: give -H HEADER" >&2; exit 2; }
case $R in ''|*[!0-9]*|0) echo "parallel.sh: -r: a number of reducers, not '$R'" >&2; exit 2 ;; esac
command -v parallel > /dev/null || { echo "parallel.sh: GNU parallel is not installed" >&2; exit 1; }
mkdir -p "$dir"
rm -f "$dir"/map.part-* "$dir"/leads-* "$dir/leads.csv" "$dir/report.csv"
[ -n "$now" ] || now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
export LK_MODEL="$model" LK_REDUCERS="$R" LK_NOW="$now" LK_REPORT="$report"

remote=()
[ -z "$hosts" ] || remote=(-S "$hosts" --basefile "$model")
map="lead-ingest -m '$model' --emit-key --partition $R --counters"
if [ -z "$header" ]; then
	parallel --will-cite --pipe-part -a "$1" --header 1 --block "$block" -j "$jobs" \
		"${remote[@]}" --halt now,fail=1 "$map" | "$MR" bucket "$dir/map"
else
	[ -z "$hosts" ] || remote+=(--basefile "$header" --transferfile {})
	parallel --will-cite -j "$jobs" "${remote[@]}" --halt now,fail=1 \
		"$map --header-from '$header' {}" ::: "$@" | "$MR" bucket "$dir/map"
fi

parallel --will-cite -j "$R" --halt now,fail=1 \
	"'$MR' reduce '$dir/map.part-{}' > '$dir/leads-{}.csv' && '$MR' partial '$dir/leads-{}.csv' > '$dir/leads-{}.agg'" \
	::: $(seq 0 $((R - 1)))
"$MR" cat $(for p in $(seq 0 $((R - 1))); do echo "$dir/leads-$p.csv"; done) > "$dir/leads.csv"
"$MR" merge $(for p in $(seq 0 $((R - 1))); do echo "$dir/leads-$p.agg"; done) > "$dir/report.csv"
echo "leads: $dir/leads.csv; report: $dir/report.csv"
