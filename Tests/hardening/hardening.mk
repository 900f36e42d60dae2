# Tests/hardening/hardening.mk -- included by the top Makefile (issue 10). Tests/hardening/README.md
# says what each test proves.
#
#   make check-bad-inputs      the bad-input catalogue against both profiles, their responses
#                              compared, then a deterministic third of it under valgrind
#   make check-hostile-hosts   the hostile-host programs against both profiles, then under valgrind
#
# Both test the libraries already built in $(OUT)/standard and $(OUT)/small (make build,
# make build PROFILE=small); they never rebuild them. They run on snapshots of them taken when
# they start ($(HOUT)/lib/PROFILE), so that a rebuild meanwhile (which overwrites the .so in
# place) cannot crash a running test. valgrind 3.19 cannot read the DWARF 5 debug information in
# the library, so the valgrind runs use snapshots with it stripped ($(HOUT)/nodebug/PROFILE,
# symbol tables kept).

.PHONY: check-bad-inputs check-hostile-hosts hardening-libraries

HARDENING := Tests/hardening
HOUT := $(OUT)/hardening
HARDENING_PROFILES := standard small
HARDENING_KNOWN := $(HARDENING)/known-failures.txt
HARDENING_LIBS := $(foreach p,$(HARDENING_PROFILES),$(HOUT)/lib/$(p)/libiotevents.so.0 $(HOUT)/nodebug/$(p)/libiotevents.so.0)
HARDENING_VALGRIND := valgrind -q --error-exitcode=9 --suppressions=$(HARDENING)/valgrind.supp
HARDENING_LEAKS := --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
# The valgrind runs of the hostile hosts stretch their timing thresholds this much.
HOSTILE_VALGRIND_SCALE ?= 3
# Every Nth catalogue row under valgrind (N=1: all of them, about 45 s a profile).
BAD_INPUTS_VALGRIND_EVERY ?= 3

hardening-libraries:
	@for p in $(HARDENING_PROFILES); do [ -e $(OUT)/$$p/libiotevents.so.0 ] || \
	  { echo "$(OUT)/$$p/libiotevents.so.0 is missing: build it first (make build PROFILE=$$p)"; exit 1; }; done

# The snapshots, refreshed when the library is newer (written aside, then renamed into place).
# Never a prerequisite on the library itself: that rule would rebuild it from the sources.
$(HOUT)/lib/%/libiotevents.so.0: hardening-libraries
	@mkdir -p $(@D)
	@[ $@ -nt $(OUT)/$*/libiotevents.so.$(VERSION) ] || { cp $(OUT)/$*/libiotevents.so.$(VERSION) $@.tmp && mv $@.tmp $@; }

$(HOUT)/nodebug/%/libiotevents.so.0: hardening-libraries
	@mkdir -p $(@D)
	@[ $@ -nt $(OUT)/$*/libiotevents.so.$(VERSION) ] || { strip --strip-debug -o $@.tmp $(OUT)/$*/libiotevents.so.$(VERSION) && mv $@.tmp $@; }

# --- the bad-input catalogue -------------------------------------------------------------------
$(HOUT)/bad-inputs: $(HARDENING)/bad_inputs.c include/iotevents.h | hardening-libraries $(JANSSON_DIR)/lib/libjansson.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) -I$(JANSSON_DIR)/include $< -o $@ -L$(OUT)/standard -liotevents $(JANSSON_DIR)/lib/libjansson.a -ldl

BAD_INPUTS_ARGS := -k $(HARDENING_KNOWN) $(HARDENING)/bad-inputs.tsv $(HARDENING)/setups.tsv

check-bad-inputs: $(HOUT)/bad-inputs $(HARDENING_LIBS) | deps-test
	@fail=0; for p in $(HARDENING_PROFILES); do \
	  LD_LIBRARY_PATH=$(HOUT)/lib/$$p $(HOUT)/bad-inputs -l "check-bad-inputs $$p" -t $(HOUT)/bad-inputs-$$p.txt $(BAD_INPUTS_ARGS) || fail=1; \
	done; \
	if cmp -s $(HOUT)/bad-inputs-standard.txt $(HOUT)/bad-inputs-small.txt; then \
	  echo "check-bad-inputs: both profiles answered all $$(wc -l < $(HOUT)/bad-inputs-standard.txt) rows byte for byte alike"; \
	else echo "check-bad-inputs: the profiles answered differently:"; \
	  diff $(HOUT)/bad-inputs-standard.txt $(HOUT)/bad-inputs-small.txt | head -20; fail=1; fi; \
	for p in $(HARDENING_PROFILES); do \
	  ( LD_LIBRARY_PATH=$(HOUT)/nodebug/$$p $(HARDENING_VALGRIND) $(HARDENING_LEAKS) --log-file=$(HOUT)/bad-inputs-valgrind-$$p.log \
	      $(HOUT)/bad-inputs -n -e $(BAD_INPUTS_VALGRIND_EVERY) -l "check-bad-inputs valgrind $$p (one row in $(BAD_INPUTS_VALGRIND_EVERY))" \
	      $(BAD_INPUTS_ARGS) > $(HOUT)/bad-inputs-valgrind-$$p.out; echo $$? > $(HOUT)/bad-inputs-valgrind-$$p.rc ) & \
	done; wait; \
	for p in $(HARDENING_PROFILES); do \
	  grep -v '^bad-inputs' $(HOUT)/bad-inputs-valgrind-$$p.out | grep -v 'known failures' | tail -n 1; \
	  if [ "$$(cat $(HOUT)/bad-inputs-valgrind-$$p.rc)" != 0 ]; then fail=1; \
	    echo "FAIL valgrind $$p (exit $$(cat $(HOUT)/bad-inputs-valgrind-$$p.rc)):"; grep -v 'ok$$' $(HOUT)/bad-inputs-valgrind-$$p.out | head -20; \
	    grep '^==' $(HOUT)/bad-inputs-valgrind-$$p.log | head -40; fi; \
	done; exit $$fail

