/* The baseline of the message path: the JSON work any implementation of BatchPutMessage must do
 * with the same jansson build (parse the request, decode each base64 payload and parse it, read
 * the key and one attribute, build and dump the empty error-entry response). Header-only,
 * included by Tests/bench/message_path.c and latency.c (programs linked with the private jansson:
 * PROGRAM_JANSSON in mk/programs.mk). Call unbase64_init() once first. */
#ifndef JSON_BASELINE_H
#define JSON_BASELINE_H

#include "bench_support.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* What the baseline read, so that the compiler cannot drop the work. */
static long baseline_sink;

static signed char base64_value[256];

/* The decoding table, once (before the measured phase, as any decoder's is). */
static inline void unbase64_init(void) {
    memset(base64_value, -1, sizeof base64_value);
    for (int i = 0; i < 64; i++) base64_value[(unsigned char)base64_digits[i]] = (signed char)i;
}

static inline size_t unbase64(const char *in, unsigned char *out) {
    const signed char *value = base64_value;
    size_t o = 0;
    unsigned v = 0;
    int bits = 0;
    for (const char *p = in; *p && *p != '='; p++) {
        if (value[(unsigned char)*p] < 0) return (size_t)-1;
        v = (v << 6) | (unsigned)value[(unsigned char)*p];
        bits += 6;
        if (bits >= 8) { bits -= 8; out[o++] = (unsigned char)(v >> bits); }
    }
    return o;
}

/* The JSON work of one call, as any implementation must do it. */
static inline void message_baseline(const char *request) {
    json_t *root = json_loads(request, JSON_REJECT_DUPLICATES, NULL);
    json_t *messages = json_object_get(root, "messages");
    unsigned char decoded[1700];
    for (size_t i = 0; i < json_array_size(messages); i++) {
        json_t *m = json_array_get(messages, i);
        baseline_sink += (long)strlen(json_string_value(json_object_get(m, "messageId")));
        baseline_sink += (long)strlen(json_string_value(json_object_get(m, "inputName")));
        json_t *payload = json_object_get(m, "payload"), *parsed = NULL;
        if (json_is_string(payload)) {
            size_t n = unbase64(json_string_value(payload), decoded);
            parsed = json_loadb((const char *)decoded, n, JSON_REJECT_DUPLICATES, NULL);
        } else {
            parsed = json_incref(payload);
        }
        json_t *key = json_object_get(parsed, "deviceId");
        if (!key) key = json_object_get(parsed, "sensorId");
        baseline_sink += (long)strlen(json_string_value(key));
        baseline_sink += (long)json_integer_value(json_object_get(parsed, json_object_get(parsed, "battery") ? "battery" : "celsius"));
        json_decref(parsed);
    }
    json_t *response = json_pack("{s:[]}", "BatchPutMessageErrorEntries");
    char *text = json_dumps(response, JSON_COMPACT);
    baseline_sink += (long)strlen(text);
    free(text);
    json_decref(response);
    json_decref(root);
}

#endif
