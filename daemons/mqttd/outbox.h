/* The durable outbox: every action the engine reported, kept in order until the broker has
 * acknowledged its publication (PUBACK). One append-only file, <dir>/mqttd-outbox: a JSON line
 * per action ({"s": sequence, "t": topic, "q": qos, "p": payload}) and per acknowledgement
 * ({"a": sequence}). Opening reads it back (a torn last line, from a crash during its write, is
 * dropped) and rewrites it with only the unacknowledged actions. Thread-safe: the engine's timer
 * thread appends while the main thread publishes. */
#ifndef MQTTD_OUTBOX_H
#define MQTTD_OUTBOX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mqttd_outbox mqttd_outbox;

/* dir NULL: in memory only (nothing survives a restart). NULL with error set on failure. */
mqttd_outbox *mqttd_outbox_open(const char *dir, char *error, size_t error_size);
void mqttd_outbox_close(mqttd_outbox *outbox);

/* Queues an action; written to the file at once, synced only by mqttd_outbox_commit. */
bool mqttd_outbox_append(mqttd_outbox *outbox, const char *topic, const char *payload, int qos);
/* Syncs what was appended (fdatasync). false: the outbox cannot be made durable. */
bool mqttd_outbox_commit(mqttd_outbox *outbox);

/* The oldest committed action not yet handed to the current connection: sets *topic, *payload,
 * *qos (valid until it is acknowledged) and returns its sequence number; 0 when none. */
uint64_t mqttd_outbox_next_unpublished(mqttd_outbox *outbox, const char **topic, const char **payload, int *qos);
/* Records the message id libmosquitto gave the action's publication. */
void mqttd_outbox_published(mqttd_outbox *outbox, uint64_t sequence, int mid);
/* The broker acknowledged mid: the action leaves the outbox. Returns false for an unknown mid. */
bool mqttd_outbox_acknowledged(mqttd_outbox *outbox, int mid);
/* A new connection: every action not acknowledged is published again, in order. */
void mqttd_outbox_reset_published(mqttd_outbox *outbox);
size_t mqttd_outbox_depth(mqttd_outbox *outbox);

#endif
