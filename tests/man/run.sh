#!/bin/sh
# Every example in the manual pages is a test.
#
# Usage: sh tests/man/run.sh BINDIR [PAGE...]    (default: man/*.[1-8])
#
# An example is a line inside an .EX/.EE (or .nf/.fi) block that starts
# with "$ ": the rest of the line is a shell command; a command whose
# line ends in "\e" (a rendered backslash) continues on the next line.
# Other lines in the block are shown output and are not checked.  Roff
# escapes (\e \- \(aq \(dq \& \(ti \(ha \(rs) are decoded first.
#
# Invisible roff comments right before a command say how to run it:
#   .\" test: exit N        the command must exit with status N (default 0)
#   .\" test: needs CMD...  skip unless every CMD is in BINDIR (for tools
#                           that do not exist yet; runs once they do)
#   .\" test: xfail REASON  a known bug: expected to fail (XFAIL); when it
#                           passes, that is a failure (XPASS) until the
#                           marker is removed
#
# The commands of one block run in order, with sh, in a fresh copy of
# examples/ made for that block (so crm-export.csv, activities.csv and
# model.yaml resolve, a later command sees what an earlier one wrote, and
# nothing is written into the tree), with BINDIR first on PATH,
# LEAD_MODEL unset and stdin from /dev/null.
# A pipeline fails when any leadkit tool in it fails (each lead-* is run
# through a shim that records its exit status; death by SIGPIPE is fine,
# as for any filter in front of head).
#
# With groff installed each page is also formatted with -ww and any
# warning fails the page.
set -u
bindir=$(cd "${1:?usage: run.sh BINDIR [PAGE...]}" && pwd) || exit 2
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -eq 0 ]; then set -- "$root"/man/*.[1-8]; fi

LC_ALL=C
export LC_ALL
unset LEAD_MODEL

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Shims: record the status of every leadkit tool, wherever it sits in a pipeline.
mkdir "$tmp/shim"
for b in "$bindir"/lead-*; do
	[ -x "$b" ] || continue
	n=$(basename "$b")
	cat > "$tmp/shim/$n" <<EOF
#!/bin/sh
"$b" "\$@"
rc=\$?
if [ \$rc -ne 0 ] && [ \$rc -ne 141 ]; then echo "$n exited \$rc" >> "\$LK_MAN_RCS"; fi
exit \$rc
EOF
	chmod +x "$tmp/shim/$n"
done
PATH=$tmp/shim:$bindir:$PATH
export PATH

if command -v timeout >/dev/null 2>&1; then tmo="timeout 120"; else tmo=; fi

pass=0 fail=0 skip=0 failed=""

# extract PAGE OUTDIR: one OUTDIR/N.sh (the command) and N.meta (line,
# expected status, needed commands) per example.
extract() {
	awk -v out="$2" '
	function decode(s) {
		gsub(/\\e/, "\001", s)
		gsub(/\\\(aq/, "\047", s)
		gsub(/\\\(dq/, "\"", s)
		gsub(/\\\(ti/, "~", s)
		gsub(/\\\(ha/, "^", s)
		gsub(/\\\(rs/, "\001", s)
		gsub(/\\-/, "-", s)
		gsub(/\\&/, "", s)
		gsub(/\001/, "\\\\", s)
		return s
	}
	function reset() { want = 0; needs = ""; xfail = 0 }
	BEGIN { n = 0; blk = 0; inex = 0; cont = 0; reset() }
	/^\.(EX|nf)([ \t]|$)/ { inex = 1; blk++; cont = 0; reset(); next }
	/^\.(EE|fi)([ \t]|$)/ { inex = 0; cont = 0; reset(); next }
	!inex { next }
	/^\.\\" *test: *exit +[0-9]+/ { s = $0; sub(/.*exit +/, "", s); want = s + 0; next }
	/^\.\\" *test: *needs / { s = $0; sub(/.*needs +/, "", s); needs = needs " " s; next }
	/^\.\\" *test: *xfail/ { xfail = 1; next }
	cont {
		line = decode($0)
		print line > file
		cont = (line ~ /\\$/)
		if (!cont) close(file)
		next
	}
	/^\$ / {
		n++
		file = out "/" n ".sh"
		line = decode(substr($0, 3))
		print line > file
		printf "%d\t%d\t%d\t%d\t%s\n", FNR, blk, want, xfail, needs > (out "/" n ".meta")
		close(out "/" n ".meta")
		cont = (line ~ /\\$/)
		if (!cont) close(file)
		reset()
		next
	}
	{ reset() }
	' "$1"
}

for page in "$@"; do
	[ -f "$page" ] || { echo "FAIL $page: no such page"; fail=$((fail + 1)); continue; }
	name=$(basename "$page")
	rm -rf "$tmp/ex"
	mkdir "$tmp/ex"
	extract "$page" "$tmp/ex"

	if command -v groff >/dev/null 2>&1; then
		if ! groff -man -Tutf8 -ww -z "$page" > "$tmp/lint" 2>&1 || [ -s "$tmp/lint" ]; then
			echo "FAIL $name: groff -man -ww warns:"
			sed 's/^/  /' "$tmp/lint" | head -10
			fail=$((fail + 1)); failed="$failed $name(format)"
		fi
	fi

	count=0 i=1 cur=
	while [ -f "$tmp/ex/$i.sh" ]; do
		ex=$tmp/ex/$i.sh
		IFS='	' read -r lineno blk want xfail needs < "$tmp/ex/$i.meta"
		i=$((i + 1))
		count=$((count + 1))
		cmd=$(cat "$ex")
		where="$name:$lineno"

		missing=
		for t in $needs; do
			[ -x "$bindir/$t" ] || missing="$missing $t"
		done
		if [ -n "$missing" ]; then
			echo "skip $where (not built yet:$missing): $cmd"
			skip=$((skip + 1))
			continue
		fi

		work=$tmp/work
		if [ "$blk" != "$cur" ]; then
			rm -rf "$work"
			cp -R "$root/examples" "$work"
			cur=$blk
		fi
		LK_MAN_RCS=$tmp/rcs
		export LK_MAN_RCS
		: > "$LK_MAN_RCS"
		(cd "$work" && $tmo sh "$ex" < /dev/null > "$tmp/out" 2> "$tmp/err")
		rc=$?
		if [ $rc -eq 0 ] && [ -s "$LK_MAN_RCS" ]; then
			rc=$(sed -n '1s/.* exited //p' "$LK_MAN_RCS")
		fi
		if [ "$xfail" = 1 ]; then
			if [ "$rc" -ne 0 ]; then
				echo "xfail $where (known bug, exit $rc): $cmd"
				skip=$((skip + 1))
			else
				echo "FAIL $where: XPASS: a known bug is fixed; remove its 'test: xfail' marker: $cmd"
				fail=$((fail + 1)); failed="$failed $where"
			fi
		elif [ "$rc" -eq "$want" ]; then
			pass=$((pass + 1))
		else
			echo "FAIL $where: exit $rc, expected $want: $cmd"
			[ -s "$LK_MAN_RCS" ] && sed 's/^/  /' "$LK_MAN_RCS"
			[ -s "$tmp/err" ] && { echo "  stderr:"; head -5 "$tmp/err" | sed 's/^/    /'; }
			fail=$((fail + 1)); failed="$failed $where"
		fi
	done
	if [ $count -eq 0 ]; then
		echo "FAIL $name: no runnable examples (lines starting with '\$ ' in .EX/.EE)"
		fail=$((fail + 1)); failed="$failed $name"
	fi
done

echo "man examples: $pass passed, $fail failed, $skip skipped or expected to fail"
[ $fail -eq 0 ] || { echo "failed:$failed"; exit 1; }
exit 0
