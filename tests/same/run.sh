#!/bin/sh
# Sameness harness for behaviour-preserving refactors: run a fixed, broad
# set of commands with the leadkit binaries of BINDIR and record everything
# they do, so that two builds can be compared byte for byte (compare.sh
# runs this for two builds and diffs the two OUTDIRs).
#
# Usage: sh tests/same/run.sh BINDIR OUTDIR
#
# Each command is a short sh script, run with sh -c in a fresh, empty
# temporary working directory, with BINDIR first on PATH, LC_ALL=C, TZ=UTC
# and LEAD_MODEL unset.  OUTDIR/<command-name>/ then holds:
#   cmd      the script (the same text for every BINDIR)
#   stdout   its standard output
#   stderr   its standard error
#   rc       its exit status (a failing command is recorded, not an error;
#            one still running after two minutes is stopped: 124)
#   files/   the working directory as the command left it: every file it
#            wrote (regular files only)
#   special  the names of the FIFOs, sockets, links... it left (their
#            contents cannot be compared), when there are any
#   skipped  instead of all the above, when a command it needs is missing
# The commands see $DATA (../shared/data, read-only), $EXAMPLES (examples/),
# $MODEL (examples/model.yaml), $STAGE (the outputs of earlier pipeline
# steps of the same input) and, for the golden cases, $CASE.
#
# Paths that differ from run to run are replaced, in stdout, stderr and
# every file that contains them, by placeholders: BINDIR by @BIN@, the
# temporary directory (working directories and $STAGE) by @TMP@, $DATA by
# @DATA@ and the source tree by @ROOT@; a lock file (*.lock) holding only
# a process id has the id replaced by @PID@.  Everything else is kept
# byte for byte.  Every command here that reads the clock is given --now;
# the cases and example scripts run as they are (see clock_cases).
#
# The commands:
#   help.*      --help, --version, -h of every tool
#   error.*     usage and model errors (bad model, unknown option, ...)
#   case.*      every golden case of tests/cli/cases/ (cmd, stdin, $CASE)
#   example.*   examples/pipeline.sh, examples/fit.sh, examples/crontab
#   <input>.*   the pipeline matrix, for every real CSV of ../shared/data
#               and examples/crm-export.csv, examples/activities.csv:
#               ingest (plain, --show-mapping, --dedupe --rejects), score
#               (--explain, with and without --activities), route (plain,
#               --state twice, --split-by owner), nurture (and --due),
#               and lead-report: every kind that reads leads (funnel,
#               velocity, calibration, sla, plan, timeline) in every data
#               format (csv, tsv, table, json, svg, html; a combination a
#               kind does not offer is recorded as its usage error)
#   fit.*       lead-score --fit on X Education, fixed seeds
#   olist.*     the Olist funnel with dated stages: velocity, plan, --by
#   report.*    process documents (md, dot, svg, html), --partial and
#               --merge, timeline --lead
# Which commands run depends only on this script, tests/cli/cases/,
# examples/ and ../shared/data, never on BINDIR: two OUTDIRs made by the
# same run.sh name the same commands.
#
# Runs in about a minute on two cores.  Exits 0 when every command was run
# (whatever their exit statuses), 2 on a usage error.
set -u
usage="usage: run.sh BINDIR OUTDIR"
[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
bindir=$(cd "$1" && pwd) || exit 2
for t in lead-ingest lead-score lead-route lead-nurture lead-report; do
	[ -x "$bindir/$t" ] || { echo "run.sh: $bindir/$t: not found" >&2; exit 2; }
done
# OUTDIR must be new (or empty): a left-over command would compare too.
if [ -d "$2" ] && [ -n "$(ls -A "$2")" ]; then
	echo "run.sh: $2: not empty (give a new OUTDIR)" >&2; exit 2
fi
mkdir -p "$2" && outdir=$(cd "$2" && pwd) || exit 2
root=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${LK_DATA:-$(cd "$root/../shared/data" 2>/dev/null && pwd)}
[ -n "$DATA" ] && [ -d "$DATA" ] || { echo "run.sh: no ../shared/data (set LK_DATA)" >&2; exit 2; }
EXAMPLES=$root/examples
MODEL=$EXAMPLES/model.yaml
PATH=$bindir:$PATH
LC_ALL=C
TZ=UTC
export DATA EXAMPLES MODEL PATH LC_ALL TZ
unset LEAD_MODEL CASE

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leadkit-same.XXXXXX") || exit 2
trap 'chmod -R u+rwX "$tmp" 2> /dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
STAGE=$tmp/stage
mkdir "$STAGE"
export STAGE

# The placeholders, as one sed script.  The longest, most specific paths
# go first: BINDIR may lie inside the source tree or the temporary folder.
re() { printf '%s\n' "$1" | sed 's/[]\/$*.^[]/\\&/g'; }
scrub="s/$(re "$bindir")/@BIN@/g; s/$(re "$tmp")/@TMP@/g; s/$(re "$DATA")/@DATA@/g; s/$(re "$root")/@ROOT@/g"

n=0
# run NAME STDIN SCRIPT: run SCRIPT in a fresh working directory, with
# standard input from STDIN, and record it under OUTDIR/NAME/.
run() {
	d=$outdir/$1 w=$tmp/work
	mkdir "$d" "$w" || { echo "run.sh: command $1 twice" >&2; exit 2; }
	printf '%s\n' "$3" > "$d/cmd"
	# A command that hangs is stopped after two minutes (rc 124).
	(cd "$w" && exec timeout 120 sh -c "$3" < "$2" > "$d/stdout" 2> "$d/stderr")
	echo $? > "$d/rc"
	# A case may leave a file unreadable (chmod 000): give it back.
	chmod -R u+rwX "$w"
	# What is neither a plain file nor a folder (a FIFO: reading one
	# would block) is named in special and removed; a lock file's
	# process id becomes @PID@.
	find "$w" ! -type d \( ! -type f -o -name '*.lock' \) > "$tmp/odd"
	if [ -s "$tmp/odd" ]; then
		sort "$tmp/odd" | while IFS= read -r f; do
			if [ -f "$f" ]; then sed -i 's/^[0-9][0-9]*$/@PID@/' "$f"
			else echo "${f#"$w"/}" >> "$d/special"; rm -f "$f"; fi
		done
	fi
	mv "$w" "$d/files"
	# The placeholders, in every file that holds one of the paths.
	grep -rlF -e "$bindir" -e "$tmp" -e "$DATA" -e "$root" "$d" > "$tmp/paths"
	if [ -s "$tmp/paths" ]; then
		while IFS= read -r f; do sed -i "$scrub" "$f"; done < "$tmp/paths"
	fi
	n=$((n + 1))
}
# names_only NAME: keep only the names of the files command NAME wrote,
# for a command whose files hold the wall clock.
names_only() {
	(cd "$outdir/$1/files" && find . -type f) | sort > "$outdir/$1/files.list"
	rm -rf "$outdir/$1/files"
}
# keep NAME FILE: the standard output of command NAME becomes the stage
# file FILE, the input of the next step of the pipeline.
keep() { cp "$outdir/$1/stdout" "$STAGE/$2"; }

now=2026-11-20T21:00:00Z
tools="lead-ingest lead-score lead-route lead-nurture lead-report"

# --- help.*: the usage and version texts ---------------------------------
for t in $tools; do
	run "help.$t" /dev/null "$t --help"
	run "help.$t.h" /dev/null "$t -h"
	run "help.$t.version" /dev/null "$t --version"
	run "help.$t.unknown-option" /dev/null "$t --no-such-option"
	run "help.$t.missing-argument" /dev/null "$t -m"
done
run help.lead-report.no-kind /dev/null 'lead-report -m "$MODEL" < /dev/null'

# --- error.*: model and usage errors ---------------------------------------
# A typo in a scoring rule (file:line:col, did-you-mean), a model that is
# not YAML, one that does not exist, and sections a tool needs but lacks.
typo='printf "scoring:\n  fit:\n    - {rule: a, when: \"true\", pionts: 3}\n  mql: \"true\"\nroutting: {}\n" > typo.yaml'
notyaml='printf "stages: [ {id: a\n  - : :\n\t\n" > bad.yaml'
for t in $tools; do
	case $t in lead-report) k=funnel ;; *) k= ;; esac
	run "error.$t.model-typo" "$EXAMPLES/crm-export.csv" "$typo; $t -m typo.yaml $k"
	run "error.$t.model-not-yaml" "$EXAMPLES/crm-export.csv" "$notyaml; $t -m bad.yaml $k"
	run "error.$t.model-missing" "$EXAMPLES/crm-export.csv" "$t -m missing.yaml $k"
	run "error.$t.model-empty" "$EXAMPLES/crm-export.csv" ": > empty.yaml; $t -m empty.yaml $k"
	run "error.$t.no-model" "$EXAMPLES/crm-export.csv" "$t $k"
	run "error.$t.input-missing" /dev/null "$t -m \"\$MODEL\" $k no-such-file.csv"
	run "error.$t.input-directory" /dev/null "$t -m \"\$MODEL\" $k ."
	run "error.$t.now-bad" /dev/null "$t -m \"\$MODEL\" --now yesterday $k"
