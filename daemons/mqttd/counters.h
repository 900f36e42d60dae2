/* The counters of the status topic, updated from the main thread and the timer thread. */
#ifndef MQTTD_COUNTERS_H
#define MQTTD_COUNTERS_H
#include <stdatomic.h>

typedef struct mqttd_counters {
    atomic_ullong messages_in;      /* MQTT messages a rule matched, handed to the engine */
    atomic_ullong ids_generated;    /* of those, with a generated message id */
    atomic_ullong message_errors;   /* messages the engine refused (error entries, bad requests) */
    atomic_ullong unmatched;        /* messages no rule matched */
    atomic_ullong actions_queued;   /* actions put in the outbox */
    atomic_ullong actions_out;      /* actions acknowledged by the broker */
    atomic_ullong actions_failed;   /* action documents with "error": not forwarded */
    atomic_ullong reconnects;
    atomic_ullong errors;           /* everything else that went wrong */
    atomic_ullong redelivered_at_start; /* actions the engine handed over again when the handler was set */
} mqttd_counters;

#endif
