/* The main loop: messages in, engine calls, actions out.
 *
 * When a message is acknowledged. libmosquitto 2.0.11 (Debian 12) sends the PUBACK of an
 * incoming QoS 1 message *before* it calls on_message (lib/handle_publish.c: send__puback, then
 * the callback), and has no manual acknowledgement (upstream's v2.0.11 and Debian's
 * 2.0.11-1.2+deb12u2 alike: Debian's patches change packet__queue only for the broker). With
 * the library's own loop a PUBACK can therefore reach the broker before the engine saw the
 * message, and a crash then loses it. But
 * packet__queue writes a packet to the socket at once only when the client is not marked
 * threaded; with mosquitto_threaded_set(true) it only queues it, and the packets go out when
 * mosquitto_loop_write runs. This loop drives libmosquitto itself (loop_read, loop_write,
 * loop_misc) and calls loop_write only after every message read has gone through its engine
 * call (durable before it returns when engine.stateDirectory is set) and the outbox holding
 * that call's actions is synced. A crash before that point leaves the message unacknowledged:
 * the broker redelivers it to the same persistent session (broker.cleanSession false), and the
 * engine ignores a messageId it already accepted (limits.dedupWindowSeconds, kept in the state
 * directory), so the message changes the engine state once. README.md states what this does
 * and does not cover.
 *
 * Timers. The daemon ticks the engine itself, from this loop, at each deadline
 * (iotevents_next_deadline), unless engine.timerThread is set. Why not the engine's timer
 * thread: it starts inside iotevents_open and fires the expiries that fell due while the daemon
 * was down at once, before iotevents_set_action_handler can be called, so their actions were
 * dropped (the timers test lost one that way). Ticking from here also keeps every engine call
 * and every action on one thread.
 *
 * One libmosquitto client per connection: when a connection ends the client is destroyed, with
 * whatever it still held; the outbox, not the library, is what is published again on the next
 * connection. */
#define _GNU_SOURCE
#include "gateway.h"
#include "rules.h"
#include <errno.h>
#include <jansson.h>
#include <mosquitto.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_HANDED_TO_CLIENT 1000 /* outbox actions in libmosquitto's queue at once */
#define EXIT_ENGINE_FAILED 75     /* EX_TEMPFAIL: systemd restarts; nothing unsafe was acknowledged */

typedef struct connection {
    mqttd_gateway *gateway;
    struct mosquitto *client;
    bool connected; /* CONNACK accepted */
    bool failed;    /* connection refused or lost */
    bool refused;   /* the broker's CONNACK refused it (already logged) */
    int error;      /* the libmosquitto error that ended it, MOSQ_ERR_SUCCESS if none */
    int error_errno; /* errno then, for MOSQ_ERR_ERRNO */
    size_t handed;  /* outbox actions published and not yet acknowledged */
    json_t *pending[MQTTD_MAX_RULES]; /* per rule: the batch being filled */
} connection;

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void log_line(const char *format, const char *a, const char *b) {
    fprintf(stderr, "iotevents-mqttd: ");
    fprintf(stderr, format, a, b);
    fprintf(stderr, "\n");
}

/* The engine could not take a call durably: stop at once, before any queued PUBACK is written,
 * so the broker redelivers what this process had read. */
static void engine_failed(const char *what, const char *response) {
    log_line("engine failed (%s): %s; exiting without acknowledging", what, response ? response : "");
    _exit(EXIT_ENGINE_FAILED);
}

static void count_error_entries(mqttd_gateway *g, const char *response) {
    json_t *doc = json_loads(response, 0, NULL);
    json_t *entries = json_object_get(doc, "BatchPutMessageErrorEntries");
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
        atomic_fetch_add(&g->counters.message_errors, 1);
        char *text = json_dumps(e, JSON_COMPACT);
        log_line("message refused: %s%s", text ? text : "", "");
        free(text);
    }
    json_decref(doc);
}

/* Runs one BatchPutMessage for messages (an array of entries). */
static void put_messages(mqttd_gateway *g, json_t *messages) {
    size_t count = json_array_size(messages);
    if (!count) return;
    json_t *request = json_pack("{s:O}", "messages", messages);
    char *body = request ? json_dumps(request, JSON_COMPACT) : NULL;
    json_decref(request);
    if (!body) engine_failed("out of memory", NULL);
    char *response = NULL;
    int status = iotevents_call(g->engine, "BatchPutMessage", body, &response);
    free(body);
    if (status == IOTEVENTS_OK) {
        count_error_entries(g, response);
    } else if ((status == IOTEVENTS_INVALID_REQUEST || status == IOTEVENTS_LIMIT_EXCEEDED) && count > 1) {
        /* one bad message must not cost the others: each alone */
        iotevents_free(response);
        response = NULL;
        for (size_t i = 0; i < count; i++) {
            json_t *one = json_array();
            json_array_append(one, json_array_get(messages, i));
            put_messages(g, one);
            json_decref(one);
        }
    } else if (status == IOTEVENTS_INVALID_REQUEST || status == IOTEVENTS_LIMIT_EXCEEDED) {
        /* a message the engine can never take is acknowledged, or it would come back forever */
        atomic_fetch_add(&g->counters.message_errors, 1);
        log_line("message refused: %s%s", response ? response : "", "");
    } else {
        engine_failed("BatchPutMessage", response);
    }
    iotevents_free(response);
}