# --- the hostile hosts -------------------------------------------------------------------------
HOSTILE_TESTS := dlopen-cycles two-engines two-copies reentrant-callbacks callback-close slow-callbacks handler-swap
HOSTILE_BINS := $(addprefix $(HOUT)/,$(HOSTILE_TESTS))
# dlopen/dlclose cycles in the plain runs and under valgrind.
HOSTILE_CYCLES ?= 200
HOSTILE_VALGRIND_CYCLES ?= 3

# dlopen-cycles loads the library itself; the others link it (and two-copies also dlopens copies).
$(HOUT)/dlopen-cycles: $(HARDENING)/dlopen_cycles.c $(HARDENING)/hostile.h include/iotevents.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) $< -o $@ -ldl -pthread

$(HOUT)/two-engines: $(HARDENING)/two_engines.c
$(HOUT)/two-copies: $(HARDENING)/two_copies.c
$(HOUT)/reentrant-callbacks: $(HARDENING)/reentrant_callbacks.c
$(HOUT)/callback-close: $(HARDENING)/callback_close.c
$(HOUT)/slow-callbacks: $(HARDENING)/slow_callbacks.c
$(HOUT)/handler-swap: $(HARDENING)/handler_swap.c
$(filter-out $(HOUT)/dlopen-cycles,$(HOSTILE_BINS)): $(HARDENING)/hostile.h include/iotevents.h | hardening-libraries
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) $(filter %.c,$^) -o $@ -L$(OUT)/standard -liotevents -ldl -pthread

# hostile_run TEST PROFILE MODE (plain or valgrind): runs one program, counts it in pass/fail,
# prints its closing line (and its KNOWN lines), or its whole output when it fails. Under
# valgrind the tests that dlclose the library check memory accesses only: every unload leaks the
# runtimes' one-time allocations (known-failures.txt 6), which dlopen-cycles measures itself.
HOSTILE_RUN := hostile_run() { \
	  t=$$1; p=$$2; mode=$$3; dir=$(HOUT)/lib/$$p; vg=; cycles=$(HOSTILE_CYCLES); env=; \
	  if [ $$mode = valgrind ]; then dir=$(HOUT)/nodebug/$$p; cycles=$(HOSTILE_VALGRIND_CYCLES); \
	    env="HOSTILE_TIME_SCALE=$(HOSTILE_VALGRIND_SCALE) HOSTILE_NO_RSS=1"; \
	    case $$t in dlopen-cycles|two-copies) vg="$(HARDENING_VALGRIND) --leak-check=no";; \
	      *) vg="$(HARDENING_VALGRIND) $(HARDENING_LEAKS)";; esac; fi; \
	  case $$t in dlopen-cycles) args="$$dir/libiotevents.so.0 $$cycles examples/models/heartbeat-input.json examples/models/heartbeat.json";; \
	    two-copies) args="$$dir/libiotevents.so.0";; *) args=;; esac; \
	  out=$(HOUT)/$$t-$$p-$$mode.out; \
	  if env HOSTILE_PROFILE=$$p HOSTILE_KNOWN=$(HARDENING_KNOWN) $$env LD_LIBRARY_PATH=$$dir $$vg $(HOUT)/$$t $$args > $$out 2>&1; \
	  then pass=$$((pass+1)); printf '%-9s %s\n' $$mode "$$(tail -n 1 $$out)"; grep -h '^KNOWN' $$out | cut -c1-160 | sed 's/^/          /'; \
	  else rc=$$?; fail=$$((fail+1)); echo "FAIL $$t $$p $$mode (exit $$rc):"; head -n 60 $$out; fi; }

check-hostile-hosts: $(HOSTILE_BINS) $(HARDENING_LIBS) | deps-test
	@$(HOSTILE_RUN); pass=0; fail=0; \
	for p in $(HARDENING_PROFILES); do for t in $(HOSTILE_TESTS); do hostile_run $$t $$p plain; done; done; \
	for p in $(HARDENING_PROFILES); do ( pass=0; fail=0; for t in $(HOSTILE_TESTS); do hostile_run $$t $$p valgrind; done; \
	  echo "$$pass $$fail" > $(HOUT)/hostile-valgrind-$$p.count ) > $(HOUT)/hostile-valgrind-$$p.log 2>&1 & done; wait; \
	for p in $(HARDENING_PROFILES); do cat $(HOUT)/hostile-valgrind-$$p.log; read vp vf < $(HOUT)/hostile-valgrind-$$p.count; \
	  pass=$$((pass+vp)); fail=$$((fail+vf)); done; \
	echo "check-hostile-hosts: $$pass passed, $$fail failed ($(words $(HOSTILE_TESTS)) programs x $(words $(HARDENING_PROFILES)) profiles, plain and under valgrind)"; \
	[ $$fail -eq 0 ]
