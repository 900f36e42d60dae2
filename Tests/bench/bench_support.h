/* What the C benchmark programs share: a call that must succeed, base64 as boto3 sends
 * payloads, the heartbeat workload's requests, heartbeat detectors made in bulk, a monotonic
 * clock. Header-only (static
 * functions), included by each program (which defines _POSIX_C_SOURCE 200809L first). */
#ifndef BENCH_SUPPORT_H
#define BENCH_SUPPORT_H

#include "iotevents.h"
#include "../c/test_files.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* iotevents_call, or exit(1) printing the error document. */
static inline void must(iotevents_engine *engine, const char *operation, const char *request) {
    char *response = NULL;
    int status = iotevents_call(engine, operation, request, &response);
    if (status != IOTEVENTS_OK) { fprintf(stderr, "%s: %s\n", operation, response); exit(1); }
    iotevents_free(response);
}

static const char base64_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The base64 text of the string `in` into `out` (room for 4/3 of it, plus 4). */
static inline void base64(const char *in, char *out) {
    size_t n = strlen(in), o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)in[i] << 16;
        if (i + 1 < n) v |= (unsigned char)in[i + 1] << 8;
        if (i + 2 < n) v |= (unsigned char)in[i + 2];
        out[o++] = base64_digits[(v >> 18) & 63];
        out[o++] = base64_digits[(v >> 12) & 63];
        out[o++] = i + 1 < n ? base64_digits[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? base64_digits[v & 63] : '=';
    }
    out[o] = '\0';
}

/* The heartbeat workload's request number `call` (Tests/bench/heartbeat_workload.c): 10
 * Heartbeat messages, message m with messageId call*10+m and deviceId dev-((call*10+m) % keys),
 * base64 payloads. */
static inline void heartbeat_request(char *buffer, size_t size, long call, long keys) {
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

/* The Heartbeat input and the heartbeat model of MODELS_DIR, created on `engine`. */
static inline void create_heartbeat_model(iotevents_engine *engine, const char *models_dir) {
    char *input = test_read_file(models_dir, "heartbeat-input.json"), *model = test_read_file(models_dir, "heartbeat.json");
    must(engine, "CreateInput", input);
    must(engine, "CreateDetectorModel", model);
    free(input);
    free(model);
}

/* An engine on the manual clock (at 1700000000000) with the given "limits" member (a JSON
 * object), Heartbeat input and the heartbeat model of MODELS_DIR created; exits on failure. */
static inline iotevents_engine *heartbeat_engine(const char *models_dir, const char *limits) {
    char config[512], *error = NULL;
    snprintf(config, sizeof config, "{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,\"limits\":%s}", limits);
    iotevents_engine *engine = iotevents_open(config, &error);
    if (!engine) { fprintf(stderr, "open: %s\n", error); exit(1); }
    create_heartbeat_model(engine, models_dir);
    return engine;
}

/* Heartbeats for devices dev-<first>..dev-<first+count-1> (7 digits), 10 a call, all at the
 * engine's current time: each device of examples/models/heartbeat.json gets its detector (Online,
 * its 300 s watchdog armed). */
static inline void heartbeat_detectors(iotevents_engine *engine, long first, long count) {
    char request[4096];
    for (long base = first; base < first + count; base += 10) {
        size_t used = (size_t)snprintf(request, sizeof request, "{\"messages\":[");
        for (long n = base; n < base + 10 && n < first + count; n++) {
            char payload[128], encoded[192];
            snprintf(payload, sizeof payload, "{\"deviceId\":\"dev-%07ld\",\"battery\":50}", n);
            base64(payload, encoded);
            used += (size_t)snprintf(request + used, sizeof request - used,
                                     "%s{\"messageId\":\"%ld-%ld\",\"inputName\":\"Heartbeat\",\"payload\":\"%s\"}",
                                     n == base ? "" : ",", first, n, encoded);
        }
        snprintf(request + used, sizeof request - used, "]}");
        must(engine, "BatchPutMessage", request);
    }
}

/* Seconds on the monotonic clock. */
static inline double bench_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#endif
