/* Recovering the actions of an interrupted batch (recovery.h). */
#define _GNU_SOURCE
#include "recovery.h"
#include "actions.h"
#include "iotevents.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    char path[4096];
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* Copies from/name to to/name, at most limit bytes (limit < 0: all). */
static bool copy_file(const char *from, const char *to, const char *name, long long limit) {
    char source[4096], target[4096], buffer[65536];
    snprintf(source, sizeof source, "%s/%s", from, name);
    snprintf(target, sizeof target, "%s/%s", to, name);
    int in = open(source, O_RDONLY | O_CLOEXEC);
    if (in < 0) return false;
    int out = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = out >= 0;
    long long copied = 0;
    while (ok && (limit < 0 || copied < limit)) {
        size_t want = sizeof buffer;
        if (limit >= 0 && (long long)want > limit - copied) want = (size_t)(limit - copied);
        ssize_t n = read(in, buffer, want);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = n == 0 && (limit < 0 || copied == limit);
            break;
        }
        ok = write(out, buffer, (size_t)n) == n;
        copied += n;
    }
    close(in);
    if (out >= 0) close(out);
    return ok;
}

bool mqttd_recover_batch(mqttd_recovery *r, const char *request_json, long long log_bytes, long long epoch_ms,
                         mqttd_outbox *outbox, char *error, size_t size) {
    const char *dir = r->config->state_directory;
    char scratch[4096];
    snprintf(scratch, sizeof scratch, "%s/mqttd-recovery", dir);
    remove_tree(scratch); /* a recovery interrupted itself */
    if (mkdir(scratch, 0700) != 0) {
        snprintf(error, size, "%s: %s", scratch, strerror(errno));
        return false;
    }
    if (!copy_file(dir, scratch, "snapshot", -1) || !copy_file(dir, scratch, "log", log_bytes)) {
        snprintf(error, size, "cannot copy the engine's snapshot and log to %s", scratch);
        remove_tree(scratch);
        return false;
    }
    json_t *config = json_loads(r->config->engine_json, 0, NULL);
    json_object_set_new(config, "stateDirectory", json_string(scratch));
    json_object_set_new(config, "clock", json_string("manual"));
    json_object_set_new(config, "startTimeMillis", json_integer(epoch_ms));
    json_object_del(config, "timerThread");
    char *config_text = json_dumps(config, JSON_COMPACT);
    json_decref(config);
    char *open_error = NULL;
    iotevents_engine *engine = config_text ? iotevents_open(config_text, &open_error) : NULL;
    free(config_text);
    if (!engine) {
        snprintf(error, size, "scratch engine: %s", open_error ? open_error : "out of memory");
        iotevents_free(open_error);
        remove_tree(scratch);
        return false;
    }
    mqttd_actions actions = {.config = r->config, .outbox = outbox, .counters = r->counters, .wake_fd = -1};
    iotevents_set_action_handler(engine, mqttd_action_handler, &actions);
    char *response = NULL;
    int status = iotevents_call(engine, "BatchPutMessage", request_json, &response);
    if (status != IOTEVENTS_OK) snprintf(error, size, "BatchPutMessage again: %s", response ? response : "");
    iotevents_free(response);
    iotevents_set_action_handler(engine, NULL, NULL);
    iotevents_close(engine);
    remove_tree(scratch);
    return status == IOTEVENTS_OK && !atomic_load(&actions.outbox_failed);
}
