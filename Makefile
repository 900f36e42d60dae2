SHELL := /bin/bash
# libiotevents — build, test, install. See README.md and docs/building.md.
#
#   make / make build     the standard profile: build/standard/libiotevents.so.$(VERSION)
#   make PROFILE=small    the small (Embedded Swift) profile: build/small/...
#   make demo             builds and runs the main example
#   make test             installs what it needs, builds both profiles, runs every test
#   make install PREFIX=/usr/local / make uninstall
#   make size             stripped sizes of both profiles
#   make generate         regenerates every table derived from models/botocore-data and
#                         tools/codegen-extras.json (tools/codegen.py; make check-generated checks)
#   make PROFILE=small TARGET=aarch64-linux-gnu   a cross build (targets: mk/targets.mk); make cross: all
#   make test-cross TARGET=...    cases, demo, exports, libc floor under qemu (test-cross-all: every
#                         target; test-cross-suites: mutations, durability, soak; test-cross-lua)
#   make dist [TARGET=...]  a release tarball in build/dist (check-dist tests it)
#   JANSSON=system        link the system's shared libjansson instead of the private copy

VERSION := 0.1.0
SOVERSION := 0
PROFILE ?= standard
JANSSON ?= private
PREFIX ?= /usr/local
CC ?= cc

ROOT := $(CURDIR)
DEPS := $(ROOT)/.build-deps
JANSSON_DIR := $(DEPS)/jansson
OUT := $(ROOT)/build
# TARGET=<target> cross-builds the small profile (mk/targets.mk, mk/cross.mk); empty: the host.
TARGET ?=
include mk/targets.mk
ifneq ($(TARGET),)
ifeq ($(origin PROFILE),file)
PROFILE := small
endif
endif

