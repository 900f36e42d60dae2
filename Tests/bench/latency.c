/* Single-message latency: BatchPutMessage calls of ONE Heartbeat message (examples/models
 * heartbeat.json) over KEYS devices. CALLS calls warm up (every device gets its detector when
 * CALLS >= KEYS), then CALLS more are measured, each with its own messageId.
 *
 *   latency engine|baseline MODELS_DIR CALLS KEYS wall|count
 *
 * engine:   iotevents_call for each request.
 * baseline: the JSON work any implementation must do for it (json_baseline.h, as make
 *           bench-messages's baseline: parse, decode and parse the payload, dump the response).
 * wall:  clock_gettime around each measured call; prints "p50_ns p99_ns" of the sorted times.
 * count: no clock; under callgrind, --toggle-collect=measured_calls counts the measured calls
 *        only (Tests/bench/report.sh divides by CALLS).
 * Requests are written before the warm-up. */
#define _POSIX_C_SOURCE 200809L
#include "iotevents.h"
#include "bench_support.h"
#include "json_baseline.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REQUEST_BYTES = 320 };

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Not inlined: callgrind counts from its entry to its return. */
__attribute__((noinline)) void measured_calls(iotevents_engine *engine, const char *requests, long first, long count,
                                              double *times) {
    for (long call = first; call < first + count; call++) {
        double start = times ? bench_seconds() : 0;
        if (engine) must(engine, "BatchPutMessage", requests + call * REQUEST_BYTES);
        else message_baseline(requests + call * REQUEST_BYTES);
        if (times) times[call - first] = bench_seconds() - start;
    }
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: %s engine|baseline MODELS_DIR CALLS KEYS wall|count\n", argv[0]); return 2; }
    long calls = atol(argv[3]), keys = atol(argv[4]);
    int wall = strcmp(argv[5], "wall") == 0;
    iotevents_engine *engine = strcmp(argv[1], "engine") == 0 ? heartbeat_engine(argv[2], "{}") : NULL;
    unbase64_init();
    char *requests = malloc((size_t)(2 * calls) * REQUEST_BYTES);
    double *times = malloc((size_t)calls * sizeof *times);
    if (!requests || !times) return 1;
    for (long n = 0; n < 2 * calls; n++) {
        char payload[128], encoded[192];
        snprintf(payload, sizeof payload, "{\"deviceId\":\"dev-%ld\",\"battery\":%ld}", n % keys, n % 100);
        base64(payload, encoded);
        snprintf(requests + n * REQUEST_BYTES, REQUEST_BYTES,
                 "{\"messages\":[{\"messageId\":\"%ld\",\"inputName\":\"Heartbeat\",\"payload\":\"%s\"}]}", n, encoded);
    }
    for (long call = 0; call < calls; call++) { /* the warm-up, outside measured_calls */
        if (engine) must(engine, "BatchPutMessage", requests + call * REQUEST_BYTES);
        else message_baseline(requests + call * REQUEST_BYTES);
    }
    measured_calls(engine, requests, calls, calls, wall ? times : NULL);
    if (wall) {
        qsort(times, (size_t)calls, sizeof *times, by_value);
        printf("%.0f %.0f\n", times[calls / 2] * 1e9, times[(calls * 99) / 100] * 1e9);
    }
    free(times);
    free(requests);
    if (engine) iotevents_close(engine);
    return baseline_sink == -1;
}