done
run error.lead-report.kind-unknown /dev/null 'lead-report -m "$MODEL" funel "$EXAMPLES/crm-export.csv"'
run error.lead-report.format-unknown /dev/null 'lead-report -m "$MODEL" -f xml funnel "$EXAMPLES/crm-export.csv"'
run error.lead-score.lint-example /dev/null 'lead-score -m "$MODEL" --lint'
run error.lead-score.lint-typo /dev/null "$typo; lead-score -m typo.yaml --lint"
run error.lead-route.split-by-bad /dev/null 'lead-route -m "$MODEL" --now 2026-11-20T21:00:00Z --split-by nosuchcol out "$EXAMPLES/crm-export.csv"'
run error.lead-ingest.from-bad /dev/null 'lead-ingest --from zoho "$EXAMPLES/crm-export.csv"'

# --- case.*: every golden case, run as tests/cli/run.sh runs it -------------
# The cases whose files hold the wall clock (their output does not): for
# them only the names of the files are kept.  route-crontab runs the
# crontab's line as cron would, without --now (example.crontab runs it
# with --now, files and all).
clock_cases="route-crontab"
# The cases that start runs in the background and poll for their output
# with grep: a poll may come before the background shell has created the
# file, and grep then says so on stderr, or not; and whether sh reports a
# run the case killed ("Killed") depends on when it reaps it.  Those lines
# (never a leadkit message) are dropped from their stderr.
polling_cases="route-state-lock route-stream"
for c in "$root"/tests/cli/cases/*/; do
	c=${c%/}
	[ -f "$c/cmd" ] || continue
	name=case.$(basename "$c")
	miss=""
	if [ -f "$c/needs" ]; then
		for x in $(cat "$c/needs"); do command -v "$x" > /dev/null 2>&1 || miss="$miss $x"; done
	fi
	if [ -n "$miss" ]; then
		mkdir "$outdir/$name" && echo "needs$miss" > "$outdir/$name/skipped"; continue
	fi
	if [ -f "$c/stdin" ]; then in=$c/stdin; else in=/dev/null; fi
	CASE=$c
	export CASE
	run "$name" "$in" 'sh "$CASE/cmd"'
	case " $clock_cases " in *" ${name#case.} "*) names_only "$name" ;; esac
	case " $polling_cases " in *" ${name#case.} "*)
		sed -i -e '/^grep: [^ ]*: No such file or directory$/d' -e '/^Killed$/d' "$outdir/$name/stderr" ;;
	esac
	unset CASE
done

# --- example.*: the shipped example scripts -------------------------------
run example.pipeline /dev/null 'DEMO_OUT=$PWD/demo sh "$EXAMPLES/pipeline.sh"'
# The crontab's line, twice, as in the route-crontab case but with --now.
run example.crontab /dev/null '
	lead-ingest -m "$MODEL" "$EXAMPLES/crm-export.csv" 2> /dev/null > leads.csv
	job=$(grep -v "^#" "$EXAMPLES/crontab" | grep . | sed "s/^\([^ ]* *\)\{5\}//; s#/var/lib/leadkit#$PWD#;
		s#/etc/leadkit/model.yaml#$MODEL#g; s#lead-route #lead-route --now 2026-11-20T21:00:00Z #")
	echo "$job"
	sh -c "$job"; echo "rc=$?"
	cp routed.csv first.csv
	sh -c "$job"; echo "rc=$?"'
run example.fit /dev/null 'mkdir fit; FIT_OUT=$PWD/fit sh "$EXAMPLES/fit.sh" "$DATA/x-education/Leads.csv"'

# --- the pipeline matrix over real data ------------------------------------
# The activities every matrix input is scored and nurtured with.
run activities.ingest /dev/null 'lead-ingest -m "$MODEL" --activities --rejects rejects.csv "$EXAMPLES/activities.csv"'
keep activities.ingest activities.csv

# matrix NAME FILE: the whole pipeline on FILE, each step reading the
# output of the one before it (through $STAGE), every report of it.
matrix() {
	IN=$2
	export IN
	p=$1
	run "$p.ingest" /dev/null 'lead-ingest -m "$MODEL" "$IN"'
	run "$p.ingest.show-mapping" /dev/null 'lead-ingest -m "$MODEL" --show-mapping "$IN"'
	run "$p.ingest.from-none" /dev/null 'lead-ingest --from none "$IN"'
	run "$p.ingest.stdin" "$IN" 'lead-ingest -m "$MODEL"'
	run "$p.ingest.dedupe" /dev/null 'lead-ingest -m "$MODEL" --dedupe --rejects rejects.csv "$IN"'
	keep "$p.ingest.dedupe" leads.csv
	run "$p.score" /dev/null 'lead-score -m "$MODEL" --explain --now 2026-11-20 "$STAGE/leads.csv"'
	run "$p.score.activities" /dev/null 'lead-score -m "$MODEL" --explain --now 2026-11-20 --activities "$STAGE/activities.csv" --ledger ledger.csv "$STAGE/leads.csv"'
	keep "$p.score.activities" scored.csv
	run "$p.route" /dev/null "lead-route -m \"\$MODEL\" --now $now \"\$STAGE/scored.csv\""
	keep "$p.route" routed.csv
	run "$p.route.state" /dev/null "
		lead-route -m \"\$MODEL\" --now $now --state st.csv -o run1.csv \"\$STAGE/scored.csv\"; echo \"run 1 rc=\$?\"
		lead-route -m \"\$MODEL\" --now 2026-11-20T22:00:00Z --state st.csv -o run2.csv \"\$STAGE/scored.csv\"; echo \"run 2 rc=\$?\""
	run "$p.route.split-by-owner" /dev/null "lead-route -m \"\$MODEL\" --now $now --split-by owner by-owner \"\$STAGE/scored.csv\""
	run "$p.nurture" /dev/null "lead-nurture -m \"\$MODEL\" --activities \"\$STAGE/activities.csv\" --now $now \"\$STAGE/routed.csv\""
	keep "$p.nurture" nurtured.csv
	run "$p.nurture.due" /dev/null "lead-nurture -m \"\$MODEL\" --activities \"\$STAGE/activities.csv\" --now $now --due \"\$STAGE/nurtured.csv\""
	# Every report kind that reads leads, in every format of the data
	# reports (those a kind does not offer are recorded as their error).
	for kind in funnel velocity calibration sla plan timeline; do
		case $kind in
		sla | timeline) opt="--activities \"\$STAGE/activities.csv\"" ;;
		plan) opt="--revenue 1200000 --deal-size 24000" ;;
		*) opt="" ;;
		esac
		for fmt in csv tsv table json svg html; do
			run "$p.report.$kind.$fmt" /dev/null "lead-report -m \"\$MODEL\" --now $now $opt -f $fmt $kind \"\$STAGE/routed.csv\""
		done
	done
	run "$p.report.funnel.by-source" /dev/null 'lead-report -m "$MODEL" --now 2026-11-20T21:00:00Z --by source -f table funnel "$STAGE/nurtured.csv"'
	run "$p.report.funnel.by-month" /dev/null 'lead-report -m "$MODEL" --now 2026-11-20T21:00:00Z --by month -f json funnel "$STAGE/nurtured.csv"'
	rm -f "$STAGE/leads.csv" "$STAGE/scored.csv" "$STAGE/routed.csv" "$STAGE/nurtured.csv"
}
# The inputs, named after their path: data.<dir>_<file> and examples.<file>.
for f in "$DATA"/csv-spectrum/csvs/*.csv "$DATA"/olist/*.csv "$DATA"/x-education/Leads.csv \
	"$DATA"/crm-headers/*/*.csv; do
	[ -f "$f" ] || continue
	p=${f#"$DATA"/}
	p=data.$(printf '%s\n' "${p%.csv}" | tr / _)
	matrix "$p" "$f"
done
matrix examples.crm-export "$EXAMPLES/crm-export.csv"
matrix examples.activities "$EXAMPLES/activities.csv"

# --- fit.*: tuning on X Education (a fixed seed shuffles the folds) ---------
run fit.ingest /dev/null 'lead-ingest -m "$MODEL" "$DATA/x-education/Leads.csv"'
keep fit.ingest leads.csv
leak='Tags,Lead Quality,Lead Profile,Asymmetrique Activity Index,Asymmetrique Profile Index,Asymmetrique Activity Score,Asymmetrique Profile Score,Last Notable Activity'
run fit.small /dev/null 'lead-score -m "$MODEL" --now 2026-11-20 --fit Converted --candidates auto --max-rules 5 --folds 2 --seed 7 "$STAGE/leads.csv"'
run fit.default /dev/null "lead-score -m \"\$MODEL\" --now 2026-11-20 --fit Converted --candidates auto --exclude '$leak' --seed 1 -o tuned.yaml \"\$STAGE/leads.csv\""
run fit.no-candidates /dev/null 'lead-score -m "$MODEL" --now 2026-11-20 --fit Converted --folds 0 --capture 0.9 "$STAGE/leads.csv"'
run fit.then-score /dev/null "
	lead-score -m \"\$MODEL\" --now 2026-11-20 --fit Converted --candidates auto --exclude '$leak' --max-rules 8 --folds 3 --seed 3 -o tuned.yaml \"\$STAGE/leads.csv\" 2> fit.log
	lead-score -m tuned.yaml --explain --baseline \"\$MODEL\" --now 2026-11-20 \"\$STAGE/leads.csv\" > scored.csv
	lead-report --now $now --outcome Converted --bands 0,25,50,75 -f table calibration scored.csv"
run fit.bad-outcome /dev/null 'lead-score -m "$MODEL" --now 2026-11-20 --fit NoSuchColumn "$STAGE/leads.csv"'
rm -f "$STAGE/leads.csv"

# --- olist.*: the Olist MQLs joined with their closed deals, dated stages ---
# (the join is Miller's, as in the report-olist cases)
run olist.join /dev/null '
	O=$DATA/olist
	mlr --icsv --ocsv join --ul -j mql_id -f "$O/olist_marketing_qualified_leads_dataset.csv" \
		then unsparsify \
		then put '\''$stage = $won_date == "" ? "mql" : "won"; $mql_at = $first_contact_date; $won_at = $won_date'\'' \
		then cut -o -f mql_id,origin,stage,mql_at,won_at "$O/olist_closed_deals_dataset.csv"'
keep olist.join olist.csv
om='$CASE_DIR/report-olist/model.yaml'
CASE_DIR=$root/tests/cli/cases
export CASE_DIR
for k in funnel velocity plan; do
	case $k in plan) o="--revenue 1200000 --deal-size 24000" ;; *) o="" ;; esac
	for f in csv tsv table json svg html; do
		run "olist.$k.$f" /dev/null "lead-report -m \"$om\" --now $now $o -f $f $k \"\$STAGE/olist.csv\""
		run "olist.$k.by-origin.$f" /dev/null "lead-report -m \"$om\" --now $now $o --by origin -f $f $k \"\$STAGE/olist.csv\""
	done
