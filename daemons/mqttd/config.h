/* The daemon's configuration: one JSON file, read and validated whole before anything starts
 * (README.md in this folder lists every member). A bad file gives one error naming the member. */
#ifndef MQTTD_CONFIG_H
#define MQTTD_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

#define MQTTD_MAX_RULES 64
#define MQTTD_MAX_MODEL_PATHS 64
#define MQTTD_MAX_BATCH 10 /* BatchPutMessage's limit (AWS and the engine's default) */

/* One rule, as IoT Core's iotEvents rule action: messages on topicFilter become messages of inputName. */
typedef struct mqttd_rule {
    char *topic_filter;
    char *input_name;
    char *message_id_path; /* dotted path into a JSON payload; NULL: a generated id */
    int batch_size;        /* 1..10 messages per BatchPutMessage */
} mqttd_rule;

/* What one action type is published to. */
typedef struct mqttd_action_topic {
    char *type;  /* "sns", "lambda", ... */
    char *topic;
} mqttd_action_topic;

typedef struct mqttd_config {
    char *host;
    int port;
    char *client_id;
    char *username, *password;
    bool clean_session;
    int keepalive_seconds;
    char *tls_ca_file, *tls_cert_file, *tls_key_file; /* CA set: TLS on */
    char *engine_json;    /* the "engine" object, compact, for iotevents_open */
    bool engine_timer_thread; /* engine.timerThread: the engine fires timers itself */
    char *state_directory; /* engine.stateDirectory, or NULL (then the outbox is in memory only) */
    char *model_paths[MQTTD_MAX_MODEL_PATHS];
    size_t model_path_count;
    mqttd_rule rules[MQTTD_MAX_RULES];
    size_t rule_count;
    mqttd_action_topic action_topics[16];
    size_t action_topic_count;
    char *action_topic_prefix; /* default "iotevents/actions/" */
    int publish_qos;           /* iotTopicPublish and the other actions: 0 or 1 (default 1) */
    char *status_topic;        /* default "iotevents/mqttd/status" */
    int status_interval_seconds; /* 0: no status */
    int reconnect_min_ms, reconnect_max_ms;
} mqttd_config;

/* Reads and validates `path`. On failure returns false and writes one line into error
 * ("<member>: <what is wrong>"). */
bool mqttd_config_load(const char *path, mqttd_config *config, char *error, size_t error_size);
void mqttd_config_free(mqttd_config *config);
/* The topic an action of `type` is published to (iotTopicPublish excepted), in buffer. */
const char *mqttd_config_action_topic(const mqttd_config *config, const char *type, char *buffer, size_t size);

#endif
