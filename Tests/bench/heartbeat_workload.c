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
    create_heartbeat_model(engine, argv[1]);
    /* Requests are written before the clock starts, as the binding rows prepare theirs. */
    enum { REQUEST_BYTES = 2048 };
    char *requests = malloc((size_t)calls * REQUEST_BYTES);
    if (!requests) return 1;
    for (long call = 0; call < calls; call++)
        heartbeat_request(requests + call * REQUEST_BYTES, REQUEST_BYTES, call, keys);
    double start = bench_seconds();
    for (long call = 0; call < calls; call++)
        must(engine, "BatchPutMessage", requests + call * REQUEST_BYTES);
    double seconds = bench_seconds() - start;
    printf("%.0f\n", (double)calls * 10 / seconds);
    free(requests);
    iotevents_close(engine);
    return 0;
}
