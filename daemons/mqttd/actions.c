/* The action handler (actions.h). The document is only parsed for its type, the topic and the
 * payload; what is published for the non-MQTT types is the engine's document as it is. */
#define _POSIX_C_SOURCE 200809L
#include "actions.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

void mqttd_action_handler(const char *action_json, void *payload) {
    mqttd_actions *actions = payload;
    json_t *doc = json_loads(action_json, 0, NULL);
    const char *type = json_string_value(json_object_get(doc, "type"));
    if (!doc || !type) {
        atomic_fetch_add(&actions->counters->errors, 1);
        json_decref(doc);
        return;
    }
    if (json_object_get(doc, "error")) { /* the header: never forward an action that was not carried out */
        atomic_fetch_add(&actions->counters->actions_failed, 1);
        fprintf(stderr, "iotevents-mqttd: action not carried out: %s\n", action_json);
        json_decref(doc);
        return;
    }
    char buffer[512];
    const char *topic, *text;
    if (!strcmp(type, "iotTopicPublish")) {
        topic = json_string_value(json_object_get(json_object_get(doc, "action"), "mqttTopic"));
        text = json_string_value(json_object_get(doc, "payload"));
        if (!text) text = "";
    } else {
        topic = mqttd_config_action_topic(actions->config, type, buffer, sizeof buffer);
        text = action_json;
    }
    if (!topic || !*topic || strchr(topic, '+') || strchr(topic, '#')) {
        atomic_fetch_add(&actions->counters->actions_failed, 1);
        fprintf(stderr, "iotevents-mqttd: action has no topic to publish to: %s\n", action_json);
    } else if (mqttd_outbox_append(actions->outbox, topic, text, actions->config->publish_qos)) {
        atomic_fetch_add(&actions->counters->actions_queued, 1);
        char wake = 0;
        if (actions->wake_fd >= 0 && write(actions->wake_fd, &wake, 1) < 0) { /* the pipe is full: the loop is awake anyway */
        }
    } else {
        /* Not returning is what keeps the action: once the handler has returned for every action
         * of a call, the engine records them as handed over and never hands them over again. Dead
         * here, the next start is handed them again (include/iotevents.h, "Durable state"), and
         * the messages that caused them were not acknowledged. */
        fprintf(stderr, "iotevents-mqttd: cannot write the outbox; exiting without acknowledging\n");
        _exit(MQTTD_EXIT_OUTBOX_FAILED);
    }
    json_decref(doc);
}
