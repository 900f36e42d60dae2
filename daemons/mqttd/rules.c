/* Rules in (rules.h). Topic matching is libmosquitto's (mosquitto_topic_matches_sub), so the
 * daemon matches exactly what the broker delivered for the subscription. */
#define _POSIX_C_SOURCE 200809L
#include "rules.h"
#include <mosquitto.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bool mqttd_topic_filter_valid(const char *filter) {
    return mosquitto_sub_topic_check(filter) == MOSQ_ERR_SUCCESS;
}

const mqttd_rule *mqttd_rule_for_topic(const mqttd_config *config, const char *topic) {
    for (size_t i = 0; i < config->rule_count; i++) {
        bool match = false;
        if (mosquitto_topic_matches_sub(config->rules[i].topic_filter, topic, &match) == MOSQ_ERR_SUCCESS && match)
            return &config->rules[i];
    }
    return NULL;
}

static char *base64(const unsigned char *data, size_t length) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc((length + 2) / 3 * 4 + 1), *o = out;
    if (!out) return NULL;
    for (size_t i = 0; i < length; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < length) v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < length) v |= data[i + 2];
        *o++ = alphabet[(v >> 18) & 63];
        *o++ = alphabet[(v >> 12) & 63];
        *o++ = i + 1 < length ? alphabet[(v >> 6) & 63] : '=';
        *o++ = i + 2 < length ? alphabet[v & 63] : '=';
    }
    *o = 0;
    return out;
}

/* The value at a dotted path ("a.b.c") of object, or NULL. */
static json_t *value_at(json_t *object, const char *path) {
    char buffer[256];
    if (strlen(path) >= sizeof buffer) return NULL;
    strcpy(buffer, path);
    json_t *at = object;
    for (char *save = NULL, *part = strtok_r(buffer, ".", &save); part && at; part = strtok_r(NULL, ".", &save))
        at = json_is_object(at) ? json_object_get(at, part) : NULL;
    return at;
}

/* A process-unique id: the pid, the start time and a counter. Only ever 1..64 of [A-Za-z0-9_-]. */
static void generate_id(char *out, size_t size) {
    static unsigned long long counter;
    static long long started;
    if (!started) started = (long long)time(NULL);
    snprintf(out, size, "g%lld-%ld-%llu", started, (long)getpid(), ++counter);
}

json_t *mqttd_message_entry(const mqttd_rule *rule, const void *payload, size_t length, bool *id_generated) {
    json_t *object = length ? json_loadb(payload, length, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (object && !json_is_object(object)) {
        json_decref(object);
        object = NULL;
    }
    char id[80] = "";
    json_t *found = object && rule->message_id_path ? value_at(object, rule->message_id_path) : NULL;
    if (json_is_string(found) && json_string_length(found) < sizeof id)
        snprintf(id, sizeof id, "%s", json_string_value(found));
    else if (json_is_integer(found))
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(found));
    *id_generated = id[0] == 0;
    if (*id_generated) generate_id(id, sizeof id);
    json_t *payload_value = object;
    if (!payload_value) {
        char *encoded = base64(payload, length);
        payload_value = encoded ? json_string(encoded) : NULL;
        free(encoded);
    }
    if (!payload_value) return NULL;
    return json_pack("{s:s, s:s, s:o}", "messageId", id, "inputName", rule->input_name, "payload", payload_value);
}
