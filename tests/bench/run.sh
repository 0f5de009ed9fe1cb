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
# A dedupe table times lead-ingest --dedupe on every export shape the
# generator makes (classic, hubspot, salesforce, wide: see gen.c) at a low
# and a high duplicate rate (1% and 20%), each against a parse-only pass
# over the same file, and gives its peak RSS as a multiple of the input's
# size: in-memory dedupe holds every row, so that is the figure to watch.
#
# A nurture table times lead-nurture over the canonical leads with 2 x
# BENCH_ROWS activities over them, against the leads' parse-only pass plus
# the activities' aggregation.
#
# A second table times lead-score's engagement rules: 2 x BENCH_ROWS
# generated activities over BENCH_ROWS / 10 leads (2M over 100k by default),
# both put through lead-ingest first (outside the timed command), as a
# pipeline would; its rows/s are activities aggregated per second.
#
# Environment:
#   BENCH_ROWS=N   rows in the main file (default 1000000)
#   BENCH_SEED=S   generator seed (default 1)
#   BENCH_BIG=1    add a 5x size (5M rows by default) to the growth section
#   BENCH_OUT=DIR  where generated files and results go (default build/bench);
#                  a private one keeps concurrent runs on a shared machine apart
#   BENCH_ONLY=dedupe  run the dedupe table alone (while working on dedupe)
#   BENCH_SHAPES="classic hubspot salesforce wide", BENCH_DUPS="1 20"
#                  the shapes and duplicate rates (%) of the dedupe table
#   CC             compiler for the helpers (default cc)
#
# Generated files live in build/bench/ (git-ignored) and are reused while
# their row count, seed and generator source are unchanged; so are the
# models and the Miller script the scoring benchmarks use, written there by
# this script (score-fit.yaml, score-fit.mlr, score-engagement.yaml).
#
# To benchmark a new tool, add one line to the "Benchmarks" section below:
#   bench  LABEL cmd [args...]        cmd < input > /dev/null
#   miller LABEL mlr [args...]        Miller's counterpart of LABEL
#   target LABEL N                    flag LABEL when slower than N x parse-only
#   target_rate LABEL N               flag LABEL when under N rows/s
#   target_mem LABEL MIB              flag LABEL when its peak RSS passes MIB
#   input  FILE                       input for the benches that follow

set -u

BIN=${1:-build/bin}
ROWS=${BENCH_ROWS:-1000000}
SEED=${BENCH_SEED:-1}
ONLY=${BENCH_ONLY:-}
SHAPES=${BENCH_SHAPES:-classic hubspot salesforce wide}
DUPS=${BENCH_DUPS:-1 20}
BIG=${BENCH_BIG:-0}
CC=${CC:-cc}
OUT=${BENCH_OUT:-build/bench}
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

# shape_file SHAPE PCT N: the path of an N-row export of the generator's
# SHAPE with PCT% duplicate rows, generated unless already there.
shape_file() {
	f="$OUT/leads-$1-d$2-$(size_name "$3").csv"
	stamp="shape=$1 dups=$2 rows=$3 seed=$SEED gen=$(cksum < "$HERE/gen.c" | cut -d' ' -f1)"
	if [ ! -f "$f" ] || [ "$(cat "$f.stamp" 2>/dev/null)" != "$stamp" ]; then
		echo "generating $f ($3 $1 rows, $2% duplicates, seed $SEED)" >&2
		"$OUT/lead-gen" leads "$3" --shape "$1" --dups "$2" --seed "$SEED" > "$f.tmp" ||
			die "lead-gen failed"
		mv "$f.tmp" "$f" && echo "$stamp" > "$f.stamp"
	fi
	echo "$f"
}

