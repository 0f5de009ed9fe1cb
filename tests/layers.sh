#!/bin/sh
# layers.sh - the rule between lib/'s folders, checked over #include lines.
#
#   sh tests/layers.sh            (make check runs it as `make layers`)
#
# lib/ is three layers (lib/README.md draws them):
#   core/                       includes core/ only
#   model/                      includes core/ and model/
#   ingest/ score/ route/       include core/, model/ and their own folder;
#   nurture/ report/            a process folder never includes another
# A breach is printed with a marker line "x" into $tmp (the loop runs in a
# subshell, so it cannot set $bad itself).
# Every quoted #include in lib/ names its folder ("core/buf.h"), so the
# rule can be read off the line.  Prints each breach as
# FILE:LINE: FOLDER may not include HEADER, and exits 1 when there is one.
set -u
cd "$(dirname "$0")/.." || exit 2
bad=0
tmp=$(mktemp) || exit 2
for f in lib/*/*.[ch]; do
	dir=${f#lib/}
	dir=${dir%%/*}
	case $dir in
	core) allowed="core" ;;
	model) allowed="core model" ;;
	*) allowed="core model $dir" ;;
	esac
	# "grep -n" gives LINE:#include "HEADER"; system headers <...> are free.
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
	sed 's/^\([0-9]*\):.*"\(.*\)".*/\1 \2/' |
	while read -r line hdr; do
		case $hdr in
		*/*) to=${hdr%%/*} ;;
		*) echo "$f:$line: \"$hdr\" names no folder (write \"FOLDER/$hdr\")"; echo x; continue ;;
		esac
		ok=0
		for a in $allowed; do [ "$a" = "$to" ] && ok=1; done
		if [ $ok = 0 ]; then
			echo "$f:$line: $dir/ may not include $hdr (core <- model <- process)"
			echo x
		fi
	done
done > "$tmp"
grep -v '^x$' "$tmp"
grep -q '^x$' "$tmp" && bad=1
rm -f "$tmp"
[ $bad = 0 ] && echo "layers: $(ls lib/*/*.[ch] | wc -l) files, core <- model <- process kept"
exit $bad
