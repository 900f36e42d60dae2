/* Recovering the actions of a batch the engine logged before the daemon was killed, and before
 * all of that call's actions reached the outbox (outbox.h, README.md "Delivery").
 *
 * The engine's state directory is a snapshot plus a log to which each state-changing call
 * appends one record; the daemon recorded the log's size just before the call and the time of
 * the call. A copy of the directory with the log cut back to that size is the state just
 * before the call (the header: a last record removed whole is a call never made). A scratch
 * engine opened on the copy with a manual clock at the call's time runs the same request again
 * and hands its actions, the ones the crash lost, to the outbox. The scratch copy is removed. */
#ifndef MQTTD_RECOVERY_H
#define MQTTD_RECOVERY_H
#include "config.h"
#include "counters.h"
#include "outbox.h"
#include <stdbool.h>

struct mqttd_recovery {
    const mqttd_config *config;
    mqttd_counters *counters;
};

/* Ticks are not recovered: the replay re-arms timers from the reopening (outbox.c, README.md). */
bool mqttd_recover_batch(mqttd_recovery *recovery, const char *request_json, long long log_bytes, long long epoch_ms,
                         mqttd_outbox *outbox, char *error, size_t error_size);

#endif