# activities_file N M: the path of N generated activities over the first M
# leads, generated unless the same file is already there.
activities_file() {
	f="$OUT/activities-$(size_name "$1")-$(size_name "$2").csv"
	stamp="acts=$1 leads=$2 seed=$SEED gen=$(cksum < "$HERE/gen.c" | cut -d' ' -f1)"
	if [ ! -f "$f" ] || [ "$(cat "$f.stamp" 2>/dev/null)" != "$stamp" ]; then
		echo "generating $f ($1 activities over $2 leads, seed $SEED)" >&2
		"$OUT/lead-gen" activities "$1" --leads "$2" --seed "$SEED" > "$f.tmp" ||
			die "lead-gen failed"
		mv "$f.tmp" "$f" && echo "$stamp" > "$f.stamp"
	fi
	echo "$f"
}

# canonical FILE [--activities]: FILE through this build's lead-ingest, as
# a pipeline feeds lead-score (redone every run: ingest may have changed).
canonical() {
	f="${1%.csv}.canon.csv"
	"$BIN/lead-ingest" ${2:+"$2"} -o "$f" "$1" 2> /dev/null || return 1
	echo "$f"
}

# ---- models for the scoring benchmarks -------------------------------------
# Seven fit rules on the generated export's own headers, as issue 3 asks:
# title regexes, industry and employee lists, free-mail domain, country and
# source lists.  score-fit.mlr is the same model as one Miller `put`; on
# every generated file both give the same score, grade and mql per row.
NOW=2026-11-20T00:00:00Z	# the generator dates activities before this
cat > "$OUT/score-fit.yaml" << 'EOF'
scoring:
  fit:
    - {rule: senior-title, when: '${Job Title} ~* "\b(vp|svp|vice president|chief|director|head|ceo|cto|cfo|cmo|coo)\b"', points: 20}
    - {rule: student, when: '${Job Title} ~* "student|intern"', points: -30}
    - {rule: industry, when: 'Industry in ["Computer Software", "Information Technology and Services", "Financial Services", "Internet"]', points: 10}
    - {rule: mid-market, when: '${Number of Employees} in ["201-500", "501-1000", "1001-5000", "5001-10000", "5000+", "10000+", "10,001+", "1,000", "250"]', points: 15}
    - {rule: free-mail, when: 'domain(Email) in ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"]', points: -10}
    - {rule: core-country, when: '${Country/Region} in ["US", "GB", "DE", "CA"]', points: 5}
    - {rule: source, when: '${Original Source} in ["Paid Search", "Referrals", "Organic Search"]', points: 5}
  grades: {A: 30, B: 15, C: 5}
  mql: 'score >= 30 and grade in ["A", "B"]'
