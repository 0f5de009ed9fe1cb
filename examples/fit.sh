#!/bin/sh
# Tune a scoring model from real outcomes, check it on leads the fit
# never saw, compare it with the model in use, and calibrate it (conversion
# per score band, per threshold, per rule), with the tools on PATH.
#
#   sh examples/fit.sh Leads.csv
#
# Leads.csv: the X Education export (Kaggle, 9240 leads with a 0/1
# `Converted` column; ../shared/data/x-education/ in the leadkit tree).
# The leads are split in two halves by record number: the fit sees the
# odd ones, the comparison is made on the even ones.  Columns a rep fills
# in after the first contact would leak the outcome, so no rule is made
# from them.  Writes into $FIT_OUT (default: a temporary folder).
set -eu
leads=${1:?usage: fit.sh Leads.csv}
out=${FIT_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/leadkit-fit.XXXXXX")}
leak='Tags,Lead Quality,Lead Profile,Asymmetrique Activity Index,Asymmetrique Profile Index,Asymmetrique Activity Score,Asymmetrique Profile Score,Last Notable Activity'

# The model in use: six rules a marketer wrote by hand.
cat > "$out/live.yaml" << 'EOF'
# X Education: hand-written fit rules.
scoring:
  fit:
    - {rule: add-form, when: '${Lead Origin} in ["Lead Add Form", "Lead Import"]', points: 30}
    - {rule: referred, when: 'source in ["Reference", "Welingak Website"]', points: 15}
    - {rule: visits, when: 'number(${TotalVisits}) >= 5', points: 7.5}
    - {rule: time-on-site, when: 'number(${Total Time Spent on Website}) > 1000', points: 20}
    - {rule: working, when: '${What is your current occupation} == "Working Professional"', points: 25}
    - {rule: do-not-email, when: 'email_opt_out == "true"', points: -12.5}
  mql: 'score >= 40'
EOF

echo "== lead-ingest, then two halves: odd records to fit, even ones to test"
lead-ingest "$leads" > "$out/leads.csv" 2> /dev/null
awk 'NR == 1 || NR % 2 == 0' "$out/leads.csv" > "$out/train.csv"
awk 'NR == 1 || NR % 2 == 1' "$out/leads.csv" > "$out/test.csv"
wc -l < "$out/train.csv" | awk '{ print $1 - 1 " leads to fit on" }'

echo
echo "== lead-score --fit: the hand-written rules plus rules from the data"
lead-score -m "$out/live.yaml" --fit Converted --candidates auto --exclude "$leak" \
	--max-rules 20 --folds 5 --seed 1 -o "$out/tuned.yaml" "$out/train.csv" 2> "$out/fit.log"
grep '^lead-score: fit:' "$out/fit.log"
echo "the tuned model: $out/tuned.yaml"

echo
echo "== the test half: tuned against live (lead-score --baseline)"
lead-score -m "$out/tuned.yaml" --baseline "$out/live.yaml" -o "$out/compare.csv" "$out/test.csv"
# ROC AUC by ranks (ties share their mean rank), and the MQL funnel of
# each model, computed here from the scored rows alone.
mlr --icsv --onidx --ofs ' ' cut -o -f score,baseline_score,mql,baseline_mql,Converted \
	"$out/compare.csv" > "$out/cols.txt"
auc() {
	awk -v c="$1" '{ print $c, $5 }' "$out/cols.txt" | sort -g -k1,1 | awk '
	{ s[NR] = $1; y[NR] = $2 }
	END {
		n = NR; i = 1
		while (i <= n) {
			j = i; while (j < n && s[j + 1] == s[i]) j++
			for (k = i; k <= j; k++) if (y[k] == 1) { rs += (i + j) / 2; p++ }
			i = j + 1
		}
		printf "%.3f", (rs - p * (p + 1) / 2) / (p * (n - p))
	}'
}
funnel() {
	awk -v c="$1" '{ p += $5; if ($c == "yes") { m++; w += $5 } }
	END { printf "MQLs %d, reject rate %.1f%%, capture %.1f%%", m, 100 * (m - w) / m, 100 * w / p }' \
		"$out/cols.txt"
}
echo "tuned: ROC AUC $(auc 1), $(funnel 3)"
echo "live:  ROC AUC $(auc 2), $(funnel 4)"

echo
echo "== lead-report calibration: the tuned model on the test half"
lead-score -m "$out/tuned.yaml" --explain "$out/test.csv" 2> /dev/null |
	lead-report --outcome Converted -f table -o "$out/calibration.txt" calibration
head -n 3 "$out/calibration.txt"
echo "bands, thresholds and the lift of every rule: $out/calibration.txt"
