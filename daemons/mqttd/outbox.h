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

/* dir NULL: in memory only (nothing survives a restart). engine_log_bytes: the size of the
 * engine's log before the engine was opened (mqttd_engine_log_bytes), to tell what happened to
 * an interrupted batch (below). NULL with error set on failure. */
typedef struct mqttd_recovery mqttd_recovery; /* recovery.h */
mqttd_outbox *mqttd_outbox_open(const char *dir, long long engine_log_bytes, mqttd_recovery *recovery, char *error,
                                size_t error_size);
/* The size of the engine's write-ahead log, <dir>/log (include/iotevents.h, "Durable state"),
 * or -1. The engine appends one record per state-changing call before the call returns. */
long long mqttd_engine_log_bytes(const char *dir);
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

/* Batch markers around an engine call: {"b": n, "ids": [...], "log": engine log bytes} before
 * it, {"e": n} after its actions. The engine logs a call before it hands over the call's
 * actions, so a process killed between the two has the call in the engine's state and not its
 * actions in the outbox. Opening classifies every batch begun and not ended, and says so on
 * stderr with its message ids: the engine's log has not grown since the marker (not applied:
 * its messages come back from the broker, nothing lost), has grown (applied: its actions are
 * lost, unless its messages were repeats the engine had already taken: a call logs even then),
 * or is shorter (compacted since: they may be lost). The daemon makes every engine call
 * from one thread, so what the log gained after the marker is that batch's call. Written, not
 * synced: a kill leaves them in the page cache. */
uint64_t mqttd_outbox_begin_batch(mqttd_outbox *outbox, const char *ids_json, const char *request_json,
                                  long long engine_log_bytes, long long epoch_ms);
void mqttd_outbox_end_batch(mqttd_outbox *outbox, uint64_t batch);
/* Batches found interrupted when the outbox was opened; of those the ones whose actions were
 * recovered (recovery.h), and the ones whose actions are (or may be) lost. */
size_t mqttd_outbox_interrupted(mqttd_outbox *outbox);
size_t mqttd_outbox_recovered_batches(mqttd_outbox *outbox);
size_t mqttd_outbox_lost_batches(mqttd_outbox *outbox);

#endif
