/* At-least-once delivery of actions through SIGKILL (issue 27; include/iotevents.h, "Durable
 * state"), through the C ABI only. A child process sends random batches of readings and clock
 * steps to an engine on a state directory; its action handler writes each action to a pipe (one
 * short line: one write, atomic) before it returns. The parent kills the child with SIGKILL at a
 * random moment -- before a call is logged, between its record and its actions, inside the
 * handler, inside a compaction (snapshotLogBytes is small) -- reopens the directory and sets a
 * handler, which is handed what the killed child had not finished handing over, and checks the
 * stream of actions so far, per device, duplicates dropped:
 *   - every reading's action, in order: n (the device's count of readings, in the default
 *     payload) is 1, 2, 3, ... with none missing (kinds "count" in Active, "back" from Idle);
 *   - every timer expiry's action (kind "idle", fired by a tick) comes after the reading it
 *     follows and before the next one: a "back" reading n needs the "idle" of n - 1 before it;
 *   - a repeat is a duplicate of an action already seen.
 * At the end each device's count and state (DescribeDetector) must match the last actions seen.
 * The durability mode alternates between "always" and "groupCommit".
 *
 *   redelivery MODELS_DIR STATE_DIR KILLS SEED
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "iotevents.h"
#include "../c/test_files.h"

enum { DEVICES = 20, MAX_BATCH = 10, IDLE_MS = 60000 };
static const int64_t START = 1700000000000;

#define KILL_HARNESS_NAME "redelivery"
#include "kill_harness.h"

static iotevents_engine *open_engine(const char *dir, int group_commit, char **error) {
    return open_durable_engine(dir, group_commit, 16384, error);
}

/* An action document as one line "A <device> <kind> <n>" (kind: c count, b back, i idle). */
static int action_line(const char *action_json, char *line, size_t cap) {
    json_t *doc = json_loads(action_json, 0, NULL);
    const char *arn = json_string_value(json_object_get(json_object_get(doc, "action"), "targetArn"));
    const char *key = json_string_value(json_object_get(json_object_get(doc, "source"), "keyValue"));
    json_t *payload = json_loads(json_string_value(json_object_get(doc, "payload")) ? json_string_value(json_object_get(doc, "payload")) : "", 0, NULL);
    json_t *n = json_object_get(json_object_get(json_object_get(json_object_get(payload, "payload"), "state"), "variables"), "n");
    const char *kind = arn ? strrchr(arn, ':') : NULL;
    int ok = kind && key && json_is_integer(n);
    if (ok) snprintf(line, cap, "A %s %c %lld\n", key + 1, kind[1], (long long)json_integer_value(n));
    json_decref(payload);
    json_decref(doc);
    return ok;
}

/* --- the child ------------------------------------------------------------------------------ */


static void child_handler(const char *action_json, void *payload) {
    char line[256];
    if (!action_line(action_json, line, sizeof line)) _exit(6);
    say(*(int *)payload, line);
}

static void child(const char *models, const char *dir, int run, int group_commit, int64_t now, int fd) {
    char *error = NULL;
    iotevents_engine *engine = open_engine(dir, group_commit, &error);
    if (!engine) { fprintf(stderr, "child open: %s\n", error); _exit(2); }
    /* No handler before the parent has seen READY: what a reopening hands over is the parent's. */
    if (run == 0) {
        char *input = test_read_file(models, "input.json"), *model = test_read_file(models, "redelivery-model.json");
        char *response = NULL;
        if (iotevents_call(engine, "CreateInput", input, NULL) || iotevents_call(engine, "CreateDetectorModel", model, &response)) {
            fprintf(stderr, "child setup: %s\n", response ? response : "");
            _exit(2);
        }
    }
    say(fd, "READY\n");
    iotevents_set_action_handler(engine, child_handler, &fd);
    static char request[8192], line[256];
    for (int seq = 0;; seq++) {
        if (below(100) < 15) { /* a clock step: fires the idle timers due by then */
            now += 1000 + below(90) * 1000;
            snprintf(line, sizeof line, "T %lld\n", (long long)now);
            say(fd, line);
            if (iotevents_tick(engine, now) < 0) _exit(4);
        } else {
            int count = 1 + below(MAX_BATCH), used = snprintf(request, sizeof request, "{\"messages\":[");
            for (int m = 0; m < count; m++)
                used += snprintf(request + used, sizeof request - (size_t)used,
                                 "%s{\"messageId\":\"r%d-%d-%d\",\"inputName\":\"Reading\",\"payload\":{\"id\":\"d%d\"}}",
                                 m ? "," : "", run, seq, m, below(DEVICES));
            snprintf(request + used, sizeof request - (size_t)used, "]}");
            if (iotevents_call(engine, "BatchPutMessage", request, NULL)) _exit(4);
        }
    }
}

/* --- the parent's check of the action stream ------------------------------------------------ */

static struct {
    long last;       /* the last reading's n seen (its count or back action) */
    long idle_after; /* the n after which the last idle action came; -1: none since */
} device[DEVICES];
static long actions_seen, duplicates, handed_over_again, expiries_handed_over_again;