EOF
# Miller 6.6 fails haskey() on an empty key, hence member(); s() reads a
# field a short (ragged) row lacks as "".
cat > "$OUT/score-fit.mlr" << 'EOF'
begin {
  @ind = {"Computer Software": 1, "Information Technology and Services": 1, "Financial Services": 1, "Internet": 1};
  @emp = {"201-500": 1, "501-1000": 1, "1001-5000": 1, "5001-10000": 1, "5000+": 1, "10000+": 1, "10,001+": 1, "1,000": 1, "250": 1};
  @free = {"gmail.com": 1, "yahoo.com": 1, "hotmail.com": 1, "outlook.com": 1};
  @ctry = {"US": 1, "GB": 1, "DE": 1, "CA": 1};
  @src = {"Paid Search": 1, "Referrals": 1, "Organic Search": 1};
}
func s(x) { return is_present(x) ? string(x) : "" }
func member(map m, str v): bool { return v != "" && haskey(m, v) }
t = s(${Job Title});
e = s($Email);
fit = 0;
if (t =~ "\b(vp|svp|vice president|chief|director|head|ceo|cto|cfo|cmo|coo)\b"i) { fit += 20 }
if (t =~ "student|intern"i) { fit -= 30 }
if (member(@ind, s($Industry))) { fit += 10 }
if (member(@emp, s(${Number of Employees}))) { fit += 15 }
if (e =~ "@" && member(@free, tolower(strip(sub(e, "^.*@", ""))))) { fit -= 10 }
if (member(@ctry, s(${Country/Region}))) { fit += 5 }
if (member(@src, s(${Original Source}))) { fit += 5 }
grade = fit >= 30 ? "A" : fit >= 15 ? "B" : fit >= 5 ? "C" : "D";
$score = fmtnum(fit, "%.1f");
$fit = fmtnum(fit, "%.1f");
$engagement = "0.0";
$grade = grade;
$mql = (fit >= 30 && (grade == "A" || grade == "B")) ? "yes" : "no";
EOF
# Engagement rules over every generated activity kind but email_sent.
cat > "$OUT/score-engagement.yaml" << 'EOF'
scoring:
  engagement:
    - {rule: demo, activity: demo_request, points: 30, half_life: 14d, window: 90d}
    - {rule: pricing, activity: pricing_page, points: 10, half_life: 14d, window: 60d, cap: 30}
    - {rule: webinar, activity: webinar_attended, points: 12, half_life: 30d, window: 180d, cap: 36}
    - {rule: download, activity: content_download, points: 5, half_life: 30d, window: 180d, cap: 15}
    - {rule: form, activity: form_submit, points: 8, half_life: 30d, window: 120d, cap: 24}
    - {rule: email, activity: [email_click, email_open], points: 2, half_life: 14d, window: 90d, cap: 10}
    - {rule: unsubscribe, activity: unsubscribe, points: -20}
  mql: 'engagement >= 40'
EOF

TSV=$OUT/results.tsv	# runstat's lines: label wall maxrss_kib status
PAIRS=$OUT/pairs.tsv	# label -> Miller label
TARGETS=$OUT/targets.tsv	# label, kind (x, rate, mem) -> limit
NOTES=$OUT/notes.txt	# skipped benchmarks
DATA=

cat > "$OUT/pipeline.yaml" << 'EOF'
# The per-lead benchmark model on canonical columns: lead-score makes the
# scored input (untimed), lead-route runs its 10 rules over 3 pools.
scoring:
  fit:
    - {rule: senior, when: 'title ~* "\b(vp|chief|director|head)\b"', points: 20}
    - {rule: student, when: 'title ~* "student|intern"', points: -30}
    - {rule: size, when: 'number(employees) >= 200', points: 15}
    - {rule: free-mail, when: 'domain(email) in ["gmail.com", "yahoo.com", "hotmail.com"]', points: -10}
    - {rule: core, when: 'country in ["US", "GB", "DE", "CA"]', points: 5}
  grades: {A: 30, B: 15, C: 5}
  mql: 'score >= 25 and grade in ["A", "B"]'
routing:
  calendar: {tz: America/New_York, days: mon-fri, hours: "09:00-17:00"}
  rules:
    - {rule: no-email, when: 'empty(email)', route: hold}
    - {rule: student, when: 'title ~* "student|intern"', route: disqualify}
    - {rule: free-mail, when: 'domain(email) in ["gmail.com", "yahoo.com"] and not mql', route: nurture}
    - {rule: recycled, route: nurture, max_recycles: 3}
    - {rule: hot-amer, when: 'mql and country in ["US", "CA"]', route: sales, pool: amer, sla: 4h}
    - {rule: hot-emea, when: 'mql and country in ["GB", "DE", "FR", "NL", "ES"]', route: sales, pool: emea, sla: 8h}
    - {rule: hot-rest, when: 'mql', route: sales, pool: rest, sla: 1d}
    - {rule: grade-a, when: 'grade == "A"', route: nurture}
    - {rule: big, when: 'number(employees) >= 1000', route: nurture}
    - {rule: default, route: nurture}
  pools:
    amer: {method: weighted, reps: [{id: alice, weight: 2}, {id: bob}, {id: dev}]}
    emea: {method: round_robin, reps: [erin, femi, gus]}
    rest: {method: hash, reps: [hana, ivan]}