static void flush_rule(connection *c, size_t rule) {
    if (c->pending[rule]) {
        put_messages(c->gateway, c->pending[rule]);
        json_array_clear(c->pending[rule]);
    }
}

static void on_message(struct mosquitto *client, void *data, const struct mosquitto_message *message) {
    (void)client;
    connection *c = data;
    mqttd_gateway *g = c->gateway;
    const mqttd_rule *rule = mqttd_rule_for_topic(&g->config, message->topic);
    if (!rule) {
        atomic_fetch_add(&g->counters.unmatched, 1);
        return;
    }
    size_t index = (size_t)(rule - g->config.rules);
    bool generated = false;
    json_t *entry = mqttd_message_entry(rule, message->payload, message->payloadlen > 0 ? (size_t)message->payloadlen : 0, &generated);
    if (!entry) engine_failed("out of memory", NULL);
    if (generated) atomic_fetch_add(&g->counters.ids_generated, 1);
    atomic_fetch_add(&g->counters.messages_in, 1);
    if (!c->pending[index]) c->pending[index] = json_array();
    json_array_append_new(c->pending[index], entry);
    if ((int)json_array_size(c->pending[index]) >= rule->batch_size) flush_rule(c, index);
}

static void on_connect(struct mosquitto *client, void *data, int rc) {
    connection *c = data;
    mqttd_gateway *g = c->gateway;
    if (rc != 0) {
        log_line("broker refused the connection: %s%s", mosquitto_connack_string(rc), "");
        c->refused = true;
        c->failed = true;
        return;
    }
    c->connected = true;
    for (size_t i = 0; i < g->config.rule_count; i++)
        mosquitto_subscribe(client, NULL, g->config.rules[i].topic_filter, 1);
    mqttd_outbox_reset_published(g->outbox);
    c->handed = 0;
    log_line("connected to %s%s", g->config.host, "");
}

/* A step of the connection failed with rc: the connection ends. */
static void connection_failed(connection *c, int rc) {
    c->failed = true;
    if (c->error == MOSQ_ERR_SUCCESS) {
        c->error = rc;
        c->error_errno = errno;
    }
}

/* Why a connection ended before the broker accepted it, for the log. libmosquitto may finish
 * the TLS handshake after mosquitto_connect returned, so a bad certificate can end it here. */
static const char *connection_error_text(const connection *c) {
    if (c->error == MOSQ_ERR_ERRNO && c->error_errno) return strerror(c->error_errno);
    if (c->error == MOSQ_ERR_SUCCESS || c->error == MOSQ_ERR_ERRNO) return "the connection was closed";
    return mosquitto_strerror(c->error);
}

static void on_disconnect(struct mosquitto *client, void *data, int rc) {
    (void)client;
    connection *c = data;
    c->connected = false;
    connection_failed(c, rc);
}

static void on_publish(struct mosquitto *client, void *data, int mid) {
    (void)client;
    connection *c = data;
    if (mqttd_outbox_acknowledged(c->gateway->outbox, mid)) {
        atomic_fetch_add(&c->gateway->counters.actions_out, 1);
        if (c->handed) c->handed--;
    }
}

/* Hands the synced, not yet published outbox actions to the client, in order. */
static void publish_outbox(connection *c) {
    const char *topic, *payload;
    int qos;
    uint64_t sequence;
    while (c->connected && c->handed < MAX_HANDED_TO_CLIENT &&
           (sequence = mqttd_outbox_next_unpublished(c->gateway->outbox, &topic, &payload, &qos)) != 0) {
        int mid = 0;
        int rc = mosquitto_publish(c->client, &mid, topic, (int)strlen(payload), payload, qos, false);
        if (rc != MOSQ_ERR_SUCCESS) {
            log_line("publish to %s failed: %s", topic, mosquitto_strerror(rc));
            atomic_fetch_add(&c->gateway->counters.errors, 1);
            c->failed = true;
            return;
        }
        mqttd_outbox_published(c->gateway->outbox, sequence, mid);
        c->handed++;
    }
}

