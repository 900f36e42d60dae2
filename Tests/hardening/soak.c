/* The soak: 1 000 000 messages through one engine (the heartbeat detector model and the boiler
 * alarm model, 10 000 keys, batches of 10, the manual clock moving 1 s every 100 batches so that
 * timers fire and de-duplication ids expire), with the churn a long-lived gateway sees: every
 * 100 000 messages the detector model is updated (its detectors wiped), a thousand detectors are
 * deleted, and the alarm model is deleted and created again. Resident memory must stay flat once
 * the working set is built: its growth between the second and the last tenth of the run must be
 * under SOAK_GROWTH_MB (default 8).
 *
 *   soak MODELS_DIR [MESSAGES]        prints "soak: ... passed" or "FAILED"
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iotevents.h"
#include "../c/test_files.h"

static iotevents_engine *engine;

static void must(const char *op, const char *request) {
    char *response = NULL;
    if (iotevents_call(engine, op, request, &response) != 0) { fprintf(stderr, "%s: %s\n", op, response); exit(1); }
    iotevents_free(response);
}

static long resident_kb(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &pages, &resident) != 2) exit(2);
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Message i's key, 0..9999: the same on every target. (i * 7919 in a 32-bit long overflowed past
 * i = 271,181 on armhf, so 32-bit targets sent other keys and counted other actions.) */
static long key_of(long i) { return (long)(((long long)i * 7919) % 10000); }

static long actions;
static void on_action(const char *action, void *payload) { (void)action; (void)payload; actions++; }

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s MODELS_DIR [MESSAGES]\n", argv[0]); return 2; }
    long messages = argc > 2 ? atol(argv[2]) : 1000000;
    if (key_of(999999) != 2081) { fprintf(stderr, "soak: key_of(999999) = %ld, not 2081: the keys overflow\n", key_of(999999)); return 2; }
    long limit_mb = getenv("SOAK_GROWTH_MB") ? atol(getenv("SOAK_GROWTH_MB")) : 8;
    engine = iotevents_open("{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,\"limits\":{\"maxDetectorsPerModel\":1000000}}", NULL);
    if (!engine) return 1;
    iotevents_set_action_handler(engine, on_action, NULL);
    char *heartbeat_input = test_read_file(argv[1], "heartbeat-input.json"), *heartbeat = test_read_file(argv[1], "heartbeat.json");
    char *boiler_input = test_read_file(argv[1], "boiler-input.json"), *boiler = test_read_file(argv[1], "boiler-alarm.json");
    must("CreateInput", heartbeat_input);
    must("CreateInput", boiler_input);
    must("CreateDetectorModel", heartbeat);
    must("CreateAlarmModel", boiler);
    /* the update request: the model without its key (an update cannot change it) */
    char *update = strdup(heartbeat);
    char *key = strstr(update, "\"key\": \"deviceId\",");
    if (!key) { fprintf(stderr, "heartbeat.json changed\n"); return 2; }
    memmove(key, key + strlen("\"key\": \"deviceId\","), strlen(key + strlen("\"key\": \"deviceId\",")) + 1);

    long long now = 1700000000000LL;
    long second_tenth = 0, last_tenth;
    static char request[8192];
    for (long n = 0; n < messages; n += 10) {
        int used = snprintf(request, sizeof request, "{\"messages\":[");
        for (int m = 0; m < 10; m++) {
            long i = n + m;
            if (i % 2)
                used += snprintf(request + used, sizeof request - (size_t)used,
                                 "%s{\"messageId\":\"h%ld\",\"inputName\":\"Heartbeat\",\"payload\":{\"deviceId\":\"dev-%ld\",\"battery\":%ld}}",
                                 m ? "," : "", i, key_of(i), i % 100);
            else
                used += snprintf(request + used, sizeof request - (size_t)used,
                                 "%s{\"messageId\":\"b%ld\",\"inputName\":\"BoilerPressure\",\"payload\":{\"boilerId\":\"boiler-%ld\",\"bar\":%ld}}",
                                 m ? "," : "", i, key_of(i), i % 12);
        }
        snprintf(request + used, sizeof request - (size_t)used, "]}");
        must("BatchPutMessage", request);
        if ((n / 10) % 100 == 99) {
            now += 1000;
            iotevents_tick(engine, now);
        }
        if (n % 100000 == 99990) { /* the churn */
            must("UpdateDetectorModel", update);
            int u = snprintf(request, sizeof request, "{\"detectors\":[");
            for (int d = 0; d < 10; d++)
                u += snprintf(request + u, sizeof request - (size_t)u, "%s{\"messageId\":\"x%ld-%d\",\"detectorModelName\":\"deviceHeartbeat\",\"keyValue\":\"dev-%d\"}",
                              d ? "," : "", n, d, d);
            snprintf(request + u, sizeof request - (size_t)u, "]}");
            must("BatchDeleteDetector", request);
            must("DeleteAlarmModel", "{\"alarmModelName\":\"boilerOverpressure\"}");
            must("CreateAlarmModel", boiler);
        }
        if (n % (messages / 10) == 0 && getenv("SOAK_TRACE")) fprintf(stderr, "%ld: %ld KB\n", n, resident_kb());
        if (n == messages / 10 * 6) second_tenth = resident_kb();
    }
    last_tenth = resident_kb();
    long growth_kb = last_tenth - second_tenth;
    int ok = growth_kb < limit_mb * 1024;
    printf("soak: %ld messages, %ld actions; resident %ld KB at 60%%, %ld KB at the end (growth %ld KB, limit %ld MB): %s\n",
           messages, actions, second_tenth, last_tenth, growth_kb, limit_mb, ok ? "passed" : "FAILED");
    iotevents_close(engine);
    free(heartbeat_input);
    free(heartbeat);
    free(boiler_input);
    free(boiler);
    free(update);
    return ok ? 0 : 1;
}
