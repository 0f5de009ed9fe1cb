#!/bin/sh
# Command-line golden tests.  Each folder in tests/cli/cases/ is a case:
#   cmd           shell commands to run (sh), in a fresh temporary directory
#   stdin         optional standard input
#   expected.out  exact standard output
#   expected.err  exact standard error (optional: not compared when absent)
#   expected.rc   exit status (optional: 0 when absent)
#   needs         optional: commands the case needs, one per line; when one
#                 is missing the case is skipped, saying so
# The commands see $DATA (the shared real data, read-only), $EXAMPLES
# (examples/), $CASE (the case folder) and the binaries on PATH.
# Usage: sh tests/cli/run.sh BINDIR [CASE...]
set -u
bindir=$(cd "${1:?usage: run.sh BINDIR [CASE...]}" && pwd); shift
root=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${LK_DATA:-$(cd "$root/../shared/data" 2>/dev/null && pwd)}
EXAMPLES=$root/examples
export DATA EXAMPLES
PATH=$bindir:$PATH
export PATH
LC_ALL=C
export LC_ALL
pass=0 fail=0 skip=0 failed=""
if [ $# -eq 0 ]; then set -- "$root"/tests/cli/cases/*/; fi
for c in "$@"; do
	c=${c%/}
	case $c in /*) ;; *) [ -d "$c" ] || c=$root/tests/cli/cases/$c ;; esac
	name=$(basename "$c")
	[ -f "$c/cmd" ] || continue
	if [ -f "$c/needs" ]; then
		miss=""
		for n in $(cat "$c/needs"); do command -v "$n" >/dev/null 2>&1 || miss="$miss $n"; done
		if [ -n "$miss" ]; then
			echo "skip $name: needs$miss (tests/setup.sh installs it)"; skip=$((skip + 1)); continue
		fi
	fi
	tmp=$(mktemp -d)
	CASE=$(cd "$c" && pwd)
	export CASE
	if [ -f "$c/stdin" ]; then in=$c/stdin; else in=/dev/null; fi
	(cd "$tmp" && sh "$CASE/cmd" < "$in" > "$tmp/.out" 2> "$tmp/.err"; echo $? > "$tmp/.rc")
	want_rc=0
	[ -f "$c/expected.rc" ] && want_rc=$(cat "$c/expected.rc")
	ok=1
	if [ "$(cat "$tmp/.rc")" != "$want_rc" ]; then
		echo "FAIL $name: exit $(cat "$tmp/.rc"), expected $want_rc"; ok=0
	fi
	if ! cmp -s "$tmp/.out" "$c/expected.out"; then
		echo "FAIL $name: stdout differs:"; diff "$c/expected.out" "$tmp/.out" | head -20; ok=0
	fi
	if [ -f "$c/expected.err" ] && ! cmp -s "$tmp/.err" "$c/expected.err"; then
		echo "FAIL $name: stderr differs:"; diff "$c/expected.err" "$tmp/.err" | head -20; ok=0
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); failed="$failed $name"
		[ -s "$tmp/.err" ] && [ ! -f "$c/expected.err" ] && { echo "  stderr:"; head -5 "$tmp/.err"; }
	fi
	rm -rf "$tmp"
done
[ $skip -gt 0 ] && echo "cli: $skip skipped"
echo "cli: $pass passed, $fail failed${failed:+:$failed}"
[ $fail -eq 0 ]