EOF

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

target() { printf '%s\tx\t%s\n' "$1" "$2" >> "$TARGETS"; }
target_rate() { printf '%s\trate\t%s\n' "$1" "$2" >> "$TARGETS"; }
target_mem() { printf '%s\tmem\t%s\n' "$1" "$2" >> "$TARGETS"; }

# report TSV ROWS: the table of one run.
report() {
	awk -F '\t' -v rows="$2" -v pairs="$PAIRS" -v targets="$TARGETS" '
	BEGIN {
		while ((getline l < pairs) > 0) { split(l, a, "\t"); mlr[a[1]] = a[2] }
		while ((getline l < targets) > 0) {
			split(l, a, "\t"); nt++; tl[nt] = a[1]; tk[nt] = a[2]; tv[nt] = a[3]
		}
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
			else for (t = 1; t <= nt; t++) {
				if (tl[t] != l) continue
				if (tk[t] == "x" && base > 0)
					v = "<= " tv[t] "x parse: " (w / base <= tv[t] ? "ok" : "MISSED")
				else if (tk[t] == "rate" && w > 0)
					v = ">= " tv[t] "/s: " (rows / w >= tv[t] ? "ok" : "MISSED")
				else if (tk[t] == "mem")
					v = "<= " tv[t] " MiB: " (rss[l] / 1024 <= tv[t] ? "ok" : "MISSED")
				else continue
				note = note (note == "" ? "target " : "; ") v
			}
			printf "%-20s %8.3f %11.0f %9.1f %8s %8s %8s  %s\n", l, w,
			    (w > 0 ? rows / w : 0), rss[l] / 1024, xp, xm, xl, note
		}
	}' "$1"
}

: > "$TSV"; : > "$PAIRS"; : > "$TARGETS"; : > "$NOTES"

# ---- Dedupe on every shape of export ---------------------------------------
# lead-ingest --dedupe against a parse-only pass over the same file, per
# shape and duplicate rate; "x input" is the peak RSS over the file's size.
# Targets: at most 3.5 x parse-only, at most 1.2 x the input's size.
dedupe_shapes() {
	echo
	echo "dedupe by export shape ($(size_name "$ROWS") rows each; x input = peak RSS / file size):"
	DTSV=$OUT/dedupe.tsv
	: > "$DTSV"; : > "$DTSV.size"; : > "$NOTES"
	TSV=$DTSV
	for shape in $SHAPES; do
		for pct in $DUPS; do
			f=$(shape_file "$shape" "$pct" "$ROWS") || exit 1
			printf '%s-d%s\tsize\t%s\n' "$shape" "$pct" "$(wc -c < "$f")" >> "$DTSV.size"
			input "$f"
			bench "parse:$shape-d$pct" "$OUT/parse_only"
			bench "dedupe:$shape-d$pct" "$BIN/lead-ingest" --dedupe
		done
	done
	awk -F '\t' -v sizes="$DTSV.size" '
	BEGIN { while ((getline l < sizes) > 0) { split(l, a, "\t"); size[a[1]] = a[3] } }
	{
		split($1, a, ":"); k = a[2]
		if (a[1] == "parse") pw[k] = $2
		else { n++; key[n] = k; w[k] = $2; rss[k] = $3; st[k] = $4 }
	}
	END {
		printf "%-16s %8s %8s %8s %9s %9s %8s  %s\n", "export", "MB", "parse s",
		    "dedupe s", "x parse", "peak MiB", "x input", "note"
		for (i = 1; i <= n; i++) {
			k = key[i]; xp = pw[k] > 0 ? w[k] / pw[k] : 0
			xi = size[k] > 0 ? rss[k] * 1024 / size[k] : 0
			note = st[k] != 0 ? "FAILED (exit " st[k] ")" : \
			    "target <= 3.5x parse: " (xp <= 3.5 ? "ok" : "MISSED") \
			    "; <= 1.2x input: " (xi <= 1.2 ? "ok" : "MISSED")
			printf "%-16s %8.0f %8.3f %8.3f %9.2f %9.1f %8.2f  %s\n", k, size[k] / 1e6,
			    pw[k], w[k], xp, rss[k] / 1024, xi, note
		}
	}' "$DTSV"
	rm -f "$DTSV.size"
	[ -s "$NOTES" ] && { echo; cat "$NOTES"; }
	return 0
}