static void publish_status(connection *c) {
    mqttd_gateway *g = c->gateway;
    mqttd_counters *k = &g->counters;
    json_t *status = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
                               "messagesIn", (json_int_t)atomic_load(&k->messages_in),
                               "messageIdsGenerated", (json_int_t)atomic_load(&k->ids_generated),
                               "messageErrors", (json_int_t)atomic_load(&k->message_errors),
                               "unmatched", (json_int_t)atomic_load(&k->unmatched),
                               "actionsQueued", (json_int_t)atomic_load(&k->actions_queued),
                               "actionsOut", (json_int_t)atomic_load(&k->actions_out),
                               "actionsFailed", (json_int_t)atomic_load(&k->actions_failed),
                               "outboxDepth", (json_int_t)mqttd_outbox_depth(g->outbox),
                               "reconnects", (json_int_t)atomic_load(&k->reconnects),
                               "errors", (json_int_t)atomic_load(&k->errors),
                               "actionsHandedOverAgainAtStart", (json_int_t)atomic_load(&k->redelivered_at_start));
    char *text = status ? json_dumps(status, JSON_COMPACT) : NULL;
    json_decref(status);
    if (text && c->connected) mosquitto_publish(c->client, NULL, g->config.status_topic, (int)strlen(text), text, 0, false);
    free(text);
}

static long long epoch_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Fires the expiries due by now (a tick runs at most maxEvaluationsPerCall of them: again
 * while some are still due, a bounded number of times per loop turn). */
void mqttd_gateway_run_due_timers(mqttd_gateway *g) {
    if (g->config.engine_timer_thread) return;
    for (int round = 0; round < 16; round++) {
        int64_t deadline = iotevents_next_deadline(g->engine);
        long long now = epoch_ms();
        if (deadline < 0 || deadline > now) return;
        if (iotevents_tick(g->engine, now) < 0) engine_failed("tick", NULL);
    }
}

/* How long the loop may sleep: until the next deadline, at most max_ms. */
static int timer_wait_ms(mqttd_gateway *g, int max_ms) {
    if (g->config.engine_timer_thread) return max_ms;
    int64_t deadline = iotevents_next_deadline(g->engine);
    if (deadline < 0) return max_ms;
    long long wait = deadline - epoch_ms();
    return wait < 0 ? 0 : wait > max_ms ? max_ms : (int)wait + 1;
}

static void drain_wake_pipe(mqttd_gateway *g) {
    char buffer[256];
    while (read(g->wake_read_fd, buffer, sizeof buffer) > 0) {
    }
}

/* Syncs the outbox (the actions of the calls just made and of timer expiries). */
static void commit_outbox(mqttd_gateway *g) {
    if (!mqttd_outbox_commit(g->outbox)) engine_failed("outbox sync", NULL);
}

static void reload_models(mqttd_gateway *g) {
    g->reload_requested = 0;
    char error[1024];
    if (mqttd_models_apply(g->models, g->engine, g->config.model_paths, g->config.model_path_count, true, error, sizeof error))
        log_line("models reloaded%s%s", "", "");
    else {
        atomic_fetch_add(&g->counters.errors, 1);
        log_line("reload: %s%s", error, "");
    }
    commit_outbox(g);
}