done
# calibration needs scores: two fit rules on the origin.
run olist.calibration /dev/null "
	cat > m.yaml << 'EOF'
scoring:
  fit:
    - {rule: organic, when: 'origin == \"organic_search\"', points: 30}
    - {rule: paid, when: 'origin == \"paid_search\"', points: 20}
  mql: 'score >= 25'
EOF
	lead-score -m m.yaml --explain --now 2026-11-20 \"\$STAGE/olist.csv\" > scored.csv
	lead-report -m \"$om\" --now $now -f table calibration scored.csv
	lead-report -m \"$om\" --now $now --outcome stage --bands 0,20,30 -f json calibration scored.csv"

# --- report.*: process documents, partial aggregates, one lead's timeline --
for m in "examples:\$MODEL" "olist:$om"; do
	for f in md dot svg html csv; do
		run "report.process.${m%%:*}.$f" /dev/null "lead-report -m \"${m#*:}\" --now $now -f $f process"
	done
done
run report.partial-merge /dev/null '
	lead-ingest -m "$MODEL" "$EXAMPLES/crm-export.csv" > leads.csv 2> /dev/null
	awk "NR == 1 || NR % 2 == 0" leads.csv > part1.csv
	awk "NR == 1 || NR % 2 == 1" leads.csv > part2.csv
	lead-report -m "$MODEL" --now 2026-11-20T21:00:00Z --partial --by source funnel part1.csv > p1
	lead-report -m "$MODEL" --now 2026-11-20T21:00:00Z --partial --by source funnel part2.csv > p2
	lead-report -m "$MODEL" --now 2026-11-20T21:00:00Z --merge --partial funnel p1 p2 > p12
	cat p1 p2 | lead-report -m "$MODEL" --now 2026-11-20T21:00:00Z --merge -f table funnel
	lead-report -m "$MODEL" --now 2026-11-20T21:00:00Z --merge -f json funnel p12
	lead-report -m "$MODEL" --now 2026-11-20T21:00:00Z --merge funnel leads.csv; echo "not a partial: rc=$?"'
run report.timeline.lead /dev/null "
	lead-ingest -m \"\$MODEL\" \"\$EXAMPLES/crm-export.csv\" > leads.csv 2> /dev/null
	id=\$(sed -n '2p' leads.csv | cut -d, -f1)
	lead-report -m \"\$MODEL\" --activities \"\$STAGE/activities.csv\" --now $now --lead \"\$id\" -f table timeline leads.csv"

echo "same: $n commands run, recorded in $outdir"