if [ "$ONLY" = dedupe ]; then
	echo "leadkit dedupe benchmark: seed $SEED, $(uname -m), $(nproc 2>/dev/null || echo '?') cpus"
	dedupe_shapes
	exit 0
fi

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
bench  score           "$BIN/lead-score" -m "$OUT/score-fit.yaml" --now "$NOW"
miller score           mlr --icsv --ocsv --allow-ragged-csv-input put -f "$OUT/score-fit.mlr"
target score           2
target_mem score       16

report "$TSV" "$ROWS"
[ -s "$NOTES" ] && { echo; cat "$NOTES"; }

dedupe_shapes

# ---- Downstream tools on scored canonical leads ----------------------------
# lead-ingest and lead-score make the input (untimed); the parse-only line
# here is a pass over that scored file, so the ratios compare like with like.
echo
echo "on scored canonical leads ($(size_name "$ROWS")):"
STSV=$OUT/scored.tsv
: > "$STSV"; : > "$NOTES"
TSV=$STSV
if [ -x "$BIN/lead-ingest" ] && [ -x "$BIN/lead-score" ]; then
	CANON=$(canonical "$MAIN") || die "lead-ingest failed"
	SCORED=${CANON%.csv}.scored.csv
	"$BIN/lead-score" -m "$OUT/pipeline.yaml" --now "$NOW" -o "$SCORED" "$CANON" 2> /dev/null ||
		die "lead-score failed"
	input "$SCORED"
	bench  parse-only      "$OUT/parse_only"
	bench  route           "$BIN/lead-route" -m "$OUT/pipeline.yaml" --now "$NOW"
	target route           2
	target_mem route       16
	# The same with the ledger: one record per lead a pool receives this
	# week is the memory it may take (a fresh state file each run).
	rm -f "$OUT/route.state" "$OUT/route.state.lock"
	bench  route-state     "$BIN/lead-route" -m "$OUT/pipeline.yaml" --now "$NOW" --state "$OUT/route.state"
	target route-state     2.5
	target_mem route-state 64
	bench  report-funnel   "$BIN/lead-report" -m "$OUT/pipeline.yaml" funnel --by source
	miller report-funnel   mlr --icsv --ocsv count -g source,stage
	target report-funnel   1.5
	report "$STSV" "$ROWS"
else
	echo "scored: skipped, lead-ingest and lead-score are not both built yet" >> "$NOTES"
fi
[ -s "$NOTES" ] && { echo; cat "$NOTES"; }

# ---- Engagement: activities aggregated per second --------------------------
# lead-score holds the activity file in memory and looks each lead up in it;
# the parse-only line here is a pass over the activity file.
NACT=$((ROWS * 2)) NALEADS=$((ROWS / 10))
echo
echo "engagement: $(size_name "$NACT") activities over $(size_name "$NALEADS") leads" \
	"(rows/s = activities/s; x parse = x a parse of the activity file):"
ETSV=$OUT/engagement.tsv
: > "$ETSV"; : > "$NOTES"
TSV=$ETSV
if [ -x "$BIN/lead-ingest" ] && [ -x "$BIN/lead-score" ]; then
	ACTS=$(canonical "$(activities_file "$NACT" "$NALEADS")" --activities) ||
		die "lead-ingest --activities failed"
	ALEADS=$(canonical "$(leads_file "$NALEADS")") || die "lead-ingest failed"
	input "$ACTS"
	bench  parse-only      "$OUT/parse_only"
	input "$ALEADS"
	bench  score-engage    "$BIN/lead-score" -m "$OUT/score-engagement.yaml" \
		--activities "$ACTS" --now "$NOW"
	target_rate score-engage 1000000
	report "$ETSV" "$NACT"
