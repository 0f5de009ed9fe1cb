#!/bin/sh
# leadkit benchmarks (`make bench` runs `sh tests/bench/run.sh build/bin`).
#
# Generates messy HubSpot-style leads with the project's own generator
# (tests/bench/gen.c), then times every tool over the same file, each through
# runstat (wall time and the command's own peak RSS), and prints each time as
# rows/s, as a ratio to a libcsv parse-only pass over the same file in the
# same run (the floor this design can reach), and as a ratio to Miller doing
# the closest equivalent work when mlr is installed.
#
# Environment:
#   BENCH_ROWS=N   rows in the main file (default 1000000)
#   BENCH_SEED=S   generator seed (default 1)
#   BENCH_BIG=1    add a 5x size to the growth section
#   CC             compiler for the helpers (default cc)
#
# Generated files live in build/bench/ (git-ignored) and are reused while
# their row count, seed and generator source are unchanged.
#
# To benchmark a new tool, add one line to the "Benchmarks" section below:
#   bench  LABEL cmd [args...]        cmd < input > /dev/null
#   miller LABEL mlr [args...]        Miller's counterpart of LABEL
#   target LABEL N                    flag LABEL when slower than N x parse-only
#   input  FILE                       input for the benches that follow

set -u

BIN=${1:-build/bin}
ROWS=${BENCH_ROWS:-1000000}
SEED=${BENCH_SEED:-1}
BIG=${BENCH_BIG:-0}
CC=${CC:-cc}
OUT=build/bench
HERE=tests/bench
HFLAGS="-O2 -std=c11 -Wall -Wextra -D_POSIX_C_SOURCE=200809L"

die() { echo "bench: $*" >&2; exit 1; }

[ -f "$HERE/gen.c" ] || die "run from the top of the leadkit tree"
mkdir -p "$OUT" || die "cannot create $OUT"

# ---- helpers -------------------------------------------------------------
$CC $HFLAGS -o "$OUT/lead-gen" "$HERE/gen.c" || die "cannot build lead-gen"
$CC $HFLAGS -o "$OUT/runstat" "$HERE/runstat.c" || die "cannot build runstat"
$CC $HFLAGS -o "$OUT/parse_only" "$HERE/parse_only.c" -lcsv ||
	die "cannot build parse_only (is libcsv-dev installed? try 'make setup')"

# A short name for a row count: 100000 -> 100k, 1000000 -> 1m.
size_name() {
	if [ $(($1 % 1000000)) -eq 0 ]; then echo "$(($1 / 1000000))m"
	elif [ $(($1 % 1000)) -eq 0 ]; then echo "$(($1 / 1000))k"
	else echo "$1"; fi
}

# leads_file N: the path of an N-row leads file, generated unless a file
# with the same rows, seed and generator is already there.
leads_file() {
	f="$OUT/leads-$(size_name "$1").csv"
	stamp="rows=$1 seed=$SEED gen=$(cksum < "$HERE/gen.c" | cut -d' ' -f1)"
	if [ ! -f "$f" ] || [ "$(cat "$f.stamp" 2>/dev/null)" != "$stamp" ]; then
		echo "generating $f ($1 rows, seed $SEED)" >&2
		"$OUT/lead-gen" leads "$1" --seed "$SEED" > "$f.tmp" || die "lead-gen failed"
		mv "$f.tmp" "$f" && echo "$stamp" > "$f.stamp"
	fi
	echo "$f"
}

TSV=$OUT/results.tsv	# runstat's lines: label wall maxrss_kib status
PAIRS=$OUT/pairs.tsv	# label -> Miller label
TARGETS=$OUT/targets.tsv	# label -> max ratio to parse-only
NOTES=$OUT/notes.txt	# skipped benchmarks
DATA=

input() { DATA=$1; cat "$DATA" > /dev/null; }	# also warms the page cache

# bench LABEL cmd [args...]: run cmd < $DATA > /dev/null through runstat.
bench() {
	label=$1; shift
	if ! command -v "$1" > /dev/null 2>&1; then
		echo "$label: skipped, $1 is not built yet" >> "$NOTES"
		return 0
	fi
	"$OUT/runstat" "$TSV" "$label" -- "$@" < "$DATA" > /dev/null 2> "$OUT/$label.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "$label: exit $rc, stderr in $OUT/$label.err:" >> "$NOTES"
		head -n 3 "$OUT/$label.err" | sed 's/^/    /' >> "$NOTES"
	fi
	return 0
}

