/* Reads the daemon's configuration file (config.h). Every member is checked for its type and
 * range, and an unknown member is an error, so a typo never silently falls back to a default. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"
#include "rules.h"
#include <errno.h>
#include <jansson.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    char *error;
    size_t error_size;
    bool failed;
} reader;

static void fail(reader *r, const char *member, const char *format, ...) {
    if (r->failed) return; /* the first error is the one reported */
    r->failed = true;
    int n = snprintf(r->error, r->error_size, "%s: ", member);
    if (n < 0 || (size_t)n >= r->error_size) return;
    va_list args;
    va_start(args, format);
    vsnprintf(r->error + n, r->error_size - (size_t)n, format, args);
    va_end(args);
}

/* Every key of object must be one of allowed (NULL-terminated). */
static void only_known_members(reader *r, json_t *object, const char *where, const char *const *allowed) {
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value) {
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            if (!strcmp(key, *a)) known = true;
        if (!known) {
            char member[256];
            snprintf(member, sizeof member, "%s%s%s", where, *where ? "." : "", key);
            fail(r, member, "unknown member");
            return;
        }
    }
    (void)value;
}

static char *optional_string(reader *r, json_t *object, const char *where, const char *key, const char *fallback) {
    json_t *value = json_object_get(object, key);
    char member[256];
    snprintf(member, sizeof member, "%s%s%s", where, *where ? "." : "", key);
    if (!value || json_is_null(value)) return fallback ? strdup(fallback) : NULL;
    if (!json_is_string(value) || json_string_length(value) == 0) {
        fail(r, member, "must be a non-empty string");
        return NULL;
    }
    if (strlen(json_string_value(value)) != json_string_length(value)) {
        fail(r, member, "must not contain NUL");
        return NULL;
    }
    return strdup(json_string_value(value));
}

static int optional_int(reader *r, json_t *object, const char *where, const char *key, int fallback, int min, int max) {
    json_t *value = json_object_get(object, key);
    char member[256];
    snprintf(member, sizeof member, "%s%s%s", where, *where ? "." : "", key);
    if (!value || json_is_null(value)) return fallback;
    if (!json_is_integer(value) || json_integer_value(value) < min || json_integer_value(value) > max) {
        fail(r, member, "must be an integer %d..%d", min, max);
        return fallback;
    }
    return (int)json_integer_value(value);
}

static bool optional_bool(reader *r, json_t *object, const char *where, const char *key, bool fallback) {
    json_t *value = json_object_get(object, key);
    char member[256];
    snprintf(member, sizeof member, "%s%s%s", where, *where ? "." : "", key);
    if (!value || json_is_null(value)) return fallback;
    if (!json_is_boolean(value)) {
        fail(r, member, "must be true or false");
        return fallback;
    }
    return json_is_true(value);
}

static json_t *optional_object(reader *r, json_t *object, const char *member_name) {
    json_t *value = json_object_get(object, member_name);
    if (value && !json_is_null(value) && !json_is_object(value)) {
        fail(r, member_name, "must be an object");
        return NULL;
    }
    return json_is_object(value) ? value : NULL;
}

static void read_broker(reader *r, json_t *root, mqttd_config *c) {
    json_t *broker = json_object_get(root, "broker");
    if (!json_is_object(broker)) {
        fail(r, "broker", broker ? "must be an object" : "required");
        return;
    }
    static const char *const allowed[] = {"host", "port", "clientId", "username", "password", "cleanSession",
                                          "keepAliveSeconds", "tls", "reconnectMinMillis", "reconnectMaxMillis", NULL};
    only_known_members(r, broker, "broker", allowed);
    c->host = optional_string(r, broker, "broker", "host", NULL);
    if (!c->host) fail(r, "broker.host", "required");
    c->client_id = optional_string(r, broker, "broker", "clientId", "iotevents-mqttd");
    c->username = optional_string(r, broker, "broker", "username", NULL);
    c->password = optional_string(r, broker, "broker", "password", NULL);
    if (c->password && !c->username) fail(r, "broker.password", "needs broker.username");
    c->clean_session = optional_bool(r, broker, "broker", "cleanSession", false);
    c->keepalive_seconds = optional_int(r, broker, "broker", "keepAliveSeconds", 30, 5, 65535);
    c->reconnect_min_ms = optional_int(r, broker, "broker", "reconnectMinMillis", 100, 1, 600000);
    c->reconnect_max_ms = optional_int(r, broker, "broker", "reconnectMaxMillis", 10000, 1, 3600000);
    if (c->reconnect_max_ms < c->reconnect_min_ms) fail(r, "broker.reconnectMaxMillis", "must be >= broker.reconnectMinMillis");
    json_t *tls = json_object_get(broker, "tls");
    if (tls && !json_is_null(tls)) {
        if (!json_is_object(tls)) {
            fail(r, "broker.tls", "must be an object");
            return;
        }
        static const char *const tls_allowed[] = {"caFile", "certFile", "keyFile", NULL};
        only_known_members(r, tls, "broker.tls", tls_allowed);
        c->tls_ca_file = optional_string(r, tls, "broker.tls", "caFile", NULL);
        if (!c->tls_ca_file) fail(r, "broker.tls.caFile", "required with broker.tls");
        c->tls_cert_file = optional_string(r, tls, "broker.tls", "certFile", NULL);
        c->tls_key_file = optional_string(r, tls, "broker.tls", "keyFile", NULL);
        if (!c->tls_cert_file != !c->tls_key_file)
            fail(r, c->tls_cert_file ? "broker.tls.keyFile" : "broker.tls.certFile", "required with the other of certFile and keyFile");
        /* checked now: libmosquitto would only refuse them at each connection attempt */
        const char *members[] = {"broker.tls.caFile", "broker.tls.certFile", "broker.tls.keyFile"};
        const char *files[] = {c->tls_ca_file, c->tls_cert_file, c->tls_key_file};
        for (int i = 0; i < 3; i++)
            if (files[i] && access(files[i], R_OK) != 0) fail(r, members[i], "cannot read %s: %s", files[i], strerror(errno));
    }
    c->port = optional_int(r, broker, "broker", "port", c->tls_ca_file ? 8883 : 1883, 1, 65535);
}

