/* The heartbeat workload through the C ABI, the baseline that the binding rows of `make bench`
 * (Python, Lua) are compared with: CALLS BatchPutMessage calls of 10 messages each over KEYS
 * devices of examples/models/heartbeat.json, base64 payloads as boto3 sends them. Prints
 * messages per second (wall clock; the caller compares it with rows measured in the same run).
 * The requests are written before timing starts.
 *
 * With STATE_DIR the engine keeps its state there with the given durability ("always" or
 * "groupCommit"): the durability rows of `make bench`.
 *
 *   heartbeat_workload MODELS_DIR CALLS KEYS [STATE_DIR DURABILITY]
 */
#define _POSIX_C_SOURCE 200809L
#include "iotevents.h"
#include "../c/test_files.h"
#include "bench_support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The request of call number `call`: message m carries deviceId dev-((call*10+m) % keys). */
static void batch_request(char *buffer, size_t size, long call, long keys) {
    size_t used = (size_t)snprintf(buffer, size, "{\"messages\":[");
    for (int m = 0; m < 10; m++) {
        long n = call * 10 + m;
        char payload[128], encoded[192];
        snprintf(payload, sizeof payload, "{\"deviceId\":\"dev-%ld\",\"battery\":%ld}", n % keys, n % 100);
        base64(payload, encoded);
        used += (size_t)snprintf(buffer + used, size - used,
                                 "%s{\"messageId\":\"%ld\",\"inputName\":\"Heartbeat\",\"payload\":\"%s\"}",
                                 m ? "," : "", n, encoded);
    }
    snprintf(buffer + used, size - used, "]}");
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 6) { fprintf(stderr, "usage: %s MODELS_DIR CALLS KEYS [STATE_DIR DURABILITY]\n", argv[0]); return 2; }
    long calls = atol(argv[2]), keys = atol(argv[3]);
    char config[4300] = "{\"clock\":\"manual\",\"startTimeMillis\":1700000000000}";
    if (argc == 6)
        snprintf(config, sizeof config, "{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,"
                 "\"stateDirectory\":\"%s\",\"durability\":\"%s\"}", argv[4], argv[5]);
    char *error = NULL;
    iotevents_engine *engine = iotevents_open(config, &error);
    if (!engine) { fprintf(stderr, "open: %s\n", error); return 1; }
    char *input = test_read_file(argv[1], "heartbeat-input.json"), *model = test_read_file(argv[1], "heartbeat.json");
    must(engine, "CreateInput", input);
    must(engine, "CreateDetectorModel", model);
    free(input);
    free(model);
    /* Requests are written before the clock starts, as the binding rows prepare theirs. */
    enum { REQUEST_BYTES = 2048 };
    char *requests = malloc((size_t)calls * REQUEST_BYTES);
    if (!requests) return 1;
    for (long call = 0; call < calls; call++)
        batch_request(requests + call * REQUEST_BYTES, REQUEST_BYTES, call, keys);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long call = 0; call < calls; call++)
        must(engine, "BatchPutMessage", requests + call * REQUEST_BYTES);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%.0f\n", (double)calls * 10 / seconds);
    free(requests);
    iotevents_close(engine);
    return 0;
}
