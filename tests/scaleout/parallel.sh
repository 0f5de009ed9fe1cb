#!/bin/bash
# GNU parallel driver (examples/scale-out/parallel.sh) against the
# single-machine pipeline, on generated leads:
#   1. --pipe-part over one file (one record per line: the generated
#      export without its multi-line records), one reducer: byte for byte;
#   2. shards cut on record boundaries (quoted newlines and all) by
#      mr.sh split-csv, read with --header-from, three reducers.
# Usage: bash tests/scaleout/parallel.sh BINDIR
. "$(dirname "$0")/common.sh"
command -v parallel > /dev/null 2>&1 || skip "GNU parallel is not installed (tests/setup.sh installs it)"
command -v mlr > /dev/null 2>&1 || skip "Miller is not installed (tests/setup.sh installs it)"
DRV=$ROOT/examples/scale-out/parallel.sh

# 1. --pipe-part: drop the records that span lines (an odd number of quotes
#    opens and closes them), so that every block is whole records.
awk '{ q = gsub(/"/, "\""); if (q % 2) { inrec = !inrec; next } if (!inrec) print }' \
	"$LEADS" > "$T/oneline.csv"
reference "$T/oneline.csv" "$T/ref1-leads.csv" "$T/ref1-report.csv"
REF_LEADS=$T/ref1-leads.csv REF_REPORT=$T/ref1-report.csv
bash "$DRV" -m "$MODEL" -d "$T/pipe-part" -r 1 -j 2 -b 300k -n $NOW "$T/oneline.csv" \
	> "$T/pipe-part.out" 2> "$T/pipe-part.err" || { tail "$T/pipe-part.err"; fail "parallel.sh --pipe-part failed"; }
check "--pipe-part, 1 reducer" "$T/pipe-part" exact
# It was split: more than one mapper ran (one counter line each).
nmap=$(grep -c "^reporter:counter:leadkit,rows_in," "$T/pipe-part.err" || true)
[ "$nmap" -ge 2 ] || fail "--pipe-part ran $nmap mapper(s): the input was not split"
echo "scaleout/$NAME: --pipe-part ran $nmap mappers"

# 2. Shards with --header-from, three reducers.
REF_LEADS=$T/ref-leads.csv REF_REPORT=$T/ref-report.csv
bash "$ROOT/examples/scale-out/mr.sh" split-csv 5 "$T/shards" "$LEADS" || fail "split-csv failed"
cat "$T/shards/header.csv" "$T/shards"/shard-*.csv | cmp -s - "$LEADS" &&
	fail "split-csv: the shards are the export itself, in order (round robin expected)"
[ "$(cat "$T/shards"/* | wc -c)" -eq "$(wc -c < "$LEADS")" ] || fail "split-csv lost or added bytes"
bash "$DRV" -m "$MODEL" -d "$T/shards-run" -r 3 -j 2 -n $NOW -H "$T/shards/header.csv" \
	"$T/shards"/shard-*.csv > "$T/shards.out" 2> "$T/shards.err" || { tail "$T/shards.err"; fail "parallel.sh over shards failed"; }
check "5 shards, 3 reducers" "$T/shards-run"
echo "scaleout/$NAME: ok"