/* The engine's own configuration goes to iotevents_open as it is (it checks it and names the
 * member itself); the daemon only reads the state directory. Timers: the daemon's loop ticks the
 * engine at each deadline (gateway.c says why not the engine's timer thread by default). */
static void read_engine(reader *r, json_t *root, mqttd_config *c) {
    json_t *engine = optional_object(r, root, "engine");
    json_t *copy = engine ? json_deep_copy(engine) : json_object();
    if (!copy) {
        fail(r, "engine", "out of memory");
        return;
    }
    c->engine_timer_thread = json_is_true(json_object_get(copy, "timerThread"));
    c->state_directory = optional_string(r, copy, "engine", "stateDirectory", NULL);
    c->engine_json = json_dumps(copy, JSON_COMPACT);
    json_decref(copy);
}

static void read_models(reader *r, json_t *root, mqttd_config *c) {
    json_t *models = json_object_get(root, "models");
    if (!models || json_is_null(models)) return;
    if (!json_is_array(models)) {
        fail(r, "models", "must be an array of file or directory paths");
        return;
    }
    if (json_array_size(models) > MQTTD_MAX_MODEL_PATHS) {
        fail(r, "models", "at most %d paths", MQTTD_MAX_MODEL_PATHS);
        return;
    }
    size_t i;
    json_t *path;
    json_array_foreach(models, i, path) {
        if (!json_is_string(path) || json_string_length(path) == 0) {
            char member[64];
            snprintf(member, sizeof member, "models[%zu]", i);
            fail(r, member, "must be a non-empty string");
            return;
        }
        c->model_paths[c->model_path_count++] = strdup(json_string_value(path));
    }
}

static void read_rules(reader *r, json_t *root, mqttd_config *c) {
    json_t *rules = json_object_get(root, "rules");
    if (!json_is_array(rules) || json_array_size(rules) == 0) {
        fail(r, "rules", rules ? "must be a non-empty array" : "required");
        return;
    }
    if (json_array_size(rules) > MQTTD_MAX_RULES) {
        fail(r, "rules", "at most %d rules", MQTTD_MAX_RULES);
        return;
    }
    size_t i;
    json_t *rule;
    json_array_foreach(rules, i, rule) {
        char where[64];
        snprintf(where, sizeof where, "rules[%zu]", i);
        if (!json_is_object(rule)) {
            fail(r, where, "must be an object");
            return;
        }
        static const char *const allowed[] = {"topicFilter", "inputName", "messageIdPath", "batchSize", NULL};
        only_known_members(r, rule, where, allowed);
        mqttd_rule *out = &c->rules[c->rule_count++];
        out->topic_filter = optional_string(r, rule, where, "topicFilter", NULL);
        out->input_name = optional_string(r, rule, where, "inputName", NULL);
        out->message_id_path = optional_string(r, rule, where, "messageIdPath", NULL);
        out->batch_size = optional_int(r, rule, where, "batchSize", 1, 1, MQTTD_MAX_BATCH);
        char member[96];
        if (!out->topic_filter) {
            snprintf(member, sizeof member, "%s.topicFilter", where);
            fail(r, member, "required");
        } else if (!mqttd_topic_filter_valid(out->topic_filter)) {
            snprintf(member, sizeof member, "%s.topicFilter", where);
            fail(r, member, "not a valid MQTT topic filter ('+' and '#' only as whole levels, '#' last)");
        }
        if (!out->input_name) {
            snprintf(member, sizeof member, "%s.inputName", where);
            fail(r, member, "required");
        }
    }
}

