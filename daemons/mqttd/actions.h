/* Actions out: the engine's action handler. An iotTopicPublish action becomes its payload on
 * its mqttTopic; every other type becomes the whole action document on the type's topic
 * (actions.topics, default actions.topicPrefix + type). Each goes to the outbox first. */
#ifndef MQTTD_ACTIONS_H
#define MQTTD_ACTIONS_H
#include "config.h"
#include "counters.h"
#include "outbox.h"
#include <stdatomic.h>

typedef struct mqttd_actions {
    const mqttd_config *config;
    mqttd_outbox *outbox;
    mqttd_counters *counters;
    atomic_bool outbox_failed; /* an action could not be kept: the main loop stops, acknowledging nothing more */
    int wake_fd; /* written to after an append, so the main loop publishes timer actions soon */
} mqttd_actions;

/* iotevents_action_fn; payload is a mqttd_actions. Runs on the calling thread or the timer thread. */
void mqttd_action_handler(const char *action_json, void *payload);

#endif
