# Fuzzing with libFuzzer (Tests/fuzz/README.md): make fuzz-<target> runs one for FUZZ_SECONDS,
# make fuzz all of them, make fuzz-long the long runs. Included by the Makefile.
.PHONY: fuzz fuzz-build fuzz-long fuzz-expressions fuzz-requests fuzz-config fuzz-snapshot fuzz-log fuzz-stateful \
        check-fuzz-regressions check-fuzz-pending

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
# its target (in make test); the inputs still waiting for their fix (Tests/fuzz/pending/): which
# crash yet, which pass now. Tests/fuzz/regressions.sh.
check-fuzz-regressions:
	@sh Tests/fuzz/regressions.sh "$(MAKE)" $(FUZZ) -- $(FUZZ_FLAGS)

check-fuzz-pending:
	@sh Tests/fuzz/regressions.sh "$(MAKE)" $(FUZZ) pending -- $(FUZZ_FLAGS)
