/* Rules in: which input a topic's messages go to, and each message's BatchPutMessage entry
 * (as IoT Core's iotEvents rule action builds it). */
#ifndef MQTTD_RULES_H
#define MQTTD_RULES_H
#include "config.h"
#include <jansson.h>
#include <stdbool.h>

/* '+' and '#' only as whole levels, '#' last, no NUL: what the broker accepts. */
bool mqttd_topic_filter_valid(const char *filter);

/* The first rule whose filter matches topic, or NULL. */
const mqttd_rule *mqttd_rule_for_topic(const mqttd_config *config, const char *topic);

/* The entry {"messageId", "inputName", "payload"} for one MQTT payload. The id is the string or
 * integer at rule->message_id_path of a JSON-object payload; without a path, or when the payload
 * has none there, a generated id (unique in this process, so a redelivered message then counts
 * twice: README.md). A JSON-object payload is passed as the object, any other as base64.
 * *id_generated says which. NULL when out of memory. */
json_t *mqttd_message_entry(const mqttd_rule *rule, const void *payload, size_t length, bool *id_generated);

#endif
