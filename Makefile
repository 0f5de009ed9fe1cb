# leadkit - flat, non-recursive Makefile.
#
#   make            build lib/liblead.a and build/bin/lead-*
#   make demo       install what the demo needs, build, run examples/pipeline.sh
#                   and examples/crm/pipeline.sh
#   make check      install what the tests need, build, run every test
#   make bench      generated-data benchmarks (tests/bench)
#   make same REF=  every output byte-identical to commit REF (default main)
#   make install    PREFIX=/usr/local DESTDIR=
#   SAN=1           AddressSanitizer + UBSan build (in build/san)
#   WERROR=1        turn warnings into errors (CI does)

CC      ?= cc
PREFIX  ?= /usr/local
VERSION  = 0.1.0

ifeq ($(SAN),1)
B        = build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      = -O1 -g
else
B        = build
SANFLAGS =
OPT      = -O2 -g
endif

WARN     = -std=c11 -Wall -Wextra -Wshadow -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN    += -Werror
endif

PKGS       = yaml-0.1
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyaml)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DLK_VERSION='"$(VERSION)"' -Ilib
ALL_CFLAGS = $(WARN) $(OPT) $(SANFLAGS) $(PKG_CFLAGS) $(CFLAGS)
LIBS     = $(PKG_LIBS) -lcsv -lm

LIB_SRC  = $(sort $(wildcard lib/*/*.c))
LIB_HDR  = $(wildcard lib/*/*.h)
LIB_OBJ  = $(LIB_SRC:lib/%.c=$(B)/obj/lib/%.o)
LIB_A    = $(B)/liblead.a
TOOLS    = $(patsubst cmd/%.c,%,$(sort $(wildcard cmd/lead-*.c)))
# What the mains share (cli.c, the filter driver): compiled once, linked
# into every tool and into the unit runner.
CMD_SRC  = $(sort $(filter-out cmd/lead-%.c,$(wildcard cmd/*.c)))
CMD_HDR  = $(wildcard cmd/*.h)
CMD_OBJ  = $(CMD_SRC:cmd/%.c=$(B)/obj/cmd/%.o)
BINS     = $(TOOLS:%=$(B)/bin/%)
UNIT_SRC = $(sort $(wildcard tests/unit/check_*.c))
UNIT_OBJ = $(UNIT_SRC:tests/unit/%.c=$(B)/obj/unit/%.o)

.PHONY: all setup setup-demo demo check test same layers unit cli man-examples fuzz-smoke scaleout bench install clean
all: $(BINS)

$(B)/obj/lib/%.o: lib/%.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/obj/cmd/%.o: cmd/%.c $(CMD_HDR) $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(B)/bin/lead-%: cmd/lead-%.c $(CMD_OBJ) $(LIB_A) $(CMD_HDR) $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(CMD_OBJ) $(LIB_A) $(LIBS) $(SANFLAGS) $(LDFLAGS)

# The unit runner: every tests/unit/check_X.c defines `Suite *lk_suite_X(void)`;
# the list of suites is generated so adding a suite is adding a file.
$(B)/unit_suites.h: $(UNIT_SRC)
	@mkdir -p $(dir $@)
	@grep -ho '^Suite \*lk_suite_[a-z0-9_]*(void)' $(UNIT_SRC) | sed 's/(void)//; s/^Suite \*//' | \
	  awk '{ d = d "Suite *" $$1 "(void);\n"; l = l "\t" $$1 ",\n" } END { printf "%s#define LK_SUITES \\\n%s", d, l; }' | \
	  sed 's/,$$/, \\/' > $@
	@echo >> $@

$(B)/obj/unit/%.o: tests/unit/%.c $(LIB_HDR) $(CMD_HDR) tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit -Icmd $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(B)/unit-tests: tests/unit/main.c $(B)/unit_suites.h $(UNIT_OBJ) $(CMD_OBJ) $(LIB_A)
	$(CC) $(CPPFLAGS) -I$(B) -Itests/unit $(ALL_CFLAGS) $(CHECK_CFLAGS) -o $@ tests/unit/main.c $(UNIT_OBJ) $(CMD_OBJ) $(LIB_A) $(CHECK_LIBS) $(LIBS) $(SANFLAGS) $(LDFLAGS)

# Install missing packages (apt-get, as root or via sudo): `setup` what the
# tests need, `setup-demo` only what building and the demo need.
setup:
	@sh tests/setup.sh check

setup-demo:
	@sh tests/setup.sh demo

unit: $(B)/unit-tests
	cd tests/unit && LK_DATA=$(CURDIR)/../shared/data ../../$(B)/unit-tests

cli: $(BINS)
	sh tests/cli/run.sh $(B)/bin

man-examples: $(BINS)
	sh tests/man/run.sh $(B)/bin

# lib/'s folders are layers: core <- model <- process (lib/README.md).
layers:
	sh tests/layers.sh

fuzz-smoke:
	sh tests/fuzz/smoke.sh

# The scale-out drivers (examples/scale-out/) on GNU parallel and on a
# private one-node Slurm, against the single-machine pipeline; each skips,
# saying why, when its engine is missing.
scaleout: $(BINS)
	bash tests/scaleout/parallel.sh $(B)/bin
	bash tests/scaleout/slurm.sh $(B)/bin

# Everything the README's `make check` promises, after the set-up.
test: layers unit cli man-examples fuzz-smoke scaleout

check: setup
	@$(MAKE) --no-print-directory test

demo: setup-demo
	@$(MAKE) --no-print-directory all
	PATH=$(CURDIR)/$(B)/bin:$$PATH sh examples/pipeline.sh
	@echo
	PATH=$(CURDIR)/$(B)/bin:$$PATH sh examples/crm/pipeline.sh

# A behaviour-preserving change is byte-identical to REF on every output
# of examples/, tests/ and ../shared/data (tests/same/compare.sh).
REF ?= main
same: all
	sh tests/same/compare.sh $(REF)

bench: setup
	@$(MAKE) --no-print-directory all
	sh tests/bench/run.sh $(B)/bin

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man7
	cp $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	cp man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	cp man/*.7 $(DESTDIR)$(PREFIX)/share/man/man7/

clean:
	rm -rf build