# miller LABEL cmd...: Miller's closest equivalent of benchmark LABEL.
miller() {
	label=$1; shift
	if ! command -v mlr > /dev/null 2>&1; then
		echo "mlr:$label: skipped, mlr is not installed" >> "$NOTES"
		return 0
	fi
	printf '%s\tmlr:%s\n' "$label" "$label" >> "$PAIRS"
	bench "mlr:$label" "$@"
}

target() { printf '%s\t%s\n' "$1" "$2" >> "$TARGETS"; }

# report TSV ROWS: the table of one run.
report() {
	awk -F '\t' -v rows="$2" -v pairs="$PAIRS" -v targets="$TARGETS" '
	BEGIN {
		while ((getline l < pairs) > 0) { split(l, a, "\t"); mlr[a[1]] = a[2] }
		while ((getline l < targets) > 0) { split(l, a, "\t"); tgt[a[1]] = a[2] }
	}
	{ n++; lab[n] = $1; wall[$1] = $2; rss[$1] = $3; st[$1] = $4 }
	END {
		base = wall["parse-only"]; brss = rss["parse-only"]
		printf "%-20s %8s %11s %9s %8s %8s %8s  %s\n", "label", "wall s", "rows/s",
		    "peak MiB", "x parse", "x mem", "x mlr", "note"
		for (i = 1; i <= n; i++) {
			l = lab[i]; w = wall[l]
			xp = (base > 0) ? sprintf("%.2f", w / base) : "-"
			xm = (brss > 0) ? sprintf("%.1f", rss[l] / brss) : "-"
			xl = (l in mlr && wall[mlr[l]] > 0) ? sprintf("%.2f", w / wall[mlr[l]]) : "-"
			note = ""
			if (st[l] != 0) note = "FAILED (exit " st[l] ")"
			else if (l in tgt && base > 0)
				note = (w / base <= tgt[l]) ? "target <= " tgt[l] "x: ok" : "target <= " tgt[l] "x: MISSED"
			printf "%-20s %8.3f %11.0f %9.1f %8s %8s %8s  %s\n", l, w,
			    (w > 0 ? rows / w : 0), rss[l] / 1024, xp, xm, xl, note
		}
	}' "$1"
}

: > "$TSV"; : > "$PAIRS"; : > "$TARGETS"; : > "$NOTES"

MAIN=$(leads_file "$ROWS") || exit 1
echo "leadkit benchmark: $ROWS leads ($(size_name "$ROWS")), seed $SEED," \
	"$(($(wc -c < "$MAIN") / 1000000)) MB, $(uname -m), $(nproc 2>/dev/null || echo '?') cpus"
command -v mlr > /dev/null 2>&1 && echo "miller: $(mlr --version)"
echo

# ---- Benchmarks ------------------------------------------------------------
# One line per benchmark. Miller needs --allow-ragged-csv-input because the
# generated export, like real ones, has a few short rows; it groups on the raw
# Email value, so it merges fewer duplicates than lead-ingest does.
input "$MAIN"
bench  parse-only      "$OUT/parse_only"
bench  ingest          "$BIN/lead-ingest"
bench  ingest-dedupe   "$BIN/lead-ingest" --dedupe
miller ingest          mlr --icsv --ocsv --allow-ragged-csv-input cat
miller ingest-dedupe   mlr --icsv --ocsv --allow-ragged-csv-input head -n 1 -g Email
target ingest          3
target ingest-dedupe   4

report "$TSV" "$ROWS"
[ -s "$NOTES" ] && { echo; cat "$NOTES"; }

# ---- Growth: time per row should stay flat as the input grows -------------
SIZES="$((ROWS / 10)) $ROWS"
[ "$BIG" = 1 ] && SIZES="$SIZES $((ROWS * 5))"
echo
echo "growth (time per row should stay flat):"
GT=$OUT/growth.tsv
: > "$GT"; : > "$NOTES"
for n in $SIZES; do
	input "$(leads_file "$n")" || exit 1
	TSV=$GT
	bench "parse-only@$(size_name "$n")" "$OUT/parse_only"
	bench "ingest@$(size_name "$n")" "$BIN/lead-ingest"
done
awk -F '\t' '
	{ split($1, a, "@"); n = a[2]; rows = n
	  sub(/k$/, "000", rows); sub(/m$/, "000000", rows)
	  printf "%-20s %8.3f s %9.1f ns/row %9.1f MiB%s\n", $1, $2, $2 * 1e9 / rows,
	      $3 / 1024, ($4 != 0 ? "  FAILED (exit " $4 ")" : "") }' "$GT"
[ -s "$NOTES" ] && { echo; cat "$NOTES"; }
exit 0
