# Fuzzing with libFuzzer (Tests/fuzz/README.md): make fuzz-<target> runs one for FUZZ_SECONDS,
# make fuzz all of them, make fuzz-long the long runs. Included by the Makefile.
.PHONY: fuzz fuzz-build fuzz-long fuzz-expressions fuzz-requests fuzz-config fuzz-snapshot fuzz-log fuzz-stateful \
        check-fuzz-regressions check-fuzz-pending fuzz-seeds-config fuzz-seeds-log fuzz-seeds-snapshot fuzz-seeds-stateful

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
# run-fuzzer NAME, FLAGS, SEED DIRECTORIES: new inputs go to build/fuzz/corpus-NAME.
define run-fuzzer
	@mkdir -p $(FUZZ)/corpus-$(1) $(FUZZ)/artifacts-$(1)
	@echo "fuzz-$(1): $(FUZZ_SECONDS) s, log $(FUZZ)/fuzz-$(1).log"
	@$(FUZZ_ENV) $(FUZZ)/fuzz-$(1) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) $(2) -artifact_prefix=$(FUZZ)/artifacts-$(1)/ \
	  $(FUZZ)/corpus-$(1) $(3) > $(FUZZ)/fuzz-$(1).log 2>&1; rc=$$?; grep -v '^stat::' $(FUZZ)/fuzz-$(1).log | tail -n 3; grep -h 'average_exec_per_sec' $(FUZZ)/fuzz-$(1).log; \
	if [ $$rc -ne 0 ]; then grep -m 1 -A 40 -E '^==[0-9]+==ERROR|Fatal error|deadly signal|ALARM: working|out-of-memory' $(FUZZ)/fuzz-$(1).log; \
	  echo "fuzz-$(1): FAILED (exit $$rc); the input is in $(FUZZ)/artifacts-$(1)/, the log in $(FUZZ)/fuzz-$(1).log"; fi; exit $$rc
endef

# The targets are the executables of a SwiftPM package of their own, Tests/fuzz/Package.swift
# (the core and the API layer compiled there from symlinks to Sources/, for ASan and libFuzzer),
# with an instrumented jansson built here first and passed in IOTEVENTS_JANSSON_DIR, as the root
# package gets its own. One `swift build` builds all six (scratch folder build/fuzz/spm; building
# them one at a time with --product recompiles the core at every switch between fuzz-expressions,
# which has no API layer, and the others), copied to build/fuzz/fuzz-<name>, where the rules,
# regressions.sh and long-runs.sh run them. `--sanitize=fuzzer` must stay on the command line:
# without it SwiftPM renames the executables' main, and libFuzzer's main does not link.
FUZZ_NAMES := expressions requests config snapshot log stateful
FUZZ_JANSSON := $(FUZZ)/jansson
FUZZ_SPM := IOTEVENTS_JANSSON_DIR=$(FUZZ_JANSSON) swift build -c release --package-path Tests/fuzz \
  --scratch-path $(FUZZ)/spm --sanitize=fuzzer --sanitize=address
# What the package compiles (Tests/fuzz/Package.swift is one of Tests/fuzz/*.swift).
FUZZ_PACKAGE_SOURCES := $(shell find Sources/IoTEventsCore Sources/IoTEventsAPI -name '*.swift') \
  $(wildcard Sources/CLibcShim/*.c Sources/CLibcShim/include/*.h Sources/CJanssonShim/*.c Sources/CJanssonShim/include/*.h Tests/fuzz/*.swift)
# The link warns about every local symbol of ASan's runtime; a failing build still fails (pipefail).
FUZZ_LINK_FILTER := 2>&1 | { grep -v 'Cannot export local symbol' || true; }

$(FUZZ_JANSSON)/lib/libjansson.a: Sources/CJanssonShim/build-jansson.sh | $(JANSSON_DIR)/lib/libjansson.a
	@mkdir -p $(FUZZ)
	sh Sources/CJanssonShim/build-jansson.sh $(FUZZ_JANSSON) clang "-g -fsanitize=address,fuzzer-no-link"

# SwiftPM does not see the jansson it links (a linker flag): a new one removes its executables,
# so that they are linked again.
$(addprefix $(FUZZ)/fuzz-,$(FUZZ_NAMES)) &: $(FUZZ_PACKAGE_SOURCES) $(FUZZ_JANSSON)/lib/libjansson.a
	$(if $(filter $(FUZZ_JANSSON)/lib/libjansson.a,$?),rm -f $(addprefix $(FUZZ)/spm/release/fuzz-,$(FUZZ_NAMES)))
	set -o pipefail; $(FUZZ_SPM) $(FUZZ_LINK_FILTER)
	cd $(FUZZ)/spm/release && cp $(addprefix fuzz-,$(FUZZ_NAMES)) $(FUZZ)/

fuzz-build: $(addprefix $(FUZZ)/fuzz-,$(FUZZ_NAMES))

# Seeds: every expression of the conformance table.
fuzz-expressions: $(FUZZ)/fuzz-expressions
	@rm -rf $(FUZZ)/seeds-expressions && mkdir -p $(FUZZ)/seeds-expressions
	@awk -F'\t' '!/^#/ && NF > 1 { print $$1 > sprintf("$(FUZZ)/seeds-expressions/%04d", NR) }' Tests/expressions/conformance.tsv
	$(call run-fuzzer,expressions,-dict=Tests/fuzz/expressions.dict -max_len=1024,$(FUZZ)/seeds-expressions)

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
fuzz-seeds-config fuzz-seeds-log fuzz-seeds-snapshot fuzz-seeds-stateful: fuzz-seeds-%: $(FUZZ)/fuzz-%
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