else
	echo "engagement: skipped, lead-ingest and lead-score are not both built yet" >> "$NOTES"
fi
[ -s "$NOTES" ] && { echo; cat "$NOTES"; }

# ---- Fitting: lead-score --fit on labelled leads ---------------------------
# BENCH_ROWS / 10 generated leads (100k by default) through lead-ingest and
# labelled by hidden rules (lead-score with fit-label.yaml, whose mql is the
# outcome; its `noise` rule reads the phone's last digit, which no candidate
# sees, so the outcome is not a function of the candidates; untimed), then fitted with 200 candidate rules: the 52 title
# rules of fit-start.yaml plus those --candidates auto makes from the data
# (148 on the default file; the fit's summary, in fit.err, has the count).
# 5 folds, at most 20 rules.  The parse-only line is a pass over the
# labelled file.
FROWS=$((ROWS / 10))
echo
echo "fit: $(size_name "$FROWS") labelled leads, 200 candidate rules, 5 folds" \
	"(x parse = x a parse of the labelled file):"
FTSV=$OUT/fit.tsv
: > "$FTSV"; : > "$NOTES"
TSV=$FTSV
cat > "$OUT/fit-label.yaml" << 'EOF'
scoring:
  fit:
    - {rule: senior, when: 'title ~* "\b(vp|chief|director|head)\b"', points: 20}
    - {rule: source, when: 'source in ["Referrals", "Paid Search"]', points: 15}
    - {rule: de, when: 'country == "DE"', points: 10}
    - {rule: english, when: '${Preferred Language} == "English"', points: 10}
    - {rule: stage, when: 'stage in ["mql", "sql", "opportunity", "won"]', points: 10}
    - {rule: noise, when: 'phone ~ "[0-5]$"', points: 12}
  mql: 'score >= 25'
EOF
{
	printf 'scoring:\n  fit:\n'
	for w in vp svp vice president director manager head chief cto ceo cfo cmo coo \
	    founder owner engineer analyst scientist consultant student intern sales marketing \
	    product data account operations finance it hr growth customer revenue demand \
	    software senior sr representative executive specialist lead recruiter designer \
	    teacher nurse accountant retired freelancer business development project office; do
		printf "    - {rule: title-%s, when: 'title ~* \"\\\\b%s\\\\b\"', points: 1}\n" "$w" "$w"
	done
	printf '  mql: "score >= 1"\n'
} > "$OUT/fit-start.yaml"
if [ -x "$BIN/lead-ingest" ] && [ -x "$BIN/lead-score" ]; then
	FCANON=$(canonical "$(leads_file "$FROWS")") || die "lead-ingest failed"
	FLAB=${FCANON%.csv}.labelled.csv
	"$BIN/lead-score" -m "$OUT/fit-label.yaml" -o "$FLAB" "$FCANON" 2> /dev/null ||
		die "lead-score (labels) failed"
	input "$FLAB"
	bench  parse-only      "$OUT/parse_only"
	bench  fit             "$BIN/lead-score" -m "$OUT/fit-start.yaml" --fit mql \
		--candidates auto --folds 5 --max-rules 20
	target fit             10
	report "$FTSV" "$FROWS"
	grep 'candidate rules' "$OUT/fit.err" | sed 's/^lead-score: /  /'
else
	echo "fit: skipped, lead-ingest and lead-score are not both built yet" >> "$NOTES"
fi
[ -s "$NOTES" ] && { echo; cat "$NOTES"; }

