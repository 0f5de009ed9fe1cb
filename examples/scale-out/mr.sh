#!/bin/bash
# mr.sh - the map, shuffle and reduce steps of a scaled-out leadkit run,
# shared by slurm.sh and parallel.sh (and usable from any engine that runs
# shell commands).  No engine code: each step is a leadkit pipeline.
#
#   mr.sh split-csv N DIR FILE   cut a CSV export into DIR/header.csv and N
#                                header-less shards DIR/shard-K.csv on record
#                                boundaries (quoted newlines stay inside)
#   mr.sh map [INGEST-OPTION]... [FILE]
#                                lead-ingest --emit-key --partition $LK_REDUCERS:
#                                P<TAB>KEY<TAB>ROW lines on stdout
#   mr.sh bucket PREFIX          stdin: map output; writes PREFIX.part-P files
#                                (the prefix removed), one per partition
#   mr.sh map-to PREFIX [INGEST-OPTION]... [FILE]
#                                map, then bucket
#   mr.sh reduce [FILE]...       one partition's files from every mapper (or
#                                stdin): sort, merge duplicates (lead-ingest
#                                --dedupe --keyed --sorted), score, route,
#                                nurture (when the model has a nurture
#                                section); leads with their header on stdout
#   mr.sh partial FILE           lead-report --partial $LK_REPORT of FILE
#   mr.sh merge FILE...          lead-report --merge $LK_REPORT of partials
#   mr.sh cat FILE...            the reducers' leads as one CSV: the first
#                                file's header, then every file's rows
#
# Environment: LK_MODEL (model file, required), LK_REDUCERS (partitions,
# default 1), LK_NOW (the time leads are scored and routed as of, default
# the clock: set it so reruns are identical), LK_REPORT (report kind and
# options, default "funnel"), LK_BIN (where the lead-* binaries are, default
# PATH), LK_SORT (extra options for sort, e.g. "-S 2G -T /scratch"),
# LK_HEADER (for reducers whose input has no header lines, e.g. after
# Hadoop's shuffle: a file whose first line is the canonical header, as
# `lead-ingest -m MODEL --header-from HEADER /dev/null` writes it).
#
# The result does not depend on how the input was split, or in which order
# the mappers ran, when every routing pool of the model uses `method: hash`
# (round_robin, weighted and caps follow the order leads arrive in).
#
# bash for pipefail: a failed step fails the whole step, never a short file.
set -euo pipefail
[ -n "${LK_BIN:-}" ] && PATH=$LK_BIN:$PATH
R=${LK_REDUCERS:-1}
NOW=${LK_NOW:-}

model() {
	[ -n "${LK_MODEL:-}" ] || { echo "mr.sh: set LK_MODEL to the model file" >&2; exit 2; }
	echo "$LK_MODEL"
}

# The nurture step, when the model has nurture tracks (else the leads pass).
nurture() {
	if grep -q '^nurture:' "$1"; then
		lead-nurture -m "$1" ${NOW:+--now "$NOW"}
	else
		cat
	fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
split-csv)
	[ $# -eq 3 ] || { echo "usage: mr.sh split-csv N DIR FILE" >&2; exit 2; }
	mkdir -p "$2"
	# A record ends at a newline that closes an even number of quotes so
	# far ("" inside a quoted field counts twice).  Records go round robin.
	awk -v n="$1" -v dir="$2" '
	{
		q += gsub(/"/, "\"")
		rec = rec $0 "\n"
		if (q % 2) next
		if (nr++ == 0) { printf "%s", rec > (dir "/header.csv") }
		else { printf "%s", rec > sprintf("%s/shard-%d.csv", dir, (nr - 2) % n) }
		rec = ""; q = 0
	}
	END {
		if (rec != "") printf "%s", rec > sprintf("%s/shard-%d.csv", dir, (nr - 1) % n)
		for (k = 0; k < n; k++) printf "" >> sprintf("%s/shard-%d.csv", dir, k)
	}' "$3"
	;;
map)
	exec lead-ingest -m "$(model)" --emit-key --partition "$R" "$@"
	;;
map-to)
	[ $# -ge 1 ] || { echo "usage: mr.sh map-to PREFIX [INGEST-OPTION]... [FILE]" >&2; exit 2; }
	prefix=$1; shift
	"$0" map "$@" | "$0" bucket "$prefix"
	;;
bucket)
	[ $# -eq 1 ] || { echo "usage: mr.sh bucket PREFIX" >&2; exit 2; }
	awk -v p="$1" -v r="$R" '
	BEGIN { for (k = 0; k < r; k++) printf "" > (p ".part-" k) }
	{ t = index($0, "\t"); print substr($0, t + 1) > (p ".part-" substr($0, 1, t - 1)) }'
	;;
reduce)
	m=$(model)
	LC_ALL=C sort ${LK_SORT:-} "$@" |
		lead-ingest -m "$m" --dedupe --keyed --sorted ${LK_HEADER:+--header-from "$LK_HEADER"} |
		lead-score -m "$m" ${NOW:+--now "$NOW"} |
		lead-route -m "$m" ${NOW:+--now "$NOW"} |
		nurture "$m"
	;;
cat)
	# Canonical headers are one line (no newline in a column name).
	exec awk 'FNR > 1 || NR == 1' "$@"
	;;
partial)
	# shellcheck disable=SC2086
	exec lead-report -m "$(model)" --partial ${LK_REPORT:-funnel} "$@"
	;;
merge)
	# shellcheck disable=SC2086
	exec lead-report -m "$(model)" --merge ${LK_REPORT:-funnel} "$@"
	;;
*)
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
