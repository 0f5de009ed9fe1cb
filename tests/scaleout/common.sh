# Shared by tests/scaleout/*.sh (sourced): generated leads, the example
# model with pools that assign by hash, and the single-machine reference
#   cat | map | LC_ALL=C sort | reduce
# that every scaled-out run must reproduce.
#
# Sets: ROOT, BIN (absolute), T (a private temporary directory, removed at
# exit along with what the caller adds to the `cleanup` function), MODEL,
# NOW, LEADS (messy export: BOM, CRLF, quoted newlines, 15% duplicates),
# REF_LEADS, REF_REPORT.  Needs BIN as $1.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "${1:?usage: $0 BINDIR}" && pwd)
PATH=$BIN:$PATH
export PATH
NAME=$(basename "$0" .sh)
ROWS=${SCALEOUT_ROWS:-30000}
NOW=2026-11-20T12:00:00Z
T=$(mktemp -d "${TMPDIR:-/tmp}/lk-scaleout.XXXXXX")
cleanup() { :; }
trap 'cleanup; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

fail() { echo "scaleout/$NAME: FAIL: $*"; exit 1; }
skip() { echo "scaleout/$NAME: SKIP: $*"; exit 0; }

${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$T/lead-gen" "$ROOT/tests/bench/gen.c" ||
	fail "cannot build tests/bench/gen.c"
LEADS=$T/leads.csv
"$T/lead-gen" leads "$ROWS" --seed 11 > "$LEADS" || fail "lead-gen failed"
# The example model, with every pool assigning by hash and no caps: those
# follow the order leads arrive in, which a split run does not keep.
MODEL=$T/model.yaml
sed 's/method: weighted/method: hash/; s/method: round_robin/method: hash/; s/, cap: [0-9a-z/]*//' \
	"$ROOT/examples/model.yaml" > "$MODEL"
# (nurture's `cap:` counts one lead's own touches: no order in it.)
grep -v '^  cap:' "$MODEL" | grep -q 'method: \(weighted\|round_robin\)\|cap:' &&
	fail "model still has order-dependent pools"

# reference INPUT OUT-LEADS OUT-REPORT: the single-machine run.
reference() {
	lead-ingest -m "$MODEL" --emit-key "$1" 2> /dev/null | LC_ALL=C sort |
		lead-ingest -m "$MODEL" --dedupe --keyed --sorted 2> /dev/null |
		lead-score -m "$MODEL" --now $NOW 2> /dev/null |
		lead-route -m "$MODEL" --now $NOW |
		lead-nurture -m "$MODEL" --now $NOW > "$2" 2> /dev/null || fail "reference pipeline failed"
	lead-report -m "$MODEL" funnel "$2" > "$3" 2> /dev/null || fail "reference report failed"
	[ "$(wc -l < "$2")" -gt $((ROWS / 2)) ] || fail "reference has too few leads"
}
REF_LEADS=$T/ref-leads.csv REF_REPORT=$T/ref-report.csv
reference "$LEADS" "$REF_LEADS" "$REF_REPORT"

# same_rows A B: the same rows, header and bytes, in any order (reducers
# each write their partition's leads in key order).  Miller sorts both by
# every column.
same_rows() {
	cols=$(head -n 1 "$1")
	[ "$cols" = "$(head -n 1 "$2")" ] || return 1
	mlr --csv sort -f "$cols" "$1" > "$T/a.sorted" && mlr --csv sort -f "$cols" "$2" > "$T/b.sorted" &&
		cmp -s "$T/a.sorted" "$T/b.sorted"
}

# check LABEL DIR [exact]: DIR/leads.csv and DIR/report.csv against the
# reference; exact: the leads byte for byte in the same order (one reducer).
check() {
	[ -s "$2/leads.csv" ] || fail "$1: no $2/leads.csv"
	cmp -s "$2/report.csv" "$REF_REPORT" || { diff "$REF_REPORT" "$2/report.csv" | head; fail "$1: report differs"; }
	if [ "${3:-}" = exact ]; then
		cmp -s "$2/leads.csv" "$REF_LEADS" || fail "$1: leads differ from the reference"
	else
		same_rows "$2/leads.csv" "$REF_LEADS" || fail "$1: leads differ from the reference"
	fi
	echo "scaleout/$NAME: $1: same leads ($(mlr --icsv --onidx count "$REF_LEADS") rows) and report as one machine"
}
