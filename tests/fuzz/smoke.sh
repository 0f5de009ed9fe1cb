#!/bin/sh
# smoke.sh - build every libFuzzer harness and run each one briefly.
#
#   sh tests/fuzz/smoke.sh [NAME ...]      (make fuzz-smoke runs it)
#
# Every tests/fuzz/fuzz_NAME.c is built with clang, ASan and UBSan
# (undefined behaviour is fatal) against all of lib/*/*.c into
# build/fuzz/fuzz_NAME, then run for FUZZ_SECONDS (default 10) seconds
# starting from a copy of the seed corpus tests/fuzz/corpus/NAME/ in
# build/fuzz/corpus-NAME: the committed corpus is never written to.
# A dictionary tests/fuzz/NAME.dict is used when present.  Crashing
# inputs are saved under build/fuzz/artifacts-NAME/ and each run's log
# is build/fuzz/NAME.log.  FUZZ_OUT=DIR puts all of this in DIR instead
# of build/fuzz, so concurrent runs do not clash.  Exits 1 when clang
# is missing or when any harness fails to build or run, naming each
# failure.
set -u

cd "$(dirname "$0")/../.." || exit 1

FUZZ_SECONDS=${FUZZ_SECONDS:-10}
FUZZ_CC=${FUZZ_CC:-clang}
out=${FUZZ_OUT:-build/fuzz}

if ! command -v "$FUZZ_CC" >/dev/null 2>&1; then
	echo "fuzz-smoke: $FUZZ_CC not found: the libFuzzer harnesses need clang" >&2
	echo "fuzz-smoke: install it with 'make setup' (or: apt-get install clang)" >&2
	exit 1
fi

case $FUZZ_SECONDS in
'' | *[!0-9]*)
	echo "fuzz-smoke: FUZZ_SECONDS must be a whole number of seconds, not '$FUZZ_SECONDS'" >&2
	exit 1 ;;
esac

yaml_cflags=$(pkg-config --cflags yaml-0.1 2>/dev/null)
yaml_libs=$(pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml)
lib_src=$(ls lib/*/*.c 2>/dev/null)

if [ $# -gt 0 ]; then
	harnesses=""
	for n in "$@"; do
		harnesses="$harnesses tests/fuzz/fuzz_$n.c"
	done
else
	harnesses=$(ls tests/fuzz/fuzz_*.c 2>/dev/null)
fi
if [ -z "$harnesses" ]; then
	echo "fuzz-smoke: no harnesses (tests/fuzz/fuzz_*.c)" >&2
	exit 1
fi

mkdir -p "$out" || exit 1
failed=""
for src in $harnesses; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	bin=$out/fuzz_$name
	log=$out/$name.log
	work=$out/corpus-$name
	art=$out/artifacts-$name/

	if [ ! -f "$src" ]; then
		echo "fuzz-smoke: $name: no such harness $src" >&2
		failed="$failed $name(missing)"
		continue
	fi

	echo "fuzz-smoke: $name: building $bin"
	# $yaml_cflags, $lib_src and $yaml_libs are word lists: unquoted on purpose.
	# shellcheck disable=SC2086
	if ! "$FUZZ_CC" -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -g -O1 -std=c11 \
	    -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib $yaml_cflags \
	    -o "$bin" "$src" $lib_src -lcsv $yaml_libs -lm >"$log" 2>&1; then
		cat "$log" >&2
		echo "fuzz-smoke: $name: build failed (log: $log)" >&2
		failed="$failed $name(build)"
		continue
	fi

	# Fresh work corpus each run, seeded from the committed one.
	rm -rf "$work" "$art"
	mkdir -p "$work" "$art" || exit 1
	if [ -d "tests/fuzz/corpus/$name" ]; then
		cp -R "tests/fuzz/corpus/$name/." "$work/" || exit 1
	else
		echo "fuzz-smoke: $name: no seed corpus in tests/fuzz/corpus/$name, starting empty" >&2
	fi
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"

	echo "fuzz-smoke: $name: running for ${FUZZ_SECONDS}s"
	# $dict is empty or one word: unquoted on purpose.
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$art" -print_final_stats=1 $dict "$work" >"$log" 2>&1; then
		grep -E '^stat::number_of_executed_units|^Done' "$log" | tail -n 1 |
		    sed "s/^/fuzz-smoke: $name: /"
	else
		tail -n 40 "$log" >&2
		echo "fuzz-smoke: $name: run failed (log: $log, inputs: $art)" >&2
		failed="$failed $name(run)"
	fi
done

if [ -n "$failed" ]; then
	echo "fuzz-smoke: FAILED:$failed" >&2
	exit 1
fi
echo "fuzz-smoke: all harnesses passed"
