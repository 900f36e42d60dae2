SHELL := /bin/bash
# libiotevents — build, test, install. See README.md and docs/building.md.
#
#   make / make build     the standard profile: build/standard/libiotevents.so.$(VERSION)
#   make PROFILE=small    the small (Embedded Swift) profile: build/small/...
#   make demo             builds and runs the main example
#   make test             installs what it needs, builds both profiles, runs every test
#   make install PREFIX=/usr/local / make uninstall
#   make size             stripped sizes of both profiles
#   make schema           regenerates the service-model tables from models/botocore-data
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

SWIFT_ENV := IOTEVENTS_JANSSON=$(JANSSON) IOTEVENTS_JANSSON_DIR=$(JANSSON_DIR)
SCRATCH_standard := .build
SCRATCH_small := .build-small
LIB_standard := $(OUT)/standard/libiotevents.so.$(VERSION)
LIB_small := $(OUT)/small/libiotevents.so.$(VERSION)
SOURCES := $(shell find Sources -name '*.swift' -o -name '*.c' -o -name '*.h' -o -name '*.map') Package.swift

HARNESS := $(OUT)/harness
CFLAGS_TEST := -O1 -g -gdwarf-4 -Wall -Wextra -Werror -std=c11 -Iinclude

APT_BUILD := gcc make python3 binutils
APT_TEST := libjson-c-dev pkg-config valgrind python3
ifeq ($(JANSSON),system)
APT_BUILD += libjansson-dev
endif

.PHONY: check-soak fuzz-requests bench-durability test-tsan check-durability check-alarm-table bench-python python python-test check-python-install all build bench bench-expressions fuzz fuzz-expressions demo test deps deps-test swift-test c-test check-exports check-schema \
        check-jsonc install uninstall size schema clean

all: build

build: $(LIB_$(PROFILE))

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
	@$(MAKE) --no-print-directory bench-expressions
	@$(MAKE) --no-print-directory bench-durability
	@$(MAKE) --no-print-directory bench-python
	@$(MAKE) --no-print-directory bench-lua

# The heartbeat workload through the C ABI: the baseline of the binding rows.
$(OUT)/heartbeat-workload: Tests/bench/heartbeat_workload.c include/iotevents.h Tests/c/test_files.h $(LIB_standard)
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

# --- fuzzing (libFuzzer; FUZZ_SECONDS per target) --------------------------------------------
FUZZ_SECONDS ?= 20
FUZZ := $(OUT)/fuzz
CORE_SOURCES := $(shell find Sources/IoTEventsCore -name '*.swift')

$(FUZZ)/fuzz-expressions: $(CORE_SOURCES) Sources/CLibcShim/shim.c Tests/fuzz/expression_parser.swift
	@mkdir -p $(FUZZ)
	printf 'module CLibcShim { header "%s/Sources/CLibcShim/include/CLibcShim.h" export * }\n' "$(ROOT)" > $(FUZZ)/module.modulemap
	clang -c -g -fsanitize=address,fuzzer-no-link -ISources/CLibcShim/include Sources/CLibcShim/shim.c -o $(FUZZ)/shim.o
	swiftc -g -O -sanitize=fuzzer,address -parse-as-library -emit-library -static -module-name IoTEventsCore \
	  -emit-module-path $(FUZZ)/IoTEventsCore.swiftmodule -Xcc -fmodule-map-file=$(FUZZ)/module.modulemap \
	  $(CORE_SOURCES) -o $(FUZZ)/libIoTEventsCore.a
	swiftc -g -O -sanitize=fuzzer,address -parse-as-library -I $(FUZZ) -Xcc -fmodule-map-file=$(FUZZ)/module.modulemap \
	  Tests/fuzz/expression_parser.swift $(FUZZ)/libIoTEventsCore.a $(FUZZ)/shim.o -o $@ 2>&1 | grep -v 'Cannot export local symbol' || true

# Seeds: every expression of the conformance table.
fuzz-expressions: $(FUZZ)/fuzz-expressions
	@rm -rf $(FUZZ)/seeds-expressions && mkdir -p $(FUZZ)/seeds-expressions $(FUZZ)/corpus-expressions
	@awk -F'\t' '!/^#/ && NF > 1 { print $$1 > sprintf("$(FUZZ)/seeds-expressions/%04d", NR) }' Tests/expressions/conformance.tsv
	$(FUZZ)/fuzz-expressions -max_total_time=$(FUZZ_SECONDS) -dict=Tests/fuzz/expressions.dict -max_len=1024 \
	  -artifact_prefix=$(FUZZ)/ $(FUZZ)/corpus-expressions $(FUZZ)/seeds-expressions 2>&1 | tail -n 3

