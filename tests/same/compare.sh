#!/bin/sh
# Is the working tree's build byte-identical in behaviour to commit REF?
# For behaviour-preserving refactors of lib/ and cmd/.
#
# Usage: sh tests/same/compare.sh [REF]        (REF: a commit, default HEAD)
#
#   1. REF is checked out in a temporary `git worktree` and built there
#      (make -j2 all, into the worktree's own build/);
#   2. the working tree is built as it is (make -j2 all, into build/);
#   3. tests/same/run.sh (this tree's, for both: the same commands on the
#      same inputs) records every command with REF's binaries, then with
#      the working tree's;
#   4. the two records are compared with diff -r.
# Prints "same: N commands, all byte-identical" and exits 0, or lists the
# commands and files that differ and exits 1 (the two records and the full
# diff are then kept, and their folder named).  Exits 2 when REF is not a
# commit, a build fails or run.sh fails.  The worktree is always removed.
set -u
ref=${1:-HEAD}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
sha=$(git rev-parse --verify --quiet "$ref^{commit}") || {
	echo "compare.sh: $ref: not a commit" >&2; exit 2
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/leadkit-compare.XXXXXX") || exit 2
wt=$tmp/ref
keep=0
cleanup() {
	if [ -d "$wt" ]; then
		git worktree remove --force "$wt" > /dev/null 2>&1 || rm -rf "$wt"
	fi
	git worktree prune > /dev/null 2>&1
	if [ $keep = 0 ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
short=$(git rev-parse --short "$sha")

# 1. REF, built in its own worktree.
echo "compare: building $ref ($short) in a worktree"
git worktree add --detach "$wt" "$sha" > "$tmp/worktree.log" 2>&1 || {
	cat "$tmp/worktree.log" >&2; echo "compare.sh: git worktree add failed" >&2; exit 2
}
make -C "$wt" -j2 all > "$tmp/build-ref.log" 2>&1 || {
	tail -n 20 "$tmp/build-ref.log" >&2; echo "compare.sh: building $ref failed" >&2; exit 2
}

# 2. The working tree, as it is.
echo "compare: building the working tree"
make -j2 all > "$tmp/build-cur.log" 2>&1 || {
	tail -n 20 "$tmp/build-cur.log" >&2; echo "compare.sh: building the working tree failed" >&2; exit 2
}

# 3. The same commands with each build.
echo "compare: running tests/same/run.sh with $ref's binaries"
sh tests/same/run.sh "$wt/build/bin" "$tmp/ref-out" > /dev/null || {
	echo "compare.sh: run.sh failed for $ref" >&2; exit 2
}
echo "compare: running tests/same/run.sh with the working tree's binaries"
sh tests/same/run.sh build/bin "$tmp/cur-out" > /dev/null || {
	echo "compare.sh: run.sh failed for the working tree" >&2; exit 2
}

# 4. Byte for byte.  diff -r names each differing file ("Files A and B
# differ") and each file or command only one side has ("Only in D: F").
n=$(ls "$tmp/cur-out" | wc -l)
if diff -r -q "$tmp/ref-out" "$tmp/cur-out" > "$tmp/differ.txt" 2>&1; then
	echo "same: $n commands, all byte-identical ($ref = $short against the working tree)"
	exit 0
fi
keep=1
diff -r "$tmp/ref-out" "$tmp/cur-out" > "$tmp/diff.txt" 2>&1
# One line per differing command: its name, then what differs in it
# (stdout, stderr, rc, files/NAME; "only in ref-out" or "only in cur-out"
# when one side lacks it).
sed -e "s#$tmp/##g" "$tmp/differ.txt" | awk '
	function add(c, w) { if (!(c in what)) order[++n] = c; what[c] = what[c] " " w }
	/^Files ref-out\// {		# Files ref-out/C/PATH and cur-out/C/PATH differ
		p = substr($0, 15, index($0, " and cur-out/") - 15)
		c = p; sub(/\/.*/, "", c); add(c, substr(p, length(c) + 2)); next
	}
	/^Only in / {			# Only in SIDE-out[/C[/DIR]]: NAME
		i = index($0, ": "); dir = substr($0, 9, i - 9); p = dir "/" substr($0, i + 2)
		side = p; sub(/\/.*/, "", side); sub(/^[^\/]*\//, "", p)
		c = p; sub(/\/.*/, "", c); w = substr(p, length(c) + 2)
		add(c, (w == "" ? "" : w " ") "(only in " side ")"); next
	}
	{ add("?", $0) }
	END { for (i = 1; i <= n; i++) print order[i] ":" what[order[i]] }' > "$tmp/commands.txt"
k=$(wc -l < "$tmp/commands.txt")
echo "differ: $ref ($short) against the working tree (< $ref, > working tree):"
sed 's/^/  /' "$tmp/commands.txt"
echo "the first differences:"
sed -e "s#$tmp/##g" "$tmp/diff.txt" | head -n 30 | cut -c 1-300 | sed 's/^/  /'
echo "kept: $tmp (ref-out/, cur-out/, commands.txt, diff.txt)"
echo "same: NO: $k of $n commands differ"
exit 1
