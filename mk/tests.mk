# The suites of make test that run C programs and scripts; each suite's logic is a script beside
# its tests (runnable alone: the comment at its top says how), these rules only build what it
# needs. Included by the Makefile.
.PHONY: swift-test c-test check-memcheck check-durability check-soak test-tsan check-alarm-table check-mutations \
        check-jsonc check-jsonc-control check-libc-shim check-libc-floor check-exports check-install check-generated generate check-phony check-size

swift-test: $(JANSSON_DEP) | deps
	@mkdir -p $(OUT)
	@$(SWIFT_ENV) swift test --scratch-path .build-test > $(OUT)/swift-test.log 2>&1; rc=$$?; \
	  grep -E '✘|error:|failed' $(OUT)/swift-test.log | head -40; tail -n 2 $(OUT)/swift-test.log; exit $$rc

# The same cases, the same expected transcripts, both profiles.
c-test: $(HARNESS) $(LIB_standard) $(LIB_small)
	LD_LIBRARY_PATH=$(OUT)/standard sh Tests/c/run-cases.sh $(HARNESS) Tests/cases standard
	LD_LIBRARY_PATH=$(OUT)/small sh Tests/c/run-cases.sh $(HARNESS) Tests/cases small

check-memcheck: $(HARNESS) $(LIB_standard) $(LIB_small) | deps-test
	sh Tests/c/memcheck.sh $(HARNESS) $(OUT)/standard $(OUT)/small

# Durable state (issue 8), both profiles: Tests/durability/run.sh, then the corruption program
# under valgrind.
check-durability: $(addprefix $(OUT)/,crash-harness redelivery corruption host-safety fidelity downtime stress) $(LIB_small) | deps-test
	@for p in standard small; do echo "check-durability $$p:"; \
	  RUN="env LD_LIBRARY_PATH=$(OUT)/$$p" sh Tests/durability/run.sh $(OUT) $(OUT)/durability-$$p full || exit 1; done
	@rm -rf $(OUT)/durability-valgrind && LD_LIBRARY_PATH=$(OUT)/standard valgrind -q --child-silent-after-fork=yes --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  --error-exitcode=9 $(OUT)/corruption Tests/durability $(OUT)/durability-valgrind > $(OUT)/durability-valgrind.log 2>&1 \
	  && echo "check-durability: corruption under valgrind: clean" || { head -40 $(OUT)/durability-valgrind.log; exit 1; }

# The soak (issue 10): 1 000 000 messages with model updates and deletes; resident memory flat.
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

# A host that exports json-c's symbols (as OpenWrt's ubus/rpcd do) must not hijack jansson.
$(OUT)/harness-jsonc: Tests/c/harness.c Tests/c/jsonc_host.c Tests/c/unversioned_symbol.c include/iotevents.h $(LIB_standard) | deps-test
	$(CC) $(CFLAGS_TEST) -rdynamic -DHARNESS_MAIN=harness_main Tests/c/harness.c Tests/c/jsonc_host.c Tests/c/unversioned_symbol.c -o $@ \
	  -L$(OUT)/standard -liotevents -ldl $$(pkg-config --cflags --libs json-c)

check-jsonc: $(OUT)/harness-jsonc
	LD_LIBRARY_PATH=$(OUT)/standard sh Tests/c/run-cases.sh $(OUT)/harness-jsonc Tests/cases json-c-host

# The control experiment that shows check-jsonc can fail: the same host, with a build that links
# the system's shared libjansson, must get wrong answers.
check-jsonc-control: $(OUT)/harness-jsonc | deps-test
	@sh tools/install-deps.sh jansson-system
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

# Both stripped sizes (make size), and what the small library must not contain.
check-size: $(LIB_standard) $(LIB_small)
	@$(MAKE) --no-print-directory size
	sh Tests/c/check-small-contents.sh $(LIB_small)

check-exports: $(LIB_standard) $(LIB_small)
	sh Tests/c/check-exports.sh include/iotevents.h $(LIB_standard) $(LIB_small)

# make install into a scratch prefix, then the README's example built against it with pkg-config
# and run; make uninstall must leave nothing behind (Tests/c/check-install.sh).
check-install: $(LIB_standard) | deps-test
	sh Tests/c/check-install.sh "$(MAKE)"

# The generated tables must be what the vendored service models (models/botocore-data) give.
# Every generated file (tools/codegen.py: the Swift schema and entry points, the status table,
# the Python and Lua tables, the Python stubs) regenerated into a temporary directory and
# compared with the committed one; also the header's status enum and configuration keys against
# tools/codegen-extras.json. Never skips.
check-generated:
	@python3 tools/codegen.py --check

generate:
	python3 tools/codegen.py

# Every target that names no file is .PHONY (tools/check-phony.sh reads make's database).
check-phony:
	@sh tools/check-phony.sh "$(MAKE)"