# The request path of every operation, with jansson instrumented too: Tests/fuzz/api_request.swift.
API_SOURCES := $(shell find Sources/IoTEventsAPI -name '*.swift')
FUZZ_JANSSON := $(FUZZ)/jansson
FUZZ_CFLAGS := -g -fsanitize=address,fuzzer-no-link
$(FUZZ_JANSSON)/lib/libjansson.a: Sources/CJanssonShim/build-jansson.sh | $(JANSSON_DIR)/lib/libjansson.a
	@mkdir -p $(FUZZ)
	sh Sources/CJanssonShim/build-jansson.sh $(FUZZ_JANSSON) clang "$(FUZZ_CFLAGS)"

$(FUZZ)/fuzz-requests: $(CORE_SOURCES) $(API_SOURCES) $(wildcard Sources/CLibcShim/*.c) Sources/CJanssonShim/shim.c Tests/fuzz/api_request.swift $(FUZZ_JANSSON)/lib/libjansson.a
	@mkdir -p $(FUZZ)/requests
	printf 'module CLibcShim { header "%s/Sources/CLibcShim/include/CLibcShim.h" export * }\nmodule CJanssonShim { header "%s/Sources/CJanssonShim/include/CJanssonShim.h" export * }\n' "$(ROOT)" "$(ROOT)" > $(FUZZ)/requests/module.modulemap
	clang -c $(FUZZ_CFLAGS) -ISources/CLibcShim/include Sources/CLibcShim/shim.c -o $(FUZZ)/requests/shim.o
	clang -c $(FUZZ_CFLAGS) -ISources/CLibcShim/include Sources/CLibcShim/files.c -o $(FUZZ)/requests/files.o
	clang -c $(FUZZ_CFLAGS) -I$(FUZZ_JANSSON)/include -ISources/CJanssonShim/include Sources/CJanssonShim/shim.c -o $(FUZZ)/requests/jansson-shim.o
	swiftc -g -O -sanitize=fuzzer,address -parse-as-library -emit-library -static -module-name IoTEventsCore \
	  -emit-module-path $(FUZZ)/requests/IoTEventsCore.swiftmodule -Xcc -fmodule-map-file=$(FUZZ)/requests/module.modulemap \
	  $(CORE_SOURCES) -o $(FUZZ)/requests/libIoTEventsCore.a
	swiftc -g -O -sanitize=fuzzer,address -parse-as-library -emit-library -static -module-name IoTEventsAPI -I $(FUZZ)/requests \
	  -emit-module-path $(FUZZ)/requests/IoTEventsAPI.swiftmodule -Xcc -fmodule-map-file=$(FUZZ)/requests/module.modulemap \
	  -Xcc -I$(FUZZ_JANSSON)/include $(API_SOURCES) -o $(FUZZ)/requests/libIoTEventsAPI.a
	swiftc -g -O -sanitize=fuzzer,address -parse-as-library -I $(FUZZ)/requests -Xcc -fmodule-map-file=$(FUZZ)/requests/module.modulemap \
	  -Xcc -I$(FUZZ_JANSSON)/include Tests/fuzz/api_request.swift $(FUZZ)/requests/libIoTEventsAPI.a $(FUZZ)/requests/libIoTEventsCore.a \
	  $(FUZZ)/requests/shim.o $(FUZZ)/requests/files.o $(FUZZ)/requests/jansson-shim.o $(FUZZ_JANSSON)/lib/libjansson.a -o $@ 2>&1 | grep -v 'Cannot export local symbol' || true

# Seeds: every request of every case script, behind the byte that names its operation.
fuzz-requests: $(FUZZ)/fuzz-requests
	@rm -rf $(FUZZ)/seeds-requests && mkdir -p $(FUZZ)/seeds-requests $(FUZZ)/corpus-requests
	@python3 Tests/fuzz/request_seeds.py Sources/IoTEventsAPI/ServiceModel/operations.txt $(FUZZ)/seeds-requests Tests/cases/*/script
	$(FUZZ)/fuzz-requests -max_total_time=$(FUZZ_SECONDS) -dict=Tests/fuzz/requests.dict -max_len=4096 -rss_limit_mb=4096 \
	  -artifact_prefix=$(FUZZ)/ $(FUZZ)/corpus-requests $(FUZZ)/seeds-requests 2>&1 | tail -n 3

fuzz: fuzz-expressions fuzz-requests

# --- tests ----------------------------------------------------------------------------------
$(HARNESS): Tests/c/harness.c include/iotevents.h $(LIB_standard)
	$(CC) $(CFLAGS_TEST) $< -o $@ -L$(OUT)/standard -liotevents -ldl

# A host that exports json-c's symbols (as OpenWrt's ubus/rpcd do) must not hijack jansson.
$(OUT)/harness-jsonc: Tests/c/harness.c Tests/c/jsonc_host.c Tests/c/unversioned_symbol.c include/iotevents.h $(LIB_standard) | deps-test
	$(CC) $(CFLAGS_TEST) -rdynamic -DHARNESS_MAIN=harness_main Tests/c/harness.c Tests/c/jsonc_host.c Tests/c/unversioned_symbol.c -o $@ \
	  -L$(OUT)/standard -liotevents -ldl $$(pkg-config --cflags --libs json-c)

test: deps-test check-schema swift-test c-test check-alarm-table python-test check-exports check-jsonc check-jsonc-control check-install check-memcheck check-mutations check-durability test-tsan lua-test check-bad-inputs check-hostile-hosts check-soak
	@echo "make test: all suites passed"

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
# each into a fresh venv, offline, running the example. pytest and boto3 come from PyPI when missing.
# test_newest_boto3.py also keeps build/boto3-venv with the newest boto3 from PyPI (refreshed at
# most once a day) and runs iotevents.boto3 there.
PY_TEST_PACKAGES := pytest boto3
python-test: $(LIB_standard) $(LIB_small) | deps-test
	@missing=""; for m in $(PY_TEST_PACKAGES); do python3 -c "import $$m" 2>/dev/null || missing="$$missing $$m"; done; \
	if [ -n "$$missing" ]; then echo "pip installing:$$missing"; python3 -m pip install -q $$missing; fi
	@python3 bindings/python/tools/gen_operations.py models/botocore-data | cmp -s - bindings/python/iotevents/_operations.py || \
	  { echo "bindings/python/iotevents/_operations.py is stale: regenerate it with bindings/python/tools/gen_operations.py"; exit 1; }
	IOTEVENTS_LIBRARY=$(OUT)/standard/libiotevents.so.0 PYTHONPATH=bindings/python python3 -m pytest -q -p no:cacheprovider bindings/python/tests
	IOTEVENTS_LIBRARY=$(OUT)/small/libiotevents.so.0 PYTHONPATH=bindings/python python3 -m pytest -q -p no:cacheprovider bindings/python/tests
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
	@$(OUT)/python-venv/bin/pip install -q --no-index --no-cache-dir --force-reinstall $(OUT)/python/*.whl
	@cd /tmp && env -u IOTEVENTS_LIBRARY LD_LIBRARY_PATH= $(OUT)/python-venv/bin/python -c \
	  'import iotevents, os; e = iotevents.Engine(); assert os.path.dirname(iotevents.__file__) in e.library_path, e.library_path' \
	  || { echo "check-python-install: the wheel did not load its bundled library"; exit 1; }
	@cd /tmp && env -u IOTEVENTS_LIBRARY $(OUT)/python-venv/bin/python $(ROOT)/examples/python/heartbeat.py | grep 'pump-2   Offline' >/dev/null \
	  || { echo "check-python-install: the wheel did not run the example"; exit 1; }
	@cd /tmp && $(OUT)/python-venv/bin/python -c "$$PY_DATA_CHECK" \
	  || { echo "check-python-install: the wheel lacks botocore-data or the pytest11 entry point"; exit 1; }
	@echo "check-python-install: 5 passed, 0 failed ($$(basename $(OUT)/python/*.whl))"

# Durable state (issue 8), both profiles: the crash harness (a child killed with SIGKILL at 200
# random moments, every acknowledged call checked after each restart), damaged directories, every
# case's state through a restart (fidelity), system-clock timers that fell due while the process
# was down (downtime), 8 threads on one engine (stress), and valgrind.
DURABILITY_KILLS ?= 200
$(OUT)/crash-harness: Tests/durability/crash_harness.c include/iotevents.h Tests/c/test_files.h $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
	$(CC) $(CFLAGS_TEST) -I$(JANSSON_DIR)/include $< -o $@ -L$(OUT)/standard -liotevents $(JANSSON_DIR)/lib/libjansson.a

$(OUT)/corruption: Tests/durability/corruption.c include/iotevents.h Tests/c/test_files.h $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
	$(CC) $(CFLAGS_TEST) -I$(JANSSON_DIR)/include $< -o $@ -L$(OUT)/standard -liotevents $(JANSSON_DIR)/lib/libjansson.a

$(OUT)/host-safety: Tests/durability/host_safety.c include/iotevents.h Tests/c/test_files.h $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
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
check-schema:
	@tmp=$$(mktemp -d); python3 Sources/IoTEventsAPI/ServiceModel/generate-schema.py models/botocore-data $$tmp/schema.swift && \
	  cmp -s $$tmp/schema.swift Sources/IoTEventsAPI/ServiceModel/ServiceSchema.generated.swift && \
	  cmp -s $$tmp/schema.swift.abi Sources/IoTEvents/OperationEntryPoints.generated.swift && \
	  cmp -s $$tmp/schema.swift.ops Sources/IoTEventsAPI/ServiceModel/operations.txt && \
	  echo "check-schema: 1 passed, 0 failed" || { echo "generated tables are stale: run make schema"; rm -rf $$tmp; exit 1; }; \
	  rm -rf $$tmp

schema:
	python3 Sources/IoTEventsAPI/ServiceModel/generate-schema.py

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
