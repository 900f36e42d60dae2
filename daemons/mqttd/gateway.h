/* The gateway: one engine, one outbox, one broker connection at a time (gateway.c). */
#ifndef MQTTD_GATEWAY_H
#define MQTTD_GATEWAY_H
#include "actions.h"
#include "config.h"
#include "counters.h"
#include "iotevents.h"
#include "models.h"
#include "outbox.h"
#include <signal.h>

typedef struct mqttd_gateway {
    mqttd_config config;
    const char *config_path;
    iotevents_engine *engine;
    mqttd_outbox *outbox;
    mqttd_models *models;
    mqttd_counters counters;
    mqttd_actions actions;
    int wake_read_fd, wake_write_fd;
    volatile sig_atomic_t stop_requested, reload_requested;
} mqttd_gateway;

/* Serves until stop_requested: connects, reconnects with backoff, consumes, publishes. Then
 * drains (publishes the outbox for up to drain_ms) and disconnects. Returns the exit status. */
int mqttd_gateway_run(mqttd_gateway *gateway, int drain_ms);
/* Ticks the engine while an expiry is due (unless engine.timerThread); exits 75 when the
 * engine cannot log the tick. */
void mqttd_gateway_run_due_timers(mqttd_gateway *gateway);

#endif
