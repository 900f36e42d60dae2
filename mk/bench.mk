# make bench: every benchmark row (Tests/bench/README.md says what each measures). Speed targets
# live here, never in timed tests. Included by the Makefile.
.PHONY: bench bench-analysis bench-replay bench-messages bench-logging bench-listing bench-durability bench-python bench-expressions bench-report

bench: $(OUT)/bench-control-plane $(LIB_small) | deps-test
	sh Tests/bench/run.sh $(OUT)/bench-control-plane $(OUT) 2000
	@$(MAKE) --no-print-directory bench-messages
	@$(MAKE) --no-print-directory bench-logging
	@$(MAKE) --no-print-directory bench-listing
	@$(MAKE) --no-print-directory bench-replay
	@$(MAKE) --no-print-directory bench-expressions
	@$(MAKE) --no-print-directory bench-durability
	@$(MAKE) --no-print-directory bench-python
	@$(MAKE) --no-print-directory bench-lua
	@$(MAKE) --no-print-directory bench-mqttd
	@$(MAKE) --no-print-directory bench-cluster
	@$(MAKE) --no-print-directory bench-analysis
	@$(MAKE) --no-print-directory bench-report

# The performance issue's other rows, both profiles, each beside a baseline of the same run where
# one exists: throughput, 1-message latency, memory per detector, timers, a ListDetectors page and
# DescribeDetector at 1 M detectors, model load, size (Tests/bench/report.sh says how each is
# measured). BENCH_SCALE=small runs the 1 M rows at 100 000 (a quick check). Writes
# build/bench/report.json.
BENCH_REPORT_PROGRAMS := heartbeat-workload message-path latency detector-memory timers-at-scale pages-at-scale model-load
bench-report: $(addprefix $(OUT)/,$(BENCH_REPORT_PROGRAMS)) $(LIB_small) | deps-test
	sh Tests/bench/report.sh $(OUT)

# The message path: engine instructions per message beside the JSON work any implementation must do.
bench-messages: $(OUT)/message-path $(LIB_small) | deps-test
	sh Tests/bench/message_path.sh $(OUT)/message-path $(OUT)

# What logging costs the message path: no handler, a handler with logging off, ERROR, INFO, DEBUG.
bench-logging: $(OUT)/message-path $(LIB_small) | deps-test
	sh Tests/bench/logging.sh $(OUT)/message-path $(OUT)

# A page of ListDetectors filtered by state at 10 000 and 100 000 detectors: its cost must not grow.
bench-listing: $(OUT)/listing $(LIB_small) | deps-test
	sh Tests/bench/listing.sh $(OUT)/listing $(OUT)

# iotevents replay through the command line: messages/s (Tests/bench/replay.sh; BENCH_SCALE=small: 100 000).
bench-replay: $(LIB_standard) $(LIB_small) | deps-test
	sh Tests/bench/replay.sh $(OUT)

# Durability rows (issue 8): each durability mode as a ratio to the in-memory rate.
bench-durability: $(OUT)/heartbeat-workload $(LIB_small)
	@sh Tests/bench/durability.sh $(OUT)/heartbeat-workload $(OUT)

# Python rows (issue 6): the binding vs the C ABI vs the same machine written with `transitions`.
bench-python: $(OUT)/heartbeat-workload $(LIB_small) | deps-test
	@sh tools/install-deps.sh pip transitions
	@mkdir -p $(OUT)/bench
	@for p in standard small; do echo "Python binding, $$p profile:"; \
	  LD_LIBRARY_PATH=$(OUT)/$$p PYTHONPATH=bindings/python python3 Tests/bench/python_binding.py \
	    $(OUT)/$$p/libiotevents.so.0 $(OUT)/heartbeat-workload examples/models 2000 $(OUT)/bench/python-$$p.json; done

# Expression evaluation: ns/eval and callgrind instructions/eval beside a hand-written baseline.
bench-expressions: | deps-test
	@swift build -c release --scratch-path .build-bench --product expression-bench 2>&1 | grep -E 'error|warning: unre' || true
	sh Tests/bench/expressions.sh .build-bench/release/expression-bench $(OUT)

# Detector model analysis (issue 29): callgrind instructions of StartDetectorModelAnalysis on a
# model of 20 states and 50 variables, both profiles (Tests/bench/analysis.sh).
bench-analysis: $(OUT)/analysis-bench $(LIB_standard) $(LIB_small) | deps-test
	sh Tests/bench/analysis.sh $(OUT)/analysis-bench $(OUT)
