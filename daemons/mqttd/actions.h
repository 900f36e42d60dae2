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
    int wake_fd; /* written to after an append, so the main loop publishes timer actions soon */
} mqttd_actions;

/* The exit status when an action cannot be kept (EX_TEMPFAIL, as when the engine cannot keep a
 * call): systemd restarts the daemon; nothing unsafe was acknowledged. */
#define MQTTD_EXIT_OUTBOX_FAILED 75

/* iotevents_action_fn; payload is a mqttd_actions. Runs on the calling thread or the timer thread.
 * An action it cannot put in the outbox ends the process (_exit) inside the handler, so that
 * the engine does not record it as handed over. */
void mqttd_action_handler(const char *action_json, void *payload);

#endif
