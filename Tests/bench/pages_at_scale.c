/* ListDetectors and DescribeDetector at scale: N devices of examples/models heartbeat.json send a
 * heartbeat each (N detectors), then the first unfiltered ListDetectors page of 100 (median of 21
 * calls) and DescribeDetector of devices spread over the N (median of 1001 calls) are timed with
 * clock_gettime. Beside each, its baseline timed the same way: the JSON work any implementation
 * must do (parse the request with jansson, build and dump the same response, obtained once from
 * the engine), as make bench's DescribeInput row does. (make bench-listing counts a
 * state-filtered page at 10 000 and 100 000 detectors.)
 *   pages_at_scale MODELS_DIR N   prints "list_page_us list_baseline_us describe_us describe_baseline_us" */
#define _POSIX_C_SOURCE 200809L
#include "iotevents.h"
#include "bench_support.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long sink;

/* The median of `count` timed calls of `operation` (the request of call i from `request`); with
 * `baseline`, of the baseline's work instead: parse the request, copy and dump the response
 * that the engine gave for it. */
static double median_call(iotevents_engine *engine, const char *operation, int count,
                          void (*request)(char *buffer, size_t size, int i, long n), long n, int baseline) {
    double *times = malloc((size_t)count * sizeof *times);
    char buffer[256];
    for (int i = 0; i < count; i++) {
        request(buffer, sizeof buffer, i, n);
        json_t *response = NULL;
        if (baseline) {
            char *text = NULL;
            if (iotevents_call(engine, operation, buffer, &text) != IOTEVENTS_OK) { fprintf(stderr, "%s\n", text); exit(1); }
            response = json_loads(text, 0, NULL);
            iotevents_free(text);
        }
        double start = bench_seconds();
        if (baseline) {
            json_t *parsed = json_loads(buffer, JSON_REJECT_DUPLICATES, NULL), *copy = json_deep_copy(response);
            char *text = json_dumps(copy, JSON_COMPACT | JSON_REAL_PRECISION(15));
            sink += (long)strlen(text);
            free(text);
            json_decref(copy);
            json_decref(parsed);
        } else {
            must(engine, operation, buffer);
        }
        times[i] = bench_seconds() - start;
        json_decref(response);
    }
    qsort(times, (size_t)count, sizeof *times, by_value);
    double median = times[count / 2];
    free(times);
    return median;
}

static void list_request(char *buffer, size_t size, int i, long n) {
    (void)i;
    (void)n;
    snprintf(buffer, size, "{\"detectorModelName\":\"deviceHeartbeat\",\"maxResults\":100}");
}

static void describe_request(char *buffer, size_t size, int i, long n) {
    snprintf(buffer, size, "{\"detectorModelName\":\"deviceHeartbeat\",\"keyValue\":\"dev-%07ld\"}",
             (long)(((unsigned long)i * 2654435761u) % (unsigned long)n));
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODELS_DIR N\n", argv[0]); return 2; }
    long n = atol(argv[2]);
    iotevents_engine *engine = heartbeat_engine(argv[1], "{\"maxDetectorsPerModel\":100000000,\"maxDedupEntries\":1}");
    heartbeat_detectors(engine, 0, n);
    double list = median_call(engine, "ListDetectors", 21, list_request, n, 0);
    double list_baseline = median_call(engine, "ListDetectors", 21, list_request, n, 1);
    double describe = median_call(engine, "DescribeDetector", 1001, describe_request, n, 0);
    double describe_baseline = median_call(engine, "DescribeDetector", 1001, describe_request, n, 1);
    printf("%.1f %.1f %.2f %.2f\n", list * 1e6, list_baseline * 1e6, describe * 1e6, describe_baseline * 1e6);
    iotevents_close(engine);
    return sink == -1;
}