static void check_action(const char *line) {
    int d;
    char kind;
    long n;
    if (sscanf(line, "A %d %c %ld", &d, &kind, &n) != 3 || d < 0 || d >= DEVICES) fail("bad action line", line);
    char why[256];
    actions_seen++;
    if (kind == 'i') {
        if (n <= device[d].idle_after) { duplicates++; return; }
        if (n != device[d].last) {
            snprintf(why, sizeof why, "d%d: idle after reading %ld, the last reading seen is %ld", d, n, device[d].last);
            fail("order", why);
        }
        device[d].idle_after = n;
        return;
    }
    if (n <= device[d].last) { duplicates++; return; }
    if (n != device[d].last + 1) {
        snprintf(why, sizeof why, "d%d: reading %ld after %ld: the actions between are lost", d, n, device[d].last);
        fail("lost", why);
    }
    if (kind == 'b' && device[d].idle_after != n - 1) {
        snprintf(why, sizeof why, "d%d: back at reading %ld without the idle action after reading %ld", d, n, n - 1);
        fail("lost tick action", why);
    }
    if (kind == 'c' && device[d].idle_after == n - 1 && n > 1) {
        snprintf(why, sizeof why, "d%d: reading %ld counted in Active after the idle action of %ld", d, n, n - 1);
        fail("order", why);
    }
    device[d].last = n;
}

static void parent_handler(const char *action_json, void *payload) {
    (void)payload;
    char line[256];
    if (!action_line(action_json, line, sizeof line)) fail("action document", action_json);
    handed_over_again++;
    if (line[2 + strcspn(line + 2, " ") + 1] == 'i') expiries_handed_over_again++;
    check_action(line);
}

/* The lines of the child, read as they come until the deadline, then after the kill. */
static char pending_text[1 << 16];
static size_t pending_used;
static int64_t clock_announced = START;

static void take_lines(void) {
    char *start = pending_text, *end;
    while ((end = memchr(start, '\n', pending_used - (size_t)(start - pending_text)))) {
        *end = '\0';
        if (start[0] == 'A') check_action(start);
        else if (start[0] == 'T') {
            long long t = atoll(start + 2);
            if (t > clock_announced) clock_announced = t;
        }
        start = end + 1;
    }
    pending_used -= (size_t)(start - pending_text);
    memmove(pending_text, start, pending_used);
}

static int read_some(int fd, int timeout_ms) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return 1;
    ssize_t n = read(fd, pending_text + pending_used, sizeof pending_text - pending_used);
    if (n <= 0) return 0;
    pending_used += (size_t)n;
    take_lines();
    return 1;
}

static int64_t millis(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s MODELS_DIR STATE_DIR KILLS SEED\n", argv[0]); return 2; }
    const char *models = argv[1], *dir = argv[2];
    int kills = atoi(argv[3]);
    rng = strtoull(argv[4], NULL, 10) | 1;
    for (int d = 0; d < DEVICES; d++) device[d].idle_after = -1;
    long redelivering_reopens = 0;
    for (int run = 0; run < kills; run++) {
        int group_commit = run % 2;
        int from_child;
        pid_t pid = start_child(child, models, dir, run, group_commit, clock_announced, &from_child);
        int64_t deadline = millis() + 1 + below(40);
        while (millis() < deadline) read_some(from_child, (int)(deadline - millis()));
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status)) fail("child", "ended by itself");
        while (read_some(from_child, 1000)) { /* to the end of what the child wrote */
        }
        close(from_child);
        pending_used = 0; /* a torn last line: an action whose write the kill cut */
        char *error = NULL;
        iotevents_engine *engine = open_engine(dir, 0, &error);
        if (!engine) fail("reopen", error);
        long before = handed_over_again;
        iotevents_set_action_handler(engine, parent_handler, NULL);
        if (handed_over_again > before) redelivering_reopens++;
        iotevents_close(engine);
    }
    /* Everything the engine holds matches the last actions seen. */
    char *error = NULL;
    iotevents_engine *engine = open_engine(dir, 0, &error);
    if (!engine) fail("final open", error);
    long before = handed_over_again;
    iotevents_set_action_handler(engine, parent_handler, NULL);
    if (handed_over_again != before) fail("final open", "actions handed over again after a clean close");
    long readings = 0;
    for (int d = 0; d < DEVICES; d++) {
        char request[128], why[256];
        snprintf(request, sizeof request, "{\"detectorModelName\":\"reporter\",\"keyValue\":\"d%d\"}", d);
        char *response = NULL;
        int status = iotevents_call(engine, "DescribeDetector", request, &response);
        json_t *doc = json_loads(response ? response : "null", 0, NULL);
        iotevents_free(response);
        if (status != 0) {
            json_decref(doc);
            if (device[d].last != 0) { snprintf(why, sizeof why, "d%d missing, %ld readings seen", d, device[d].last); fail("state", why); }
            continue;
        }
        json_t *state = json_object_get(json_object_get(doc, "detector"), "state");
        const char *name = json_string_value(json_object_get(state, "stateName"));
        long n = -1;
        json_t *variables = json_object_get(state, "variables");
        for (size_t i = 0; i < json_array_size(variables); i++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(variables, i), "name")), "n"))
                n = atol(json_string_value(json_object_get(json_array_get(variables, i), "value")));
        int idle = name && !strcmp(name, "Idle");
        if (n != device[d].last || idle != (device[d].idle_after == n)) {
            snprintf(why, sizeof why, "d%d: n=%ld state=%s; actions seen: last reading %ld, idle after %ld", d, n,
                     name ? name : "?", device[d].last, device[d].idle_after);
            fail("state", why);
        }
        readings += n;
        json_decref(doc);
    }
    iotevents_close(engine);
    printf("redelivery: %d kills, %ld readings and their actions checked (%ld actions seen, %ld duplicates); "
           "%ld actions handed over again (%ld of timer expiries) at %ld reopenings, none lost, all in order per device\n",
           kills, readings, actions_seen, duplicates, handed_over_again, expiries_handed_over_again, redelivering_reopens);
    return 0;
}
