/* Eight threads share one engine: each sends MESSAGES readings (10 per BatchPutMessage) over
 * KEYS devices of the counter model, whose every reading also raises an sns action. Checks:
 * every counter exact (no lost or doubled update: the calls behave as some serial order of
 * atomic calls), one action per reading delivered to the handler (never under the engine lock:
 * the handler itself calls DescribeDetector on the engine), and, with a state directory, the same
 * counts after the engine is closed and reopened. Run it under ThreadSanitizer too (make
 * check-stress-tsan).
 *
 *   stress MODELS_DIR THREADS MESSAGES KEYS [STATE_DIR [always|groupCommit]]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iotevents.h"
#include "../c/test_files.h"

static iotevents_engine *engine;
static int threads, messages, keys;
static atomic_long actions, reentrant_calls, failures;

static void must(const char *op, const char *request) {
    char *response = NULL;
    if (iotevents_call(engine, op, request, &response) != 0) { fprintf(stderr, "%s: %s\n", op, response); exit(1); }
    iotevents_free(response);
}

/* One action per reading; every 1000th also calls back into the engine. */
static void on_action(const char *action_json, void *payload) {
    (void)payload;
    if (!strstr(action_json, "\"type\":\"sns\"")) return;
    long n = atomic_fetch_add(&actions, 1) + 1;
    if (n % 1000 == 0) {
        char *response = NULL;
        /* k0 may not exist yet (its thread may not have run): not-found is still an answer */
        int status = iotevents_call(engine, "DescribeDetector", "{\"detectorModelName\":\"counter\",\"keyValue\":\"k0\"}", &response);
        if (status == 0 || status == IOTEVENTS_RESOURCE_NOT_FOUND) atomic_fetch_add(&reentrant_calls, 1);
        iotevents_free(response);
    }
}

static void *worker(void *arg) {
    int t = (int)(long)arg;
    char request[4096];
    for (int b = 0; b < messages / 10; b++) {
        int used = snprintf(request, sizeof request, "{\"messages\":[");
        for (int m = 0; m < 10; m++) {
            long n = (long)b * 10 + m;
            /* thread t covers every key equally: key = (n * threads + t) % keys */
            used += snprintf(request + used, sizeof request - (size_t)used,
                             "%s{\"messageId\":\"t%d-%ld\",\"inputName\":\"Reading\",\"payload\":{\"id\":\"k%ld\"}}",
                             m ? "," : "", t, n, (n * threads + t) % keys);
        }
        snprintf(request + used, sizeof request - (size_t)used, "]}");
        char *response = NULL;
        int status = iotevents_call(engine, "BatchPutMessage", request, &response);
        if (status != 0 || !strstr(response, "\"BatchPutMessageErrorEntries\":[]")) atomic_fetch_add(&failures, 1);
        iotevents_free(response);
    }
    return NULL;
}

/* Every key's counter must be total / keys. Returns the number of wrong counters. */
static int check_counts(void) {
    long expected = (long)threads * messages / keys;
    int wrong = 0;
    for (int k = 0; k < keys; k++) {
        char request[128], *response = NULL, want[64];
        snprintf(request, sizeof request, "{\"detectorModelName\":\"counter\",\"keyValue\":\"k%d\"}", k);
        snprintf(want, sizeof want, "{\"name\":\"n\",\"value\":\"%ld\"}", expected);
        if (iotevents_call(engine, "DescribeDetector", request, &response) != 0 || !strstr(response, want)) {
            if (wrong++ < 3) fprintf(stderr, "k%d: %s (want n = %ld)\n", k, response, expected);
        }
        iotevents_free(response);
    }
    return wrong;
}

static iotevents_engine *open_engine(const char *dir, const char *durability) {
    char config[4300];
    if (dir)
        snprintf(config, sizeof config, "{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,"
                 "\"limits\":{\"maxDetectorsPerModel\":1000000},\"stateDirectory\":\"%s\",\"durability\":\"%s\"}", dir, durability);
    else
        snprintf(config, sizeof config, "{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,\"limits\":{\"maxDetectorsPerModel\":1000000}}");
    char *error = NULL;
    iotevents_engine *e = iotevents_open(config, &error);
    if (!e) { fprintf(stderr, "open: %s\n", error); exit(1); }
    return e;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s MODELS_DIR THREADS MESSAGES KEYS [STATE_DIR [always|groupCommit]]\n", argv[0]); return 2; }
    threads = atoi(argv[2]);
    messages = atoi(argv[3]);
    keys = atoi(argv[4]);
    const char *dir = argc > 5 ? argv[5] : NULL, *durability = argc > 6 ? argv[6] : "always";
    if (messages % 10 || ((long)threads * messages) % keys) { fprintf(stderr, "messages must be a multiple of 10, and the total of keys\n"); return 2; }
    engine = open_engine(dir, durability);
    char *input = test_read_file(argv[1], "input.json"), *model = test_read_file(argv[1], "counter-model.json");
    /* the counter model, with an sns action on every reading */
    char *at = strstr(model, "{\"setTimer\": {\"timerName\": \"idle\", \"seconds\": 120}}");
    if (!at) { fprintf(stderr, "counter-model.json changed\n"); return 2; }
    char *with_action = malloc(strlen(model) + 200);
    size_t head = (size_t)(at - model);
    memcpy(with_action, model, head);
    sprintf(with_action + head, "{\"sns\": {\"targetArn\": \"arn:aws:sns:us-east-1:123456789012:readings\"}}, %s", at);
    must("CreateInput", input);
    must("CreateDetectorModel", with_action);
    iotevents_set_action_handler(engine, on_action, NULL);

    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t ids[64];
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, worker, (void *)(long)t);
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;

    long total = (long)threads * messages;
    int wrong = check_counts();
    int ok = !failures && !wrong && actions == total && reentrant_calls == total / 1000;
    if (dir) { /* the same counts after a restart */
        iotevents_close(engine);
        engine = open_engine(dir, durability);
        int wrong_after = check_counts();
        if (wrong_after) { fprintf(stderr, "%d counters wrong after reopening\n", wrong_after); ok = 0; }
    }
    printf("stress: %d threads x %d messages over %d keys (%s): %s; %ld actions, %ld re-entrant calls, "
           "%d wrong counters, %ld failed calls; %.0f messages/s\n",
           threads, messages, keys, dir ? durability : "in memory", ok ? "passed" : "FAILED",
           (long)actions, (long)reentrant_calls, wrong, (long)failures, (double)total / seconds);
    iotevents_close(engine);
    free(input);
    free(model);
    free(with_action);
    return ok ? 0 : 1;
}
