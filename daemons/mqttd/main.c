/* iotevents-mqttd: an AWS IoT Events engine between MQTT topics (README.md in this folder).
 *
 *   iotevents-mqttd CONFIG.json            serve until SIGTERM/SIGINT; SIGHUP reloads the models
 *   iotevents-mqttd --check-config CONFIG.json   validate the file and the models, then exit
 *
 * Exit status: 0 after a clean stop, 2 for a bad configuration (one line on stderr naming the
 * member or file), 75 when the engine or the outbox could not keep a call durably. */
#define _GNU_SOURCE
#include "gateway.h"
#include <fcntl.h>
#include <jansson.h>
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static mqttd_gateway gateway;

static void on_signal(int signal) {
    if (signal == SIGHUP) gateway.reload_requested = 1;
    else gateway.stop_requested = 1;
    char wake = 0;
    if (write(gateway.wake_write_fd, &wake, 1) < 0) { /* full: the loop wakes anyway */
    }
}

static int bad_config(const char *path, const char *error) {
    fprintf(stderr, "iotevents-mqttd: %s: %s\n", path, error);
    return 2;
}

/* The engine's error document as "engine: <message>". */
static void engine_open_error(char *out, size_t size, char *error_json) {
    json_t *doc = json_loads(error_json ? error_json : "", 0, NULL);
    const char *message = json_string_value(json_object_get(doc, "message"));
    snprintf(out, size, "engine: %s", message ? message : "cannot open the engine");
    json_decref(doc);
    iotevents_free(error_json);
}

int main(int argc, char **argv) {
    bool check_only = argc == 3 && !strcmp(argv[1], "--check-config");
    if (argc != 2 && !check_only) {
        fprintf(stderr, "usage: iotevents-mqttd [--check-config] CONFIG.json\n");
        return 2;
    }
    const char *path = argv[argc - 1];
    char error[1024];
    mqttd_gateway *g = &gateway;
    g->config_path = path;
    if (!mqttd_config_load(path, &g->config, error, sizeof error)) return bad_config(path, error);
    int wake[2];
    if (pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0) return bad_config(path, "cannot create a pipe");
    g->wake_read_fd = wake[0];
    g->wake_write_fd = wake[1];
    /* at once: a SIGTERM during the start (models) is a stop request like any other */
    struct sigaction action = {0};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    signal(SIGPIPE, SIG_IGN);

    g->outbox = mqttd_outbox_open(g->config.state_directory, error, sizeof error);
    if (!g->outbox) return bad_config(path, error);
    char *open_error = NULL;
    g->engine = iotevents_open(g->config.engine_json, &open_error);
    if (!g->engine) {
        engine_open_error(error, sizeof error, open_error);
        return bad_config(path, error);
    }
    g->actions.config = &g->config;
    g->actions.outbox = g->outbox;
    g->actions.counters = &g->counters;
    g->actions.wake_fd = g->wake_write_fd;
    /* Setting the handler is when the engine hands over again the actions of a call or tick it
     * had logged and not finished handing over when the process was killed (include/iotevents.h,
     * "Durable state"): they go to the outbox before anything newer. --check-config sets none,
     * so they stay with the engine for the next start. */
    if (!check_only) {
        unsigned long long queued = atomic_load(&g->counters.actions_queued);
        iotevents_set_action_handler(g->engine, mqttd_action_handler, &g->actions);
        unsigned long long again = atomic_load(&g->counters.actions_queued) - queued;
        atomic_store(&g->counters.redelivered_at_start, again);
        if (again)
            fprintf(stderr, "iotevents-mqttd: the engine handed over %llu action(s) again, of calls or ticks interrupted "
                            "before all their actions had reached the outbox (some may have: published twice)\n", again);
    }
    char record_path[4096];
    bool keep_records = !check_only && g->config.state_directory;
    if (keep_records) snprintf(record_path, sizeof record_path, "%s/mqttd-models.json", g->config.state_directory);
    g->models = mqttd_models_new(keep_records ? record_path : NULL);
    if (!g->models || !mqttd_models_apply(g->models, g->engine, g->config.model_paths, g->config.model_path_count, false, error, sizeof error)) {
        iotevents_close(g->engine);
        return bad_config(path, error);
    }
    int status = 0;
    /* Expiries that fell due while the daemon was down fire at the engine's first tick after
     * opening: tick once now, the handler set (their actions wait in the outbox). */
    if (!check_only) mqttd_gateway_run_due_timers(g);
    if (!check_only) {
        mosquitto_lib_init();
        fprintf(stderr, "iotevents-mqttd: started, %zu action(s) in the outbox\n", mqttd_outbox_depth(g->outbox));
        status = mqttd_gateway_run(g, 5000);
        mosquitto_lib_cleanup();
    }
    iotevents_set_action_handler(g->engine, NULL, NULL);
    iotevents_close(g->engine);
    fprintf(stderr, "iotevents-mqttd: stopped: %llu message(s) in, %llu action(s) out, %zu in the outbox\n",
            (unsigned long long)atomic_load(&g->counters.messages_in), (unsigned long long)atomic_load(&g->counters.actions_out),
            mqttd_outbox_depth(g->outbox));
    mqttd_outbox_close(g->outbox);
    mqttd_models_free(g->models);
    mqttd_config_free(&g->config);
    close(wake[0]);
    close(wake[1]);
    return status;
}