SWIFT_ENV := IOTEVENTS_JANSSON=$(JANSSON) IOTEVENTS_JANSSON_DIR=$(JANSSON_DIR)
SCRATCH_standard := .build
SCRATCH_small := .build-small
LIB_standard := $(OUT)/standard/libiotevents.so.$(VERSION)
LIB_small := $(OUT)/small/libiotevents.so.$(VERSION)
SOURCES := $(shell find Sources -name '*.swift' -o -name '*.c' -o -name '*.h' -o -name '*.map') Package.swift
# The Lua module's sources (bindings/lua/lua.mk builds them; mk/cross.mk, read before it, too).
LUA_SOURCES := $(wildcard bindings/lua/src/*.c)
LUA_HEADERS := $(wildcard bindings/lua/src/*.h)

HARNESS := $(OUT)/harness
CFLAGS_TEST := -O1 -g -gdwarf-4 -Wall -Wextra -Werror -std=c11 -Iinclude

APT_BUILD := gcc make python3 binutils
APT_TEST := libjson-c-dev pkg-config valgrind python3 curl musl-tools
ifeq ($(JANSSON),system)
APT_BUILD += libjansson-dev
endif

.PHONY: test-cross-gateway check-libc-shim check-libc-floor check-soak fuzz-requests fuzz-config fuzz-snapshot fuzz-log fuzz-stateful fuzz-build fuzz-long check-fuzz-regressions check-fuzz-pending bench-durability test-tsan check-durability check-alarm-table bench-python python python-test check-python-install all build bench bench-expressions fuzz fuzz-expressions demo test deps deps-test swift-test c-test check-exports check-generated \
        check-jsonc install uninstall size generate clean

all: build

include mk/cross.mk

build: $(if $(TARGET),$(XLIB),$(LIB_$(PROFILE)))

# --- dependencies --------------------------------------------------------------------------
# Installs Debian packages only when missing (idempotent, no network when all are present).
deps:
	@missing=""; for p in $(APT_BUILD); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; apt-get update -q >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; fi

deps-test: deps
	@missing=""; for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; apt-get update -q >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; fi

$(JANSSON_DIR)/lib/libjansson.a: Sources/CJanssonShim/build-jansson.sh | deps
	sh Sources/CJanssonShim/build-jansson.sh $(JANSSON_DIR)

# Debian keeps libstdc++.a off the default search path; a directory with only it, passed
# with -L, makes the link static (engineering.md §1).
$(DEPS)/libstdcxx/libstdc++.a: | deps
	mkdir -p $(DEPS)/libstdcxx
	ln -sf $$($(CC) -print-file-name=libstdc++.a) $@

$(DEPS)/embedded/libswiftUnicodeDataTables.a:
	mkdir -p $(DEPS)/embedded
	ln -sf $$(dirname $$(dirname $$(readlink -f $$(command -v swiftc))))/lib/swift/embedded/x86_64-unknown-linux-gnu/libswiftUnicodeDataTables.a $@

ifeq ($(JANSSON),system)
JANSSON_DEP :=
else
JANSSON_DEP := $(JANSSON_DIR)/lib/libjansson.a
endif

# --- the library ----------------------------------------------------------------------------
$(LIB_standard): $(SOURCES) $(JANSSON_DEP) $(DEPS)/libstdcxx/libstdc++.a | deps
	$(SWIFT_ENV) swift build -c release --scratch-path $(SCRATCH_standard) --product iotevents
	@$(MAKE) --no-print-directory install-build-output PROFILE_DIR=$(OUT)/standard SCRATCH=$(SCRATCH_standard)

$(LIB_small): $(SOURCES) $(JANSSON_DEP) $(DEPS)/libstdcxx/libstdc++.a $(DEPS)/embedded/libswiftUnicodeDataTables.a | deps
	$(SWIFT_ENV) IOTEVENTS_PROFILE=small swift build -c release --scratch-path $(SCRATCH_small) --product iotevents
	@$(MAKE) --no-print-directory install-build-output PROFILE_DIR=$(OUT)/small SCRATCH=$(SCRATCH_small)

.PHONY: install-build-output
install-build-output:
	mkdir -p $(PROFILE_DIR)
	@# a new file renamed over the old one: processes that have the old one loaded keep it intact
	cp $(SCRATCH)/release/libiotevents.so $(PROFILE_DIR)/.libiotevents.so.$(VERSION).tmp
	mv -f $(PROFILE_DIR)/.libiotevents.so.$(VERSION).tmp $(PROFILE_DIR)/libiotevents.so.$(VERSION)
	ln -sf libiotevents.so.$(VERSION) $(PROFILE_DIR)/libiotevents.so.$(SOVERSION)
	ln -sf libiotevents.so.$(SOVERSION) $(PROFILE_DIR)/libiotevents.so

size: $(LIB_standard) $(LIB_small)
	@for p in standard small; do \
	  strip --strip-unneeded -o $(OUT)/$$p/stripped.so $(OUT)/$$p/libiotevents.so.$(VERSION); \
	  printf '%-9s %9d bytes stripped (%s)\n' $$p $$(stat -c %s $(OUT)/$$p/stripped.so) "$$(ldd $(OUT)/$$p/stripped.so | awk '{print $$1}' | tr '\n' ' ')"; \
	  rm -f $(OUT)/$$p/stripped.so; done

# --- demo -----------------------------------------------------------------------------------
$(OUT)/inputs-demo: examples/c/inputs_demo.c include/iotevents.h $(LIB_standard)
	$(CC) -O1 -g -Wall -Wextra -Iinclude $< -o $@ -L$(OUT)/standard -liotevents -Wl,-rpath,$(OUT)/standard

$(OUT)/detector-demo: examples/c/detector_demo.c include/iotevents.h $(LIB_standard)
	$(CC) -O1 -g -Wall -Wextra -Iinclude $< -o $@ -L$(OUT)/standard -liotevents -Wl,-rpath,$(OUT)/standard

demo: $(OUT)/detector-demo
	$(OUT)/detector-demo examples/models

# --- benchmarks -----------------------------------------------------------------------------
$(OUT)/bench-control-plane: Tests/bench/control_plane.c include/iotevents.h $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
	$(CC) -O2 -g -Iinclude -I$(JANSSON_DIR)/include $< -o $@ -L$(OUT)/standard -liotevents $(JANSSON_DIR)/lib/libjansson.a

bench: $(OUT)/bench-control-plane $(LIB_small) | deps-test
	sh Tests/bench/run.sh $(OUT)/bench-control-plane $(OUT) 2000
	@$(MAKE) --no-print-directory bench-messages
	@$(MAKE) --no-print-directory bench-expressions
	@$(MAKE) --no-print-directory bench-durability
	@$(MAKE) --no-print-directory bench-python
	@$(MAKE) --no-print-directory bench-lua

# The message path: engine instructions per message beside the JSON work any implementation must do.
$(OUT)/message-path: Tests/bench/message_path.c Tests/bench/bench_support.h include/iotevents.h Tests/c/test_files.h $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
	$(CC) -O2 -g -Wall -Wextra -Werror -std=c11 -Iinclude -I$(JANSSON_DIR)/include $< -o $@ -L$(OUT)/standard -liotevents $(JANSSON_DIR)/lib/libjansson.a

bench-messages: $(OUT)/message-path $(LIB_small) | deps-test
	sh Tests/bench/message_path.sh $(OUT)/message-path $(OUT)

# The heartbeat workload through the C ABI: the baseline of the binding rows.
$(OUT)/heartbeat-workload: Tests/bench/heartbeat_workload.c Tests/bench/bench_support.h include/iotevents.h Tests/c/test_files.h $(LIB_standard)
	$(CC) -O2 -Wall -Wextra -Werror -std=c11 -Iinclude $< -o $@ -L$(OUT)/standard -liotevents

# Durability rows (issue 8): the heartbeat workload in memory, then on a state directory with
# each durability mode; best of 3 alternating rounds, as a ratio to the in-memory rate.
bench-durability: $(OUT)/heartbeat-workload
	@mkdir -p $(OUT)/bench; rm -rf $(OUT)/bench/state-*; \
	best() { b=0; for r in 1 2 3; do rm -rf $(OUT)/bench/state-$$1; v=$$(LD_LIBRARY_PATH=$(OUT)/$$2 $(OUT)/heartbeat-workload examples/models 3000 1000 $$3); \
	  [ $$v -gt $$b ] && b=$$v; done; echo $$b; }; \
	for p in standard small; do \
	  off=$$(best off $$p ""); always=$$(best always $$p "$(OUT)/bench/state-always always"); \
	  group=$$(best group $$p "$(OUT)/bench/state-group groupCommit"); \
	  echo "| durability ($$p), heartbeat workload 3000 x 10 messages | messages/s | vs in memory |"; echo "|---|---:|---:|"; \
	  echo "| in memory (no stateDirectory) | $$off | 1.00 |"; \
	  echo "| always (fdatasync per call) | $$always | $$(awk "BEGIN { printf \"%.2f\", $$always / $$off }") |"; \
	  echo "| groupCommit (50 ms) | $$group | $$(awk "BEGIN { printf \"%.2f\", $$group / $$off }") |"; \
	  printf '[{"mode":"memory","messages_per_second":%s},{"mode":"always","messages_per_second":%s},{"mode":"groupCommit","messages_per_second":%s}]\n' \
	    $$off $$always $$group > $(OUT)/bench/durability-$$p.json; done

# Python rows (issue 6): the binding vs the C ABI vs the same machine written with `transitions`.
bench-python: $(OUT)/heartbeat-workload | deps-test
	@python3 -c "import transitions" 2>/dev/null || python3 -m pip install -q transitions
	@mkdir -p $(OUT)/bench
	@for p in standard small; do echo "Python binding, $$p profile:"; \
	  LD_LIBRARY_PATH=$(OUT)/$$p PYTHONPATH=bindings/python python3 Tests/bench/python_binding.py \
	    $(OUT)/$$p/libiotevents.so.0 $(OUT)/heartbeat-workload examples/models 2000 $(OUT)/bench/python-$$p.json; done

# Expression evaluation: ns/eval and callgrind instructions/eval beside a hand-written baseline.
bench-expressions: | deps-test
	@swift build -c release --scratch-path .build-bench --product expression-bench 2>&1 | grep -E 'error|warning: unre' || true
	sh Tests/bench/expressions.sh .build-bench/release/expression-bench $(OUT)

# --- fuzzing (libFuzzer; FUZZ_SECONDS per target; Tests/fuzz/README.md) ------------------------
# Every run saves its whole log to build/fuzz/<target>.log, prints the last lines and fails with
# the fuzzer's status (a crash, a timeout, an out-of-memory): then it also prints the error and
# its stack, and the input is in build/fuzz/artifacts-<target>/.
FUZZ_SECONDS ?= 20
FUZZ := $(OUT)/fuzz
FUZZ_TIMEOUT ?= 5
FUZZ_RSS_MB ?= 2048
# The Swift runtime's backtracer would catch a trap before libFuzzer does (and trip ASan).
FUZZ_ENV := SWIFT_BACKTRACE=enable=no
FUZZ_FLAGS := -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=$(FUZZ_RSS_MB) -malloc_limit_mb=$(FUZZ_RSS_MB) -print_final_stats=1
CORE_SOURCES := $(shell find Sources/IoTEventsCore -name '*.swift')
# swiftc's link warns about every local symbol of the static libraries; a failing compile still
# fails the recipe (pipefail).
FUZZ_LINK_FILTER := 2>&1 | { grep -v 'Cannot export local symbol' || true; }

# run-fuzzer NAME, FLAGS, SEED DIRECTORIES: new inputs go to build/fuzz/corpus-NAME.
define run-fuzzer
	@mkdir -p $(FUZZ)/corpus-$(1) $(FUZZ)/artifacts-$(1)
	@echo "fuzz-$(1): $(FUZZ_SECONDS) s, log $(FUZZ)/fuzz-$(1).log"
	@$(FUZZ_ENV) $(FUZZ)/fuzz-$(1) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) $(2) -artifact_prefix=$(FUZZ)/artifacts-$(1)/ \
	  $(FUZZ)/corpus-$(1) $(3) > $(FUZZ)/fuzz-$(1).log 2>&1; rc=$$?; grep -v '^stat::' $(FUZZ)/fuzz-$(1).log | tail -n 3; grep -h 'average_exec_per_sec' $(FUZZ)/fuzz-$(1).log; \
	if [ $$rc -ne 0 ]; then grep -m 1 -A 40 -E '^==[0-9]+==ERROR|Fatal error|deadly signal|ALARM: working|out-of-memory' $(FUZZ)/fuzz-$(1).log; \
	  echo "fuzz-$(1): FAILED (exit $$rc); the input is in $(FUZZ)/artifacts-$(1)/, the log in $(FUZZ)/fuzz-$(1).log"; fi; exit $$rc
endef

$(FUZZ)/fuzz-expressions: $(CORE_SOURCES) Sources/CLibcShim/shim.c Tests/fuzz/expression_parser.swift
	@mkdir -p $(FUZZ)/core
	printf 'module CLibcShim { header "%s/Sources/CLibcShim/include/CLibcShim.h" export * }\n' "$(ROOT)" > $(FUZZ)/core/module.modulemap
	clang -c -g -fsanitize=address,fuzzer-no-link -ISources/CLibcShim/include Sources/CLibcShim/shim.c -o $(FUZZ)/core/shim.o
	set -o pipefail; swiftc -g -O -sanitize=fuzzer,address -parse-as-library -emit-library -static -module-name IoTEventsCore \
	  -emit-module-path $(FUZZ)/core/IoTEventsCore.swiftmodule -Xcc -fmodule-map-file=$(FUZZ)/core/module.modulemap \
	  $(CORE_SOURCES) -o $(FUZZ)/core/libIoTEventsCore.a
	set -o pipefail; swiftc -g -O -sanitize=fuzzer,address -parse-as-library -I $(FUZZ)/core -Xcc -fmodule-map-file=$(FUZZ)/core/module.modulemap \
	  Tests/fuzz/expression_parser.swift $(FUZZ)/core/libIoTEventsCore.a $(FUZZ)/core/shim.o -o $@ $(FUZZ_LINK_FILTER)

# Seeds: every expression of the conformance table.
fuzz-expressions: $(FUZZ)/fuzz-expressions
	@rm -rf $(FUZZ)/seeds-expressions && mkdir -p $(FUZZ)/seeds-expressions
	@awk -F'\t' '!/^#/ && NF > 1 { print $$1 > sprintf("$(FUZZ)/seeds-expressions/%04d", NR) }' Tests/expressions/conformance.tsv
	$(call run-fuzzer,expressions,-dict=Tests/fuzz/expressions.dict -max_len=1024,$(FUZZ)/seeds-expressions)

# The API-level targets share one build of the core and the API layer (and jansson), instrumented
# for ASan and libFuzzer: build/fuzz/api/. Each target is one file of Tests/fuzz plus support.swift.
API_SOURCES := $(shell find Sources/IoTEventsAPI -name '*.swift')
FUZZ_JANSSON := $(FUZZ)/jansson
FUZZ_CFLAGS := -g -fsanitize=address,fuzzer-no-link
FUZZ_API := $(FUZZ)/api
FUZZ_API_LIBS := $(FUZZ_API)/libIoTEventsAPI.a $(FUZZ_API)/libIoTEventsCore.a $(FUZZ_API)/shim.o $(FUZZ_API)/files.o \
  $(FUZZ_API)/jansson-shim.o $(FUZZ_JANSSON)/lib/libjansson.a
FUZZ_SWIFTFLAGS := -package-name iotevents -g -O -sanitize=fuzzer,address -parse-as-library -I $(FUZZ_API) -Xcc -fmodule-map-file=$(FUZZ_API)/module.modulemap \
  -Xcc -I$(FUZZ_JANSSON)/include
$(FUZZ_JANSSON)/lib/libjansson.a: Sources/CJanssonShim/build-jansson.sh | $(JANSSON_DIR)/lib/libjansson.a
	@mkdir -p $(FUZZ)
	sh Sources/CJanssonShim/build-jansson.sh $(FUZZ_JANSSON) clang "$(FUZZ_CFLAGS)"

$(FUZZ_API)/libIoTEventsAPI.a: $(CORE_SOURCES) $(API_SOURCES) $(wildcard Sources/CLibcShim/*.c Sources/CLibcShim/include/*.h) Sources/CJanssonShim/shim.c $(FUZZ_JANSSON)/lib/libjansson.a
	@mkdir -p $(FUZZ_API)
	printf 'module CLibcShim { header "%s/Sources/CLibcShim/include/CLibcShim.h" export * }\nmodule CJanssonShim { header "%s/Sources/CJanssonShim/include/CJanssonShim.h" export * }\n' "$(ROOT)" "$(ROOT)" > $(FUZZ_API)/module.modulemap
	clang -c $(FUZZ_CFLAGS) -ISources/CLibcShim/include Sources/CLibcShim/shim.c -o $(FUZZ_API)/shim.o
	clang -c $(FUZZ_CFLAGS) -ISources/CLibcShim/include Sources/CLibcShim/files.c -o $(FUZZ_API)/files.o
	clang -c $(FUZZ_CFLAGS) -I$(FUZZ_JANSSON)/include -ISources/CJanssonShim/include Sources/CJanssonShim/shim.c -o $(FUZZ_API)/jansson-shim.o
	swiftc $(FUZZ_SWIFTFLAGS) -emit-library -static -module-name IoTEventsCore \
	  -emit-module-path $(FUZZ_API)/IoTEventsCore.swiftmodule $(CORE_SOURCES) -o $(FUZZ_API)/libIoTEventsCore.a
	swiftc $(FUZZ_SWIFTFLAGS) -emit-library -static -module-name IoTEventsAPI \
	  -emit-module-path $(FUZZ_API)/IoTEventsAPI.swiftmodule $(API_SOURCES) -o $(FUZZ_API)/libIoTEventsAPI.a

FUZZ_SOURCE_requests := Tests/fuzz/api_request.swift
FUZZ_SOURCE_config := Tests/fuzz/configuration.swift
FUZZ_SOURCE_snapshot := Tests/fuzz/state_files.swift
FUZZ_SOURCE_log := Tests/fuzz/state_files.swift
FUZZ_SOURCE_stateful := Tests/fuzz/stateful.swift
FUZZ_API_TARGETS := requests config snapshot log stateful
FUZZ_DEFINE_snapshot := -DFUZZ_SNAPSHOT
FUZZ_DEFINE_log := -DFUZZ_LOG

.SECONDEXPANSION:
$(addprefix $(FUZZ)/fuzz-,$(FUZZ_API_TARGETS)): $(FUZZ)/fuzz-%: $$(FUZZ_SOURCE_$$*) Tests/fuzz/support.swift $(FUZZ_API_LIBS)
	set -o pipefail; swiftc $(FUZZ_SWIFTFLAGS) $(FUZZ_DEFINE_$*) -module-name fuzz_$* $(FUZZ_SOURCE_$*) Tests/fuzz/support.swift \
	  $(FUZZ_API_LIBS) -o $@ $(FUZZ_LINK_FILTER)

fuzz-build: $(FUZZ)/fuzz-expressions $(addprefix $(FUZZ)/fuzz-,$(FUZZ_API_TARGETS))

# Seeds: every request of every case script, behind the byte that names its operation.
fuzz-requests: $(FUZZ)/fuzz-requests
	@rm -rf $(FUZZ)/seeds-requests && mkdir -p $(FUZZ)/seeds-requests
	@python3 Tests/fuzz/request_seeds.py Sources/IoTEventsAPI/ServiceModel/operations.txt $(FUZZ)/seeds-requests Tests/cases/*/script
	$(call run-fuzzer,requests,-dict=Tests/fuzz/requests.dict -max_len=4096,$(FUZZ)/seeds-requests)

# The other API-level targets write their own seeds (from Tests/cases and examples/models) when
# started with IOTEVENTS_FUZZ_SEEDS=<dir>, then exit.
FUZZ_MAX_LEN_config := 4096
FUZZ_MAX_LEN_snapshot := 65536
FUZZ_MAX_LEN_log := 65536
FUZZ_MAX_LEN_stateful := 16384
FUZZ_DICT_config := -dict=Tests/fuzz/configuration.dict
FUZZ_DICT_stateful := -dict=Tests/fuzz/stateful.dict
fuzz-seeds-%: $(FUZZ)/fuzz-%
	@rm -rf $(FUZZ)/seeds-$* && mkdir -p $(FUZZ)/seeds-$*
	@$(FUZZ_ENV) IOTEVENTS_FUZZ_SEEDS=$(FUZZ)/seeds-$* $(FUZZ)/fuzz-$*

fuzz-config fuzz-snapshot fuzz-log fuzz-stateful: fuzz-%: $(FUZZ)/fuzz-% fuzz-seeds-%
	$(call run-fuzzer,$*,$(FUZZ_DICT_$*) -max_len=$(FUZZ_MAX_LEN_$*),$(FUZZ)/seeds-$*)

fuzz: fuzz-expressions fuzz-requests fuzz-config fuzz-snapshot fuzz-log fuzz-stateful

# Long runs, one target after the other, past known crashes (Tests/fuzz/long-runs.sh): logs,
# artifacts and corpora in FUZZ_LONG_DIR.
FUZZ_LONG_DIR ?= $(FUZZ)/long
fuzz-long: fuzz-build fuzz-seeds-config fuzz-seeds-stateful fuzz-seeds-snapshot fuzz-seeds-log
	bash Tests/fuzz/long-runs.sh $(FUZZ_LONG_DIR) $(FUZZ_LONG_TARGETS)

# Every crash the fuzzers found, once fixed (Tests/fuzz/regressions/<target>/), run again through
# its target (in make test). Inputs that still crash wait in Tests/fuzz/pending/ (not run here).
check-fuzz-regressions:
	@mkdir -p $(FUZZ); pass=0; fail=0; for d in Tests/fuzz/regressions/*/; do t=$$(basename $$d); \
	  $(MAKE) --no-print-directory -s $(FUZZ)/fuzz-$$t > $(FUZZ)/regression-build.log 2>&1 || { cat $(FUZZ)/regression-build.log; exit 1; }; \
	  for f in $$d*; do [ -f "$$f" ] || continue; \
	    if $(FUZZ_ENV) $(FUZZ)/fuzz-$$t $(FUZZ_FLAGS) $$f > $(FUZZ)/regression.log 2>&1; then pass=$$((pass+1)); \
	    else fail=$$((fail+1)); echo "FAIL fuzz-$$t $$f"; grep -m 1 -A 30 -E '^==[0-9]+==ERROR|Fatal error|deadly signal|ALARM: working|out-of-memory' $(FUZZ)/regression.log; fi; \
	  done; done; echo "check-fuzz-regressions: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

# The inputs still waiting for their fix: which crash yet, which pass now (move those to regressions/).
check-fuzz-pending:
	@mkdir -p $(FUZZ); for d in Tests/fuzz/pending/*/; do [ -d "$$d" ] || continue; t=$$(basename $$d); \
	  $(MAKE) --no-print-directory -s $(FUZZ)/fuzz-$$t > $(FUZZ)/regression-build.log 2>&1 || { cat $(FUZZ)/regression-build.log; exit 1; }; \
	  for f in $$d*; do [ -f "$$f" ] || continue; \
	    if $(FUZZ_ENV) $(FUZZ)/fuzz-$$t $(FUZZ_FLAGS) $$f > $(FUZZ)/pending.log 2>&1; then echo "passes now: $$f (move it to Tests/fuzz/regressions/$$t/)"; \
	    else echo "still fails: $$f: $$(grep -m 1 -oE 'Swift runtime failure: [^/]*|Fatal error: .{0,100}|ERROR: libFuzzer: [a-z-]+' $(FUZZ)/pending.log) $$(grep -m 1 -oE '(Sources|Tests)/[A-Za-z/+_]+\.swift:[0-9]+' $(FUZZ)/pending.log)"; fi; \
	  done; done

# --- tests ----------------------------------------------------------------------------------
$(HARNESS): Tests/c/harness.c include/iotevents.h $(LIB_standard)
	$(CC) $(CFLAGS_TEST) $< -o $@ -L$(OUT)/standard -liotevents -ldl

# A host that exports json-c's symbols (as OpenWrt's ubus/rpcd do) must not hijack jansson.
$(OUT)/harness-jsonc: Tests/c/harness.c Tests/c/jsonc_host.c Tests/c/unversioned_symbol.c include/iotevents.h $(LIB_standard) | deps-test
	$(CC) $(CFLAGS_TEST) -rdynamic -DHARNESS_MAIN=harness_main Tests/c/harness.c Tests/c/jsonc_host.c Tests/c/unversioned_symbol.c -o $@ \
	  -L$(OUT)/standard -liotevents -ldl $$(pkg-config --cflags --libs json-c)

test: deps-test check-generated swift-test c-test check-alarm-table python-test check-libc-shim check-libc-floor check-exports check-jsonc check-jsonc-control check-install check-memcheck check-mutations check-durability test-tsan lua-test check-bad-inputs check-hostile-hosts check-soak check-fuzz-regressions test-cross-all
	@echo "make test: all suites passed"

# The first users' target (64-bit ARM gateways) alone, cross-built and tested under qemu (about
# 1.5 min with its build); make test runs every target (test-cross-all, mk/cross.mk).
test-cross-gateway:
	@$(MAKE) --no-print-directory PROFILE=small TARGET=aarch64-linux-gnu test-cross

swift-test: $(JANSSON_DEP) | deps
	@mkdir -p $(OUT)
	@$(SWIFT_ENV) swift test --scratch-path .build-test > $(OUT)/swift-test.log 2>&1; rc=$$?; \
	  grep -E '✘|error:|failed' $(OUT)/swift-test.log | head -40; tail -n 2 $(OUT)/swift-test.log; exit $$rc

# The same cases, the same expected transcripts, both profiles.
c-test: $(HARNESS) $(LIB_standard) $(LIB_small)
	LD_LIBRARY_PATH=$(OUT)/standard sh Tests/c/run-cases.sh $(HARNESS) Tests/cases standard
	LD_LIBRARY_PATH=$(OUT)/small sh Tests/c/run-cases.sh $(HARNESS) Tests/cases small

# Every case under memcheck, both profiles: no invalid access, nothing definitely or indirectly
# lost. ("Possibly lost" blocks are the Swift runtime's metadata caches, engineering.md §4.)
check-memcheck: $(HARNESS) $(LIB_standard) $(LIB_small) | deps-test
	@pass=0; fail=0; for p in standard small; do for c in Tests/cases/*/; do \
	  if LD_LIBRARY_PATH=$(OUT)/$$p valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	       --error-exitcode=9 $(HARNESS) $$c/script >/dev/null 2>$(OUT)/memcheck.log; then pass=$$((pass+1)); \
	  else fail=$$((fail+1)); echo "FAIL memcheck $$p $$c"; grep '^==' $(OUT)/memcheck.log | head -30; fi; done; done; \
	echo "check-memcheck: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

$(OUT)/mutation-smoke: Tests/c/mutation_smoke.c include/iotevents.h $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
	$(CC) $(CFLAGS_TEST) -I$(JANSSON_DIR)/include $< -o $@ -L$(OUT)/standard -liotevents $(JANSSON_DIR)/lib/libjansson.a

# The Python binding's tests against both profiles (the pure-Python package, no install needed),
# then the package as users get it: `pip install ./bindings/python` and the wheel of `make python`,
# each into a fresh venv, offline, running the example. pytest, boto3 and mypy come from PyPI when
# missing. tests/typing/check_typing.py: mypy --strict accepts good.py and reports each misspelt
# member of bad.py (the generated stubs, iotevents/_operations.pyi).
# test_newest_boto3.py also keeps build/boto3-venv with the newest boto3 from PyPI (refreshed at
# most once a day) and runs iotevents.boto3 there; test_serve.py runs `iotevents serve` (real
# processes on loopback) against that boto3 and the AWS CLI v1 in build/awscli-venv (likewise).
PY_TEST_PACKAGES := pytest boto3 mypy
python-test: $(LIB_standard) $(LIB_small) | deps-test
	@missing=""; for m in $(PY_TEST_PACKAGES); do python3 -c "import $$m" 2>/dev/null || missing="$$missing $$m"; done; \
	if [ -n "$$missing" ]; then echo "pip installing:$$missing"; python3 -m pip install -q $$missing; fi
	IOTEVENTS_LIBRARY=$(OUT)/standard/libiotevents.so.0 PYTHONPATH=bindings/python python3 -m pytest -q -p no:cacheprovider bindings/python/tests
	IOTEVENTS_LIBRARY=$(OUT)/small/libiotevents.so.0 PYTHONPATH=bindings/python python3 -m pytest -q -p no:cacheprovider bindings/python/tests
	@IOTEVENTS_LIBRARY=$(OUT)/standard/libiotevents.so.0 python3 bindings/python/tests/typing/check_typing.py $(OUT)/mypy-cache
	@python3 -c "import json; f = json.load(open('$(OUT)/boto3-venv/last-check.json')); \
	  print('python-test: iotevents.boto3 ran on the newest boto3 from PyPI in build/boto3-venv: boto3 %s, botocore %s' % (f['boto3'], f['botocore']))"
	@$(MAKE) --no-print-directory check-python-install

# The wheel that bundles the library, tagged for this platform: build/python/iotevents-*.whl.
python: $(LIB_$(PROFILE))
	@mkdir -p $(OUT)/python && rm -f $(OUT)/python/*.whl
	strip --strip-unneeded -o $(OUT)/python/libiotevents.so.0 $(LIB_$(PROFILE))
	python3 -m pip wheel -q --no-index --no-deps --no-cache-dir -w $(OUT)/python ./bindings/python \
	  -C library=$(OUT)/python/libiotevents.so.0
	@ls $(OUT)/python/*.whl

# The installed package carries botocore's data for both services (iotevents.boto3.data_path(),
# copied from models/botocore-data by the build backend) and registers its pytest fixture.
define PY_DATA_CHECK
import importlib.metadata, iotevents, os
data = os.path.join(os.path.dirname(iotevents.__file__), "botocore-data")
for service, version in (("iotevents", "2018-07-27"), ("iotevents-data", "2018-10-23")):
    for name in ("service-2.json", "paginators-1.json", "endpoint-rule-set-1.json"):
        assert os.path.isfile(os.path.join(data, service, version, name)), (service, name)
assert os.path.isfile(os.path.join(data, "LICENSE.txt")) and os.path.isfile(os.path.join(data, "NOTICE"))
assert [e.value for e in importlib.metadata.entry_points(group="pytest11")] == ["iotevents.pytest_plugin"]
endef
export PY_DATA_CHECK

check-python-install: python
	@rm -rf $(OUT)/python-venv && python3 -m venv $(OUT)/python-venv
	@$(OUT)/python-venv/bin/pip install -q --no-index --no-cache-dir ./bindings/python
	@cd /tmp && IOTEVENTS_LIBRARY=$(LIB_$(PROFILE)) $(OUT)/python-venv/bin/python $(ROOT)/examples/python/heartbeat.py | grep 'pump-2   Offline' >/dev/null \
	  || { echo "check-python-install: pip install ./bindings/python did not run the example"; exit 1; }
	@cd /tmp && $(OUT)/python-venv/bin/python -c "$$PY_DATA_CHECK" \
	  || { echo "check-python-install: pip install ./bindings/python lacks botocore-data or the pytest11 entry point"; exit 1; }
	@$(OUT)/python-venv/bin/iotevents serve --help | grep -q -- '--credentials' \
	  || { echo "check-python-install: pip install ./bindings/python did not install the iotevents command"; exit 1; }
	@$(OUT)/python-venv/bin/pip install -q --no-index --no-cache-dir --force-reinstall $(OUT)/python/*.whl
	@cd /tmp && env -u IOTEVENTS_LIBRARY LD_LIBRARY_PATH= $(OUT)/python-venv/bin/python -c \
	  'import iotevents, os; e = iotevents.Engine(); assert os.path.dirname(iotevents.__file__) in e.library_path, e.library_path' \
	  || { echo "check-python-install: the wheel did not load its bundled library"; exit 1; }
	@cd /tmp && env -u IOTEVENTS_LIBRARY $(OUT)/python-venv/bin/python $(ROOT)/examples/python/heartbeat.py | grep 'pump-2   Offline' >/dev/null \
	  || { echo "check-python-install: the wheel did not run the example"; exit 1; }
	@cd /tmp && $(OUT)/python-venv/bin/python -c "$$PY_DATA_CHECK" \
	  || { echo "check-python-install: the wheel lacks botocore-data or the pytest11 entry point"; exit 1; }
	@echo "check-python-install: 6 passed, 0 failed ($$(basename $(OUT)/python/*.whl))"

# Durable state (issue 8), both profiles: the crash harness (a child killed with SIGKILL at 200
# random moments, every acknowledged call checked after each restart), damaged directories, every
# case's state through a restart (fidelity), system-clock timers that fell due while the process
# was down (downtime), 8 threads on one engine (stress), and valgrind.
DURABILITY_KILLS ?= 200
$(OUT)/crash-harness: Tests/durability/crash_harness.c include/iotevents.h Tests/c/test_files.h $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
	$(CC) $(CFLAGS_TEST) -I$(JANSSON_DIR)/include $< -o $@ -L$(OUT)/standard -liotevents $(JANSSON_DIR)/lib/libjansson.a

$(OUT)/corruption: Tests/durability/corruption.c include/iotevents.h Tests/c/test_files.h Tests/durability/detector_counter.h $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
	$(CC) $(CFLAGS_TEST) -I$(JANSSON_DIR)/include $< -o $@ -L$(OUT)/standard -liotevents $(JANSSON_DIR)/lib/libjansson.a

$(OUT)/host-safety: Tests/durability/host_safety.c include/iotevents.h Tests/c/test_files.h Tests/durability/detector_counter.h $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
	$(CC) $(CFLAGS_TEST) -I$(JANSSON_DIR)/include $< -o $@ -L$(OUT)/standard -liotevents $(JANSSON_DIR)/lib/libjansson.a

$(OUT)/fidelity: Tests/durability/fidelity.c include/iotevents.h Tests/c/test_files.h $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
	$(CC) $(CFLAGS_TEST) -I$(JANSSON_DIR)/include $< -o $@ -L$(OUT)/standard -liotevents $(JANSSON_DIR)/lib/libjansson.a

$(OUT)/downtime: Tests/durability/downtime.c include/iotevents.h $(LIB_standard)
	$(CC) $(CFLAGS_TEST) $< -o $@ -L$(OUT)/standard -liotevents

$(OUT)/stress: Tests/durability/stress.c include/iotevents.h Tests/c/test_files.h $(LIB_standard)
	$(CC) $(CFLAGS_TEST) -pthread $< -o $@ -L$(OUT)/standard -liotevents

check-durability: $(OUT)/crash-harness $(OUT)/corruption $(OUT)/host-safety $(OUT)/fidelity $(OUT)/downtime $(OUT)/stress $(LIB_small) | deps-test
	@for p in standard small; do rm -rf $(OUT)/durability-$$p && mkdir -p $(OUT)/durability-$$p; \
	  printf '%s: ' $$p; LD_LIBRARY_PATH=$(OUT)/$$p $(OUT)/crash-harness Tests/durability $(OUT)/durability-$$p/crash $(DURABILITY_KILLS) $$(date +%s) || exit 1; \
	  printf '%s: ' $$p; LD_LIBRARY_PATH=$(OUT)/$$p $(OUT)/corruption Tests/durability $(OUT)/durability-$$p/corruption || exit 1; \
	  printf '%s: ' $$p; LD_LIBRARY_PATH=$(OUT)/$$p $(OUT)/host-safety Tests/durability $(OUT)/durability-$$p/host-safety || exit 1; \
	  printf '%s: ' $$p; LD_LIBRARY_PATH=$(OUT)/$$p $(OUT)/fidelity $(OUT)/durability-$$p/fidelity Tests/cases/*/script || exit 1; \
	  printf '%s: ' $$p; LD_LIBRARY_PATH=$(OUT)/$$p $(OUT)/downtime $(OUT)/durability-$$p/downtime || exit 1; \
	  printf '%s: ' $$p; LD_LIBRARY_PATH=$(OUT)/$$p $(OUT)/stress Tests/durability 8 50000 1000 || exit 1; \
	  printf '%s: ' $$p; LD_LIBRARY_PATH=$(OUT)/$$p $(OUT)/stress Tests/durability 8 50000 1000 $(OUT)/durability-$$p/stress groupCommit || exit 1; \
	  printf '%s: ' $$p; LD_LIBRARY_PATH=$(OUT)/$$p $(OUT)/stress Tests/durability 4 5000 100 $(OUT)/durability-$$p/stress-always always || exit 1; done
	@rm -rf $(OUT)/durability-valgrind && LD_LIBRARY_PATH=$(OUT)/standard valgrind -q --child-silent-after-fork=yes --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  --error-exitcode=9 $(OUT)/corruption Tests/durability $(OUT)/durability-valgrind > $(OUT)/durability-valgrind.log 2>&1 \
	  && echo "check-durability: corruption under valgrind: clean" || { cat $(OUT)/durability-valgrind.log | head -40; exit 1; }

# The soak (issue 10): 1 000 000 messages with model updates and deletes; resident memory flat.
$(OUT)/soak: Tests/hardening/soak.c include/iotevents.h Tests/c/test_files.h $(LIB_standard)
	$(CC) -O2 -g -Wall -Wextra -Werror -std=c11 -Iinclude $< -o $@ -L$(OUT)/standard -liotevents

check-soak: $(OUT)/soak $(LIB_small)
	@for p in standard small; do printf '%s: ' $$p; LD_LIBRARY_PATH=$(OUT)/$$p $(OUT)/soak examples/models || exit 1; done

# ThreadSanitizer: the library built with -sanitize=thread (debug, the toolchain's shared runtime
# libraries), the stress test built with the toolchain's clang; in memory, groupCommit, always.
TSAN_LIB := .build-tsan/debug/libiotevents.so
SWIFT_LIB_DIR := $(dir $(shell readlink -f $$(command -v swiftc) 2>/dev/null))../lib/swift/linux
$(TSAN_LIB): $(SOURCES) $(JANSSON_DEP)
	$(SWIFT_ENV) swift build -c debug --scratch-path .build-tsan --product iotevents -Xswiftc -sanitize=thread -Xcc -fsanitize=thread 2>&1 | tail -n 1

$(OUT)/stress-tsan: Tests/durability/stress.c include/iotevents.h Tests/c/test_files.h $(TSAN_LIB)
	@mkdir -p $(OUT)
	$(dir $(shell readlink -f $$(command -v swiftc)))clang -O1 -g -fsanitize=thread -pthread -Iinclude $< -o $@ \
	  -L.build-tsan/debug -liotevents -Wl,-rpath,$(ROOT)/.build-tsan/debug -L$(SWIFT_LIB_DIR) -ldispatch -lBlocksRuntime -Wl,-rpath,$(SWIFT_LIB_DIR)

test-tsan: $(OUT)/stress-tsan
	@rm -rf $(OUT)/tsan && mkdir -p $(OUT)/tsan
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 $(OUT)/stress-tsan Tests/durability 8 2000 100
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 $(OUT)/stress-tsan Tests/durability 8 2000 100 $(OUT)/tsan/group groupCommit
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 $(OUT)/stress-tsan Tests/durability 4 1000 100 $(OUT)/tsan/always always

# The alarm transition table (Tests/alarm-table/transitions.tsv, written from the spec) checked
# against the recorded transcripts, which c-test checks against the library.
check-alarm-table:
	python3 Tests/alarm-table/check.py Tests/cases

# Mutated requests from every case, both profiles: always a status and a well-formed document.
check-mutations: $(OUT)/mutation-smoke $(LIB_small)
	LD_LIBRARY_PATH=$(OUT)/standard $(OUT)/mutation-smoke 200 Tests/cases/*/script
	LD_LIBRARY_PATH=$(OUT)/small $(OUT)/mutation-smoke 200 Tests/cases/*/script

check-jsonc: $(OUT)/harness-jsonc
	LD_LIBRARY_PATH=$(OUT)/standard sh Tests/c/run-cases.sh $(OUT)/harness-jsonc Tests/cases json-c-host

# The control experiment that shows check-jsonc can fail: the same host, with a build that links
# the system's shared libjansson, must get wrong answers.
check-jsonc-control: $(OUT)/harness-jsonc | deps-test
	@dpkg -s libjansson-dev >/dev/null 2>&1 || { apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q libjansson-dev >/dev/null; }
	IOTEVENTS_JANSSON=system swift build -c release --scratch-path .build-system --product iotevents 2>&1 | tail -n 1
	mkdir -p $(OUT)/system && cp .build-system/release/libiotevents.so $(OUT)/system/libiotevents.so.$(SOVERSION)
	@if LD_LIBRARY_PATH=$(OUT)/system sh Tests/c/run-cases.sh $(OUT)/harness-jsonc Tests/cases control >/dev/null 2>&1; then \
	  echo "check-jsonc-control: 0 passed, 1 failed (a system-jansson build was not hijacked: check-jsonc proves nothing)"; exit 1; \
	else echo "check-jsonc-control: 1 passed, 0 failed (the system-jansson build was hijacked, as expected)"; fi

# The C shim's libc portability (Tests/c/libc_shim.c), built from its sources with glibc's gcc
# and with musl-gcc: strerror_r's two variants, the shim's own arc4random_buf.
check-libc-shim: | deps-test
	@mkdir -p $(OUT)
	@for cc in $(CC) musl-gcc; do printf '%s: ' $$cc; \
	  $$cc $(CFLAGS_TEST) -ISources/CLibcShim/include Tests/c/libc_shim.c Sources/CLibcShim/files.c Sources/CLibcShim/random.c \
	    -o $(OUT)/libc-shim-$$cc && $(OUT)/libc-shim-$$cc || exit 1; done

# The small library loads on glibc 2.34 (Debian 12's libc is the build's: pthread_create & co.);
# Embedded Swift's arc4random_buf (2.36) must come from the shim. The standard one needs 2.35
# (_dl_find_object, static libgcc's unwinder).
check-libc-floor: $(LIB_standard) $(LIB_small)
	sh Tests/c/check-libc-floor.sh 2.34 $(LIB_small)
	sh Tests/c/check-libc-floor.sh 2.35 $(LIB_standard)

check-exports: $(LIB_standard) $(LIB_small)
	sh Tests/c/check-exports.sh include/iotevents.h $(LIB_standard) $(LIB_small)

# make install into a scratch prefix, then build the README's example against it with pkg-config.
check-install: $(LIB_standard) | deps-test
	@tmp=$$(mktemp -d); \
	$(MAKE) --no-print-directory install PREFIX=/opt/iotevents DESTDIR=$$tmp >/dev/null && \
	sed -n '/^#include <iotevents.h>/,/^}/p' README.md > $$tmp/readme.c && \
	PKG_CONFIG_SYSROOT_DIR=$$tmp PKG_CONFIG_PATH=$$tmp/opt/iotevents/lib/pkgconfig \
	  $(CC) -Wall -Werror $$tmp/readme.c -o $$tmp/readme $$(PKG_CONFIG_SYSROOT_DIR=$$tmp PKG_CONFIG_PATH=$$tmp/opt/iotevents/lib/pkgconfig pkg-config --cflags --libs iotevents) && \
	LD_LIBRARY_PATH=$$tmp/opt/iotevents/lib $$tmp/readme | grep -q '^OK: {"inputConfiguration"' && \
	$(MAKE) --no-print-directory uninstall PREFIX=/opt/iotevents DESTDIR=$$tmp >/dev/null && \
	[ -z "$$(find $$tmp/opt -type f)" ] && echo "check-install: 1 passed, 0 failed" || { echo "check-install: 0 passed, 1 failed"; exit 1; }; \
	rm -rf $$tmp

# The generated tables must be what the vendored service models (models/botocore-data) give.
# Every generated file (tools/codegen.py: the Swift schema and entry points, the status table,
# the Python and Lua tables, the Python stubs) regenerated into a temporary directory and
# compared with the committed one; also the header's status enum and configuration keys against
# tools/codegen-extras.json. Never skips.
check-generated:
	@python3 tools/codegen.py --check

generate:
	python3 tools/codegen.py

# --- install --------------------------------------------------------------------------------
install: $(LIB_$(PROFILE))
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(LIB_$(PROFILE)) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libiotevents.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libiotevents.so.$(SOVERSION)
	ln -sf libiotevents.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libiotevents.so
	install -m 644 include/iotevents.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' include/iotevents.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/iotevents.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/lib/libiotevents.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libiotevents.so.$(SOVERSION) \
	  $(DESTDIR)$(PREFIX)/lib/libiotevents.so $(DESTDIR)$(PREFIX)/include/iotevents.h \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/iotevents.pc

clean:
	rm -rf $(OUT) .build .build-small .build-test .build-system

# --- bindings with their own makefiles ---------------------------------------------------------
# bindings/lua/lua.mk: make lua, lua-test, bench-lua (issue 7).
-include bindings/lua/lua.mk
# Tests/hardening/hardening.mk: check-bad-inputs, check-hostile-hosts (issue 10).
-include Tests/hardening/hardening.mk