static void read_actions(reader *r, json_t *root, mqttd_config *c) {
    json_t *actions = optional_object(r, root, "actions");
    static const char *const allowed[] = {"topics", "topicPrefix", "qos", NULL};
    if (actions) only_known_members(r, actions, "actions", allowed);
    c->action_topic_prefix = optional_string(r, actions, "actions", "topicPrefix", "iotevents/actions/");
    c->publish_qos = optional_int(r, actions, "actions", "qos", 1, 0, 1);
    json_t *topics = json_object_get(actions, "topics");
    if (!topics || json_is_null(topics)) return;
    if (!json_is_object(topics)) {
        fail(r, "actions.topics", "must be an object of action type to topic");
        return;
    }
    static const char *const types[] = {"sns", "lambda", "sqs", "firehose", "dynamoDB", "dynamoDBv2",
                                        "iotSiteWise", "iotEvents", "alarmNotification", NULL};
    only_known_members(r, topics, "actions.topics", types);
    const char *type;
    json_t *topic;
    json_object_foreach(topics, type, topic) {
        if (c->action_topic_count >= sizeof c->action_topics / sizeof c->action_topics[0]) break;
        char *value = optional_string(r, topics, "actions.topics", type, NULL);
        if (!value) return;
        if (strchr(value, '+') || strchr(value, '#')) {
            char member[96];
            snprintf(member, sizeof member, "actions.topics.%s", type);
            fail(r, member, "a topic to publish to cannot hold '+' or '#'");
            free(value);
            return;
        }
        c->action_topics[c->action_topic_count].type = strdup(type);
        c->action_topics[c->action_topic_count++].topic = value;
    }
}

static void read_status(reader *r, json_t *root, mqttd_config *c) {
    json_t *status = optional_object(r, root, "status");
    static const char *const allowed[] = {"topic", "intervalSeconds", NULL};
    if (status) only_known_members(r, status, "status", allowed);
    c->status_topic = optional_string(r, status, "status", "topic", "iotevents/mqttd/status");
    c->status_interval_seconds = optional_int(r, status, "status", "intervalSeconds", 60, 0, 86400);
}

bool mqttd_config_load(const char *path, mqttd_config *config, char *error, size_t error_size) {
    memset(config, 0, sizeof *config);
    reader r = {error, error_size, false};
    json_error_t parse_error;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &parse_error);
    if (!root) {
        snprintf(error, error_size, "(file): %s (line %d, column %d)", parse_error.text, parse_error.line, parse_error.column);
        return false;
    }
    if (!json_is_object(root)) {
        snprintf(error, error_size, "(file): must hold a JSON object");
        json_decref(root);
        return false;
    }
    static const char *const allowed[] = {"broker", "engine", "models", "rules", "actions", "status", NULL};
    only_known_members(&r, root, "", allowed);
    read_broker(&r, root, config);
    read_engine(&r, root, config);
    read_models(&r, root, config);
    read_rules(&r, root, config);
    read_actions(&r, root, config);
    read_status(&r, root, config);
    json_decref(root);
    if (r.failed) mqttd_config_free(config);
    return !r.failed;
}

const char *mqttd_config_action_topic(const mqttd_config *config, const char *type, char *buffer, size_t size) {
    for (size_t i = 0; i < config->action_topic_count; i++)
        if (!strcmp(config->action_topics[i].type, type)) return config->action_topics[i].topic;
    snprintf(buffer, size, "%s%s", config->action_topic_prefix, type);
    return buffer;
}

void mqttd_config_free(mqttd_config *c) {
    free(c->host);
    free(c->client_id);
    free(c->username);
    free(c->password);
    free(c->tls_ca_file);
    free(c->tls_cert_file);
    free(c->tls_key_file);
    free(c->engine_json);
    free(c->state_directory);
    for (size_t i = 0; i < c->model_path_count; i++) free(c->model_paths[i]);
    for (size_t i = 0; i < c->rule_count; i++) {
        free(c->rules[i].topic_filter);
        free(c->rules[i].input_name);
        free(c->rules[i].message_id_path);
    }
    for (size_t i = 0; i < c->action_topic_count; i++) {
        free(c->action_topics[i].type);
        free(c->action_topics[i].topic);
    }
    free(c->action_topic_prefix);
    free(c->status_topic);
    memset(c, 0, sizeof *c);
}
