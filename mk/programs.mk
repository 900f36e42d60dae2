# The C test and benchmark programs: one table, one pattern rule for the host (build/<name>,
# linked to build/standard's library; LD_LIBRARY_PATH picks the profile when it runs) and one for
# each cross target (build/<target>/<name>, in mk/cross.mk). Included by the Makefile.
#
#   PROGRAM_SOURCE_<name>   its source; the table is every variable of this form
#   PROGRAM_JANSSON         the programs that read documents with the private jansson (linked
#                           statically: the library's copy is hidden)
#   PROGRAM_FLAGS_<name>    its own flags (after CFLAGS_TEST, so -O2 wins)
#   PROGRAM_MORE_<name>     its other sources and headers (a program of several files)
# Every program depends on every test header, so a change to one rebuilds them all.

PROGRAM_SOURCE_harness := Tests/c/harness.c
PROGRAM_SOURCE_mutation-smoke := Tests/c/mutation_smoke.c
PROGRAM_SOURCE_crash-harness := Tests/durability/crash_harness.c
PROGRAM_SOURCE_corruption := Tests/durability/corruption.c
PROGRAM_SOURCE_redelivery := Tests/durability/redelivery.c
PROGRAM_SOURCE_host-safety := Tests/durability/host_safety.c
PROGRAM_SOURCE_fidelity := Tests/durability/fidelity.c
PROGRAM_SOURCE_downtime := Tests/durability/downtime.c
PROGRAM_SOURCE_stress := Tests/durability/stress.c
PROGRAM_SOURCE_soak := Tests/hardening/soak.c
PROGRAM_SOURCE_detector-demo := examples/c/detector_demo.c
PROGRAM_SOURCE_inputs-demo := examples/c/inputs_demo.c
PROGRAM_SOURCE_message-path := Tests/bench/message_path.c
PROGRAM_SOURCE_heartbeat-workload := Tests/bench/heartbeat_workload.c
PROGRAM_SOURCE_bench-control-plane := Tests/bench/control_plane.c
PROGRAM_SOURCE_listing := Tests/bench/listing.c
PROGRAM_SOURCE_latency := Tests/bench/latency.c
PROGRAM_SOURCE_detector-memory := Tests/bench/detector_memory.c
PROGRAM_SOURCE_timers-at-scale := Tests/bench/timers_at_scale.c
PROGRAM_SOURCE_pages-at-scale := Tests/bench/pages_at_scale.c
PROGRAM_SOURCE_model-load := Tests/bench/model_load.c
# The MQTT gateway daemon (issue 27, daemons/mqttd/README.md): installed by make install.
PROGRAM_SOURCE_iotevents-mqttd := daemons/mqttd/main.c
PROGRAM_MORE_iotevents-mqttd := $(filter-out daemons/mqttd/main.c,$(wildcard daemons/mqttd/*.c daemons/mqttd/*.h))
PROGRAM_SOURCE_analysis-bench := Tests/bench/analysis.c

PROGRAM_JANSSON := iotevents-mqttd mutation-smoke crash-harness redelivery corruption host-safety fidelity message-path bench-control-plane model-load latency pages-at-scale
PROGRAM_FLAGS_harness := -ldl
PROGRAM_FLAGS_stress := -pthread
PROGRAM_FLAGS_iotevents-mqttd := -lmosquitto -pthread
PROGRAM_FLAGS_soak := -O2
PROGRAM_FLAGS_message-path := -O2
PROGRAM_FLAGS_heartbeat-workload := -O2
PROGRAM_FLAGS_bench-control-plane := -O2
PROGRAM_FLAGS_listing := -O2
PROGRAM_FLAGS_latency := -O2
PROGRAM_FLAGS_detector-memory := -O2
PROGRAM_FLAGS_timers-at-scale := -O2
PROGRAM_FLAGS_pages-at-scale := -O2
PROGRAM_FLAGS_model-load := -O2
PROGRAM_FLAGS_analysis-bench := -O2
# The examples compile as a user's program would (no -Werror); on the host, with an rpath to the
# build so that `make demo` runs them as they are.
PROGRAM_FLAGS_detector-demo := -Wno-error
PROGRAM_FLAGS_inputs-demo := -Wno-error
PROGRAM_HOST_FLAGS_detector-demo := -Wl,-rpath,$(OUT)/standard
PROGRAM_HOST_FLAGS_inputs-demo := -Wl,-rpath,$(OUT)/standard
# installed beside the library: bin/ finds lib/ wherever the prefix is
PROGRAM_HOST_FLAGS_iotevents-mqttd := -Wl,-rpath,'$$ORIGIN/../lib'

PROGRAMS := $(patsubst PROGRAM_SOURCE_%,%,$(filter PROGRAM_SOURCE_%,$(.VARIABLES)))
PROGRAM_HEADERS := include/iotevents.h Tests/c/test_files.h Tests/durability/detector_counter.h Tests/bench/bench_support.h Tests/bench/json_baseline.h \
  Tests/hardening/hostile.h
# program-flags NAME, JANSSON_DIR: the compile flags and the libraries after -liotevents
program-cflags = $(if $(filter $(1),$(PROGRAM_JANSSON)),-I$(2)/include)
program-libs = $(if $(filter $(1),$(PROGRAM_JANSSON)),$(2)/lib/libjansson.a) $(PROGRAM_FLAGS_$(1))

.SECONDEXPANSION:
$(addprefix $(OUT)/,$(PROGRAMS)): $(OUT)/%: $$(PROGRAM_SOURCE_$$*) $$(PROGRAM_MORE_$$*) $(PROGRAM_HEADERS) $(LIB_standard) $(JANSSON_DIR)/lib/libjansson.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) $(call program-cflags,$*,$(JANSSON_DIR)) $< $(filter %.c,$(PROGRAM_MORE_$*)) -o $@ -L$(OUT)/standard -liotevents \
	  $(call program-libs,$*,$(JANSSON_DIR)) $(PROGRAM_HOST_FLAGS_$*)