# ---- Nurture: leads moved along tracks, with their activities ------------
# BENCH_ROWS canonical leads and 2 x BENCH_ROWS activities over all of them
# (1M and 2M by default).  The baseline ("parse-only" here) is the sum of a
# parse-only pass over the leads file and lead-score's aggregation of the
# activity file (loaded and grouped per lead, with a header-only leads file
# so nothing else is done): what any tool joining the two must pay.
cat > "$OUT/nurture.yaml" << 'EOF'
# Three tracks on canonical columns, with the generator's campaign ids as
# contents, New York business hours and a 2/7d cap.
routing:
  calendar: {tz: America/New_York, days: mon-fri, hours: "09:00-17:00"}
nurture:
  cap: 2/7d
  suppress:
    - {reason: unsubscribed, activity: unsubscribe}
    - {reason: no-email, when: 'empty(email)'}
  tracks:
    - track: recycle
      enter: 'stage == "recycled"'
      steps:
        - {offer: check-in, content: recycle-checkin-1, wait: 0d}
        - {offer: update, content: product-update-oct, wait: 30d}
      on: [{activity: [pricing_page, demo_request], goto: evaluation}]
    - track: evaluation
      enter: 'title ~* "\b(vp|chief|director|head)\b"'
      steps:
        - {offer: case study, content: nurture-evaluation-1, wait: 0d}
        - {offer: webinar, content: webinar-invite-web-2, wait: 5d}
        - {offer: demo, content: demo-invite, wait: 7d}
      on: [{activity: demo_request, goto: evaluation/3}]
    - track: awareness
      enter: 'not empty(email)'
      reentry: 90d
      steps:
        - {offer: guide, content: nurture-awareness-1, wait: 0d}
        - {offer: ebook, content: nurture-awareness-2, wait: 7d}
        - {offer: checklist, content: nurture-awareness-3, wait: 14d}
      on:
        - {activity: pricing_page, goto: evaluation}
        - {activity: webinar_attended, skip: wait}
EOF
echo
echo "nurture: $(size_name "$ROWS") leads, $(size_name "$NACT") activities over them" \
	"(x parse = x the leads' parse-only plus the activities' aggregation):"
NTSV=$OUT/nurture.tsv
: > "$NTSV"; : > "$NOTES"
TSV=$NTSV
if [ -x "$BIN/lead-ingest" ] && [ -x "$BIN/lead-score" ] && [ -x "$BIN/lead-nurture" ]; then
	NLEADS=${CANON:-$(canonical "$MAIN")} || die "lead-ingest failed"
	NACTS=$(canonical "$(activities_file "$NACT" "$ROWS")" --activities) ||
		die "lead-ingest --activities failed"
	head -n 1 "$NLEADS" > "$OUT/nurture-header.csv"
	input "$NLEADS"
	bench  parse-leads     "$OUT/parse_only"
	input "$OUT/nurture-header.csv"
	cat "$NACTS" > /dev/null
	bench  aggregate-acts  "$BIN/lead-score" -m "$OUT/score-engagement.yaml" \
		--activities "$NACTS" --now "$NOW"
	awk -F '\t' '$1 == "parse-leads" || $1 == "aggregate-acts" { w += $2; if ($3 > m) m = $3 }
		END { printf "parse-only\t%.3f\t%d\t0\n", w, m }' "$NTSV" >> "$NTSV"
	input "$NLEADS"
	bench  nurture         "$BIN/lead-nurture" -m "$OUT/nurture.yaml" \
		--activities "$NACTS" --now "$NOW"
	target nurture         2
	report "$NTSV" "$ROWS"
else
	echo "nurture: skipped, lead-ingest, lead-score and lead-nurture are not all built yet" >> "$NOTES"
fi
[ -s "$NOTES" ] && { echo; cat "$NOTES"; }

