#!/bin/sh
# Install what leadkit needs to build and test, when it is missing.
# Uses apt-get as root, or through sudo; when neither works, prints the
# exact command and stops with status 1.
set -u
pkgs=""
have_hdr() { printf '#include <%s>\n' "$1" | ${CC:-cc} -E -x c - >/dev/null 2>&1; }

command -v ${CC:-cc} >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || pkgs="$pkgs build-essential"
command -v pkg-config >/dev/null 2>&1 || pkgs="$pkgs pkg-config"
have_hdr csv.h || pkgs="$pkgs libcsv-dev"
have_hdr yaml.h || pkgs="$pkgs libyaml-dev"
have_hdr check.h || pkgs="$pkgs check"
# The command-line tests use Miller as an independent oracle.
command -v mlr >/dev/null 2>&1 || pkgs="$pkgs miller"
# clang and its runtime build the libFuzzer smoke tests.
command -v clang >/dev/null 2>&1 || pkgs="$pkgs clang"
if command -v clang >/dev/null 2>&1; then
	echo 'int LLVMFuzzerTestOneInput(const char*d,unsigned long n){return 0;}' > /tmp/lk-fz.$$.c
	clang -fsanitize=fuzzer /tmp/lk-fz.$$.c -o /tmp/lk-fz.$$ >/dev/null 2>&1 || pkgs="$pkgs libclang-rt-dev"
	rm -f /tmp/lk-fz.$$ /tmp/lk-fz.$$.c
fi
# The scale-out tests (tests/scaleout/) run GNU parallel and a private
# Slurm; they skip, saying so, when these cannot be installed.
opt=""
command -v parallel >/dev/null 2>&1 || opt="$opt parallel"
PATH=$PATH:/usr/sbin:/sbin command -v slurmctld >/dev/null 2>&1 || opt="$opt slurmctld slurmd slurm-client"
# lead-report: Graphviz draws the process flow chart as SVG, and headless
# Chromium renders the html report in its test (which skips, saying so,
# without it).
command -v dot >/dev/null 2>&1 || opt="$opt graphviz"
command -v chromium >/dev/null 2>&1 || opt="$opt chromium"
if [ -n "$opt" ] && { [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; }; then
	[ "$(id -u)" = 0 ] && S="" || S="sudo"
	echo "setup: installing (optional, for tests/scaleout and the report pictures):$opt" >&2
	export DEBIAN_FRONTEND=noninteractive
	{ $S apt-get install -y -qq $opt >&2 ||
	  { $S apt-get update -qq >&2 && $S apt-get install -y -qq $opt >&2; }; } ||
		echo "setup: could not install:$opt (the tests that need them will skip)" >&2
fi
[ -n "$pkgs" ] || exit 0

cmd="apt-get install -y$pkgs"
echo "setup: installing:$pkgs" >&2
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo"
else
	echo "setup: missing packages:$pkgs" >&2
	echo "setup: run as root:  apt-get update && $cmd" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2 || true
if ! $SUDO apt-get install -y -qq $pkgs >&2; then
	# Older releases name the clang runtime by version.
	pkgs=$(echo "$pkgs" | sed 's/libclang-rt-dev/libclang-rt-14-dev/')
	$SUDO apt-get install -y -qq $pkgs >&2 || {
		echo "setup: could not install:$pkgs" >&2
		echo "setup: try:  ${SUDO:+sudo }apt-get update && apt-get install -y$pkgs" >&2
		exit 1
	}
fi
