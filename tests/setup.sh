#!/bin/sh
# Install what leadkit needs, when it is missing.
#
#   sh tests/setup.sh demo     what `make demo` needs: a C compiler, make,
#                              pkg-config, libcsv, libyaml, Graphviz and
#                              the time zone data (tzdata)
#   sh tests/setup.sh check    the same, plus what `make check` needs: Check,
#                              Miller, clang and its fuzzer runtime, and the
#                              optional GNU parallel, Slurm and Chromium
#                              (default)
#
# Uses apt-get as root, or through sudo; when neither works, prints the
# exact command and stops with status 1.  The optional packages only
# enable tests that otherwise skip, saying so: failing to install them is
# a warning, not an error.
set -u
mode=${1:-check}
case $mode in
demo | check) ;;
*) echo "setup: usage: sh tests/setup.sh [demo|check]" >&2; exit 2 ;;
esac
pkgs=""
have_hdr() { printf '#include <%s>\n' "$1" | ${CC:-cc} -E -x c - >/dev/null 2>&1; }

command -v ${CC:-cc} >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || pkgs="$pkgs build-essential"
command -v pkg-config >/dev/null 2>&1 || pkgs="$pkgs pkg-config"
have_hdr csv.h || pkgs="$pkgs libcsv-dev"
have_hdr yaml.h || pkgs="$pkgs libyaml-dev"
# lead-report draws the process flow chart as SVG with Graphviz.
command -v dot >/dev/null 2>&1 || pkgs="$pkgs graphviz"
# --tz and fields.tz read the system's time zone files (IANA tzdata).
[ -e "${TZDIR:-/usr/share/zoneinfo}/Europe/Berlin" ] || pkgs="$pkgs tzdata"
opt=""
if [ "$mode" = check ]; then
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
	# Slurm, and headless Chromium renders the html report in its test.
	command -v parallel >/dev/null 2>&1 || opt="$opt parallel"
	PATH=$PATH:/usr/sbin:/sbin command -v slurmctld >/dev/null 2>&1 || opt="$opt slurmctld slurmd slurm-client"
	command -v chromium >/dev/null 2>&1 || opt="$opt chromium"
fi
[ -n "$pkgs$opt" ] || exit 0

if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo"
else
	if [ -n "$pkgs" ]; then
		echo "setup: missing packages:$pkgs" >&2
		echo "setup: run as root:  apt-get update && apt-get install -y$pkgs" >&2
		exit 1
	fi
	echo "setup: not installed (the tests that need them will skip):$opt" >&2
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# Install: try first without refreshing the package lists (fast when they
# are current), then refresh and try again.
install() {
	$SUDO apt-get install -y -qq "$@" >&2 ||
		{ $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq "$@" >&2; }
}
if [ -n "$opt" ]; then
	echo "setup: installing (optional, for tests/scaleout and the report pictures):$opt" >&2
	# shellcheck disable=SC2086
	install $opt || echo "setup: could not install:$opt (the tests that need them will skip)" >&2
fi
[ -n "$pkgs" ] || exit 0
echo "setup: installing:$pkgs" >&2
# shellcheck disable=SC2086
if ! install $pkgs; then
	# Older releases name the clang runtime by version.
	pkgs=$(echo "$pkgs" | sed 's/libclang-rt-dev/libclang-rt-14-dev/')
	# shellcheck disable=SC2086
	install $pkgs || {
		echo "setup: could not install:$pkgs" >&2
		echo "setup: try:  ${SUDO:+sudo }apt-get update && apt-get install -y$pkgs" >&2
		exit 1
	}
fi