static struct mosquitto *new_client(mqttd_gateway *g, connection *c) {
    struct mosquitto *client = mosquitto_new(g->config.client_id, g->config.clean_session, c);
    if (!client) return NULL;
    /* Only queue packets, so that PUBACKs wait for loop_write (the comment at the top). */
    mosquitto_threaded_set(client, true);
    mosquitto_int_option(client, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    if (g->config.username) mosquitto_username_pw_set(client, g->config.username, g->config.password);
    if (g->config.tls_ca_file) {
        int rc = mosquitto_tls_set(client, g->config.tls_ca_file, NULL, g->config.tls_cert_file, g->config.tls_key_file, NULL);
        if (rc != MOSQ_ERR_SUCCESS) {
            log_line("broker.tls: %s%s", mosquitto_strerror(rc), "");
            mosquitto_destroy(client);
            return NULL;
        }
    }
    mosquitto_connect_callback_set(client, on_connect);
    mosquitto_disconnect_callback_set(client, on_disconnect);
    mosquitto_message_callback_set(client, on_message);
    mosquitto_publish_callback_set(client, on_publish);
    return client;
}

/* Reads what the socket has (several packets, so that batches fill), then makes every read
 * message's engine call and syncs the outbox. Only then may loop_write send the PUBACKs. */
static int read_and_consume(connection *c) {
    int rc = MOSQ_ERR_SUCCESS;
    for (int round = 0; round < 64; round++) {
        rc = mosquitto_loop_read(c->client, 1);
        if (rc != MOSQ_ERR_SUCCESS) break;
        struct pollfd more = {mosquitto_socket(c->client), POLLIN, 0};
        if (poll(&more, 1, 0) <= 0) break;
    }
    for (size_t i = 0; i < c->gateway->config.rule_count; i++) flush_rule(c, i);
    commit_outbox(c->gateway);
    return rc;
}

/* One connection, from connect to its end (or to stop). Returns true when it had connected. */
static bool serve_connection(mqttd_gateway *g, long long drain_deadline) {
    connection c = {.gateway = g};
    c.client = new_client(g, &c);
    if (!c.client) return false;
    int rc = mosquitto_connect(c.client, g->config.host, g->config.port, g->config.keepalive_seconds);
    if (rc != MOSQ_ERR_SUCCESS) {
        log_line("cannot connect to %s: %s", g->config.host, rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
        mosquitto_destroy(c.client);
        return false;
    }
    bool had_connected = false;
    long long next_status = now_ms() + (long long)g->config.status_interval_seconds * 1000;
    while (!c.failed) {
        bool draining = g->stop_requested != 0;
        if (draining && (mqttd_outbox_depth(g->outbox) == 0 || now_ms() >= drain_deadline || !c.connected)) break;
        if (g->reload_requested) reload_models(g);
        mqttd_gateway_run_due_timers(g);
        commit_outbox(g);
        publish_outbox(&c);
        int socket = mosquitto_socket(c.client);
        if (socket < 0) break;
        /* read while draining too: the PUBACKs of the outbox come in on this socket */
        struct pollfd fds[2] = {{socket, (short)(POLLIN | (mosquitto_want_write(c.client) ? POLLOUT : 0)), 0},
                                {g->wake_read_fd, POLLIN, 0}};
        int ready = poll(fds, 2, timer_wait_ms(g, 200));
        if (ready < 0 && errno != EINTR) break;
        if (ready > 0 && (fds[0].revents & (POLLIN | POLLERR | POLLHUP))) {
            /* while draining new messages may arrive; they are consumed like any other */
            int rc = read_and_consume(&c);
            if (rc != MOSQ_ERR_SUCCESS) connection_failed(&c, rc);
        }
        if (ready > 0 && (fds[1].revents & POLLIN)) drain_wake_pipe(g);
        commit_outbox(g);
        publish_outbox(&c);
        if (!c.failed && mosquitto_want_write(c.client)) {
            int rc = mosquitto_loop_write(c.client, 1);
            if (rc != MOSQ_ERR_SUCCESS) connection_failed(&c, rc);
        }
        if (!c.failed) {
            int rc = mosquitto_loop_misc(c.client);
            if (rc != MOSQ_ERR_SUCCESS) connection_failed(&c, rc);
        }
        if (c.connected) had_connected = true;
        if (g->config.status_interval_seconds && now_ms() >= next_status) {
            publish_status(&c);
            next_status = now_ms() + (long long)g->config.status_interval_seconds * 1000;
        }
    }
    if (!had_connected && c.failed && !c.refused)
        log_line("cannot connect to %s: the connection ended before the broker accepted it: %s", g->config.host,
                 connection_error_text(&c));
    if (c.connected) {
        mosquitto_disconnect(c.client);
        mosquitto_loop_write(c.client, 1);
    }
    for (size_t i = 0; i < MQTTD_MAX_RULES; i++) json_decref(c.pending[i]);
    mosquitto_destroy(c.client);
    return had_connected;
}

int mqttd_gateway_run(mqttd_gateway *g, int drain_ms) {
    int backoff = g->config.reconnect_min_ms;
    long long drain_deadline = 0;
    bool first = true;
    while (true) {
        if (g->stop_requested && !drain_deadline) drain_deadline = now_ms() + drain_ms;
        if (g->stop_requested && (mqttd_outbox_depth(g->outbox) == 0 || now_ms() >= drain_deadline)) break;
        if (!first) atomic_fetch_add(&g->counters.reconnects, 1);
        first = false;
        if (serve_connection(g, drain_deadline ? drain_deadline : now_ms() + drain_ms)) backoff = g->config.reconnect_min_ms;
        if (g->stop_requested && !drain_deadline) drain_deadline = now_ms() + drain_ms;
        if (g->stop_requested && (mqttd_outbox_depth(g->outbox) == 0 || now_ms() >= drain_deadline)) break;
        /* backoff: doubles up to reconnectMaxMillis; timer actions are still synced meanwhile */
        long long until = now_ms() + backoff;
        while (!g->stop_requested && now_ms() < until) {
            struct pollfd wake = {g->wake_read_fd, POLLIN, 0};
            long long left = until - now_ms();
            if (poll(&wake, 1, timer_wait_ms(g, left < 0 ? 0 : (int)left)) > 0) drain_wake_pipe(g);
            mqttd_gateway_run_due_timers(g);
            commit_outbox(g);
            if (g->reload_requested) reload_models(g);
        }
        backoff = backoff * 2 > g->config.reconnect_max_ms ? g->config.reconnect_max_ms : backoff * 2;
    }
    commit_outbox(g);
    return 0;
}
