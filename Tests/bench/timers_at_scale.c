/* Timers at scale: N devices of examples/models heartbeat.json send one heartbeat each at the same
 * instant, so N watchdogs (300 s) are due together; ONE iotevents_tick 301 s later fires all N
 * (each detector goes Offline and sends its sns action to a no-op handler). The engine is opened
 * with limits.maxEvaluationsPerCall at its maximum (100 000 000), so the one tick is not cut at
 * the default 1000 evaluations; the program checks that it returned N.
 * Also the cost of iotevents_next_deadline with the N timers pending (mean of 100 000 calls).
 *   timers_at_scale MODELS_DIR N        prints "tick_ms next_deadline_ns" */
#define _POSIX_C_SOURCE 200809L
#include "iotevents.h"
#include "bench_support.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static long actions;

static void count_action(const char *action_json, void *payload) {
    (void)action_json;
    (void)payload;
    actions++;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODELS_DIR N\n", argv[0]); return 2; }
    long n = atol(argv[2]);
    iotevents_engine *engine = heartbeat_engine(argv[1],
        "{\"maxDetectorsPerModel\":100000000,\"maxDedupEntries\":1,\"maxEvaluationsPerCall\":100000000}");
    iotevents_set_action_handler(engine, count_action, NULL);
    heartbeat_detectors(engine, 0, n);
    enum { DEADLINE_CALLS = 100000 };
    if (iotevents_next_deadline(engine) != 1700000000000 + 300000) { fprintf(stderr, "unexpected deadline\n"); return 1; }
    volatile int64_t sink = 0;
    double start = bench_seconds();
    for (int i = 0; i < DEADLINE_CALLS; i++) sink += iotevents_next_deadline(engine);
    double deadline_seconds = bench_seconds() - start;
    start = bench_seconds();
    int64_t fired = iotevents_tick(engine, 1700000000000 + 301000);
    double tick_seconds = bench_seconds() - start;
    if (fired != n || actions != n) { fprintf(stderr, "tick fired %lld, %ld actions, of %ld\n", (long long)fired, actions, n); return 1; }
    printf("%.1f %.1f\n", tick_seconds * 1e3, deadline_seconds / DEADLINE_CALLS * 1e9);
    iotevents_close(engine);
    return 0;
}