# ---- Growth: time per row should stay flat as the input grows -------------
# The same benchmarks at 1/10, 1 and (BENCH_BIG=1) 5 times BENCH_ROWS rows:
# 100k, 1M, 5M by default.  Each size has its own parse-only pass, so
# "x parse" compares like with like; Miller runs up to BENCH_ROWS (at 5M it
# needs minutes and gigabytes).  The last table is each tool's time per row
# at every size, over its time per row at the smallest: linear growth keeps
# it near 1.
SIZES="$((ROWS / 10)) $ROWS"
[ "$BIG" = 1 ] && SIZES="$SIZES $((ROWS * 5))"
echo
echo "growth ($(for n in $SIZES; do printf '%s ' "$(size_name "$n")"; done | sed 's/ $//; s/ / -> /g') rows):"
GT=$OUT/growth.tsv
: > "$GT"; : > "$NOTES"; : > "$PAIRS"
TSV=$GT
for n in $SIZES; do
	sz=$(size_name "$n")
	input "$(leads_file "$n")" || exit 1
	bench "parse-only@$sz" "$OUT/parse_only"
	bench "ingest@$sz" "$BIN/lead-ingest"
	bench "ingest-dedupe@$sz" "$BIN/lead-ingest" --dedupe
	bench "score@$sz" "$BIN/lead-score" -m "$OUT/score-fit.yaml" --now "$NOW"
	[ "$n" -le "$ROWS" ] &&
		miller "score@$sz" mlr --icsv --ocsv --allow-ragged-csv-input put -f "$OUT/score-fit.mlr"
done
awk -F '\t' -v pairs="$PAIRS" '
	BEGIN { while ((getline l < pairs) > 0) { split(l, a, "\t"); mlr[a[1]] = a[2] } }
	{
		split($1, a, "@"); tool = a[1]; sz = a[2]; rows = sz
		sub(/k$/, "000", rows); sub(/m$/, "000000", rows)
		n++; lab[n] = $1; wall[$1] = $2; rss[$1] = $3; st[$1] = $4; nrows[$1] = rows
		t[n] = tool; s[n] = sz
		if (tool !~ /^mlr:/ && tool != "parse-only") {
			if (!(tool in seen)) { seen[tool] = 1; tools[++nt] = tool }
			if (!(sz in seensz)) { seensz[sz] = 1; sizes[++ns] = sz }
			nsrow[tool, sz] = $2 * 1e9 / rows
		}
	}
	END {
		printf "%-22s %8s %11s %9s %8s %8s  %s\n", "label", "wall s", "rows/s", "peak MiB",
		    "x parse", "x mlr", "note"
		for (i = 1; i <= n; i++) {
			l = lab[i]; w = wall[l]; base = wall["parse-only@" s[i]]
			xp = (base > 0) ? sprintf("%.2f", w / base) : "-"
			xl = (l in mlr && wall[mlr[l]] > 0) ? sprintf("%.2f", w / wall[mlr[l]]) : "-"
			printf "%-22s %8.3f %11.0f %9.1f %8s %8s  %s\n", l, w,
			    (w > 0 ? nrows[l] / w : 0), rss[l] / 1024, xp, xl,
			    (st[l] != 0 ? "FAILED (exit " st[l] ")" : "")
		}
		printf "\ntime per row, as a multiple of the %s run (linear growth: about 1):\n", sizes[1]
		printf "%-16s", "tool"
		for (j = 1; j <= ns; j++) printf " %14s", sizes[j]
		printf "\n"
		for (k = 1; k <= nt; k++) {
			printf "%-16s", tools[k]
			b = nsrow[tools[k], sizes[1]]
			for (j = 1; j <= ns; j++) {
				v = nsrow[tools[k], sizes[j]]
				if (b > 0 && v > 0) printf " %6.0f ns %5.2f", v, v / b
				else printf " %14s", "-"
			}
			printf "\n"
		}
	}' "$GT"
[ -s "$NOTES" ] && { echo; cat "$NOTES"; }
exit 0
