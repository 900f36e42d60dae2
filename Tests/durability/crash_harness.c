/* The crash harness of the state directory: a child process applies a random stream of calls to
 * an engine on a state directory and reports each one to the parent before it starts and after
 * it returned success; the parent kills the child with SIGKILL at a random moment, reopens the
 * directory and checks every detector against a model of what was acknowledged. The one call
 * that had started but not returned must have happened entirely or not at all.
 *
 * The workload (Tests/durability/counter-model.json, manual clock): batches of 1-10 readings
 * over 40 devices (each reading adds 1 to the device's counter and re-arms a 120 s idle timer),
 * re-sends of an acknowledged batch (the de-duplication window must drop them; each run starts
 * by re-sending the previous run's last batch, so the window must survive the restart), and clock steps of 1-90 s (which fire idle timers: the device goes Idle). After each
 * kill the parent also sends a probe reading for device "probe", whose lastUpdateTime tells the
 * recovered clock. Every tenth run the parent tries to open the directory while the child has it
 * (it must be refused), and the durability mode alternates between "always" and "groupCommit".
 *
 * Compaction runs often (snapshotLogBytes 64 KiB), so kills also land inside it.
 *
 *   crash_harness MODELS_DIR STATE_DIR KILLS SEED
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
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

enum { DEVICES = 40, MAX_BATCH = 10, IDLE_MS = 120000, LOG_MAX = 1 << 20 };
static const int64_t START = 1700000000000;

#define KILL_HARNESS_NAME "crash-harness"
#include "kill_harness.h"

static long snapshot_bytes = 65536;

static iotevents_engine *open_engine(const char *dir, int group_commit, char **error) {
    return open_durable_engine(dir, group_commit, snapshot_bytes, error);
}

static int call(iotevents_engine *engine, const char *op, const char *request, json_t **response) {
    char *text = NULL;
    int status = iotevents_call(engine, op, request, &text);
    if (response) *response = json_loads(text ? text : "null", 0, NULL);
    iotevents_free(text);
    return status;
}

/* --- the child: calls, each announced ("B") and acknowledged ("A") on the pipe ----------- */


/* The BatchPutMessage of run `run`, call `seq`, with readings for `keys` ("3,17,3"). */
static void batch_request(char *request, size_t cap, int run, int seq, const char *keys) {
    int used = snprintf(request, cap, "{\"messages\":[");
    int m = 0;
    for (const char *p = keys; *p; m++) {
        used += snprintf(request + used, cap - (size_t)used,
                         "%s{\"messageId\":\"r%d-%d-%d\",\"inputName\":\"Reading\",\"payload\":{\"id\":\"d%d\"}}",
                         m ? "," : "", run, seq, m, atoi(p));
        const char *comma = strchr(p, ',');
        if (!comma) break;
        p = comma + 1;
    }
    snprintf(request + used, cap - (size_t)used, "]}");
}

/* The last acknowledged batch of an earlier run, which the next child re-sends first: the
 * de-duplication window must survive the restart (and the snapshot) to drop it. */
static struct { int run, seq; int64_t time; char keys[1024]; } last_batch = {-1, 0, 0, ""};

static void child(const char *models, const char *dir, int run, int group_commit, int64_t now, int fd) {
    char *error = NULL;
    iotevents_engine *engine = open_engine(dir, group_commit, &error);
    if (!engine) { fprintf(stderr, "child open: %s\n", error); _exit(2); }
    if (run == 0) {
        char *input = test_read_file(models, "input.json"), *model = test_read_file(models, "counter-model.json");
        if (call(engine, "CreateInput", input, NULL) || call(engine, "CreateDetectorModel", model, NULL)) _exit(2);
    }
    say(fd, "READY\n");
    static char request[8192], line[8192], previous[8192];
    int64_t previous_time = -1;
    char previous_keys[1024] = "";
    if (last_batch.run >= 0 && now - last_batch.time < 200000) {
        batch_request(previous, sizeof previous, last_batch.run, last_batch.seq, last_batch.keys);
        strcpy(previous_keys, last_batch.keys);
        previous_time = last_batch.time;
    }
    for (int seq = 0;; seq++) {
        int pick = below(100);
        if (seq == 0 && previous_time >= 0) pick = 10; /* the earlier run's batch, first */
        if (pick < 8) { /* a clock step */
            int64_t to = now + 1000 + below(90) * 1000;
            snprintf(line, sizeof line, "B %d T %lld\n", seq, (long long)to);
            say(fd, line);
            iotevents_tick(engine, to);
            now = to;
        } else if (pick < 14 && previous_time >= 0 && now - previous_time < 200000) { /* a re-send */
            snprintf(line, sizeof line, "B %d R %lld %s\n", seq, (long long)now, previous_keys);
            say(fd, line);
            if (call(engine, "BatchPutMessage", previous, NULL)) _exit(4);
        } else { /* a batch */
            int count = 1 + below(MAX_BATCH);
            char keys[1024] = "";
            int kused = 0;
            for (int m = 0; m < count; m++)
                kused += snprintf(keys + kused, sizeof keys - (size_t)kused, "%s%d", m ? "," : "", below(DEVICES));
            batch_request(request, sizeof request, run, seq, keys);
            snprintf(line, sizeof line, "B %d M %lld %s\n", seq, (long long)now, keys);
            say(fd, line);
            json_t *response = NULL;
            if (call(engine, "BatchPutMessage", request, &response)) _exit(4);
            if (json_array_size(json_object_get(response, "BatchPutMessageErrorEntries")) != 0) _exit(5);
            json_decref(response);
            strcpy(previous, request);
            strcpy(previous_keys, keys);
            previous_time = now;
        }
        snprintf(line, sizeof line, "A %d\n", seq);
        say(fd, line);
    }
}

/* --- the parent's model of what was acknowledged ------------------------------------------- */

typedef struct {
    long count[DEVICES + 1];    /* readings counted; index DEVICES is the probe */
    int64_t last[DEVICES + 1];  /* the clock at the last reading, -1 = never */
    int64_t now;                /* the manual clock */
} model;

static void apply_readings(model *m, int64_t now, const char *keys) {
    /* BatchPutMessage first fires what is due at `now`: nothing that matters to the model,
     * whose states follow from `last` and the clock. */
    m->now = now > m->now ? now : m->now;
    for (const char *p = keys; *p;) {
        int device = atoi(p);
        m->count[device]++;
        m->last[device] = now;
        const char *comma = strchr(p, ',');
        if (!comma) break;
        p = comma + 1;
    }
}

/* One announced call: apply it to the model. */
static void apply_line(model *m, const char *line) {
    char kind;
    long long time;
    int seq;
    char keys[1024] = "";
    if (sscanf(line, "B %d %c %lld %1023s", &seq, &kind, &time, keys) < 3) fail("bad child line", line);
    if (kind == 'T') m->now = time > m->now ? time : m->now;
    else if (kind == 'M') apply_readings(m, time, keys);
    /* 'R': a re-send inside the window changes nothing */
}

static void remember_batch(int run, const char *line) {
    int seq;
    char kind;
    long long time;
    char keys[1024];
    if (sscanf(line, "B %d %c %lld %1023s", &seq, &kind, &time, keys) == 4 && kind == 'M') {
        last_batch.run = run;
        last_batch.seq = seq;
        last_batch.time = time;
        strcpy(last_batch.keys, keys);
    }
}

/* Does the engine hold exactly the state of model m? Returns 0 or the first difference. */
static const char *compare(iotevents_engine *engine, const model *m, char *why, size_t cap) {
    for (int d = 0; d < DEVICES; d++) {
        char request[256];
        snprintf(request, sizeof request, "{\"detectorModelName\":\"counter\",\"keyValue\":\"d%d\"}", d);
        json_t *response = NULL;
        int status = call(engine, "DescribeDetector", request, &response);
        if (m->last[d] < 0) {
            json_decref(response);
            if (status != IOTEVENTS_RESOURCE_NOT_FOUND) { snprintf(why, cap, "d%d exists, never acknowledged", d); return why; }
            continue;
        }
        if (status != 0) { json_decref(response); snprintf(why, cap, "d%d missing (status %d)", d, status); return why; }
        json_t *state = json_object_get(json_object_get(response, "detector"), "state");
        const char *name = json_string_value(json_object_get(state, "stateName"));
        json_t *variables = json_object_get(state, "variables"), *timers = json_object_get(state, "timers");
        long n = -1;
        for (size_t i = 0; i < json_array_size(variables); i++) {
            json_t *v = json_array_get(variables, i);
            if (!strcmp(json_string_value(json_object_get(v, "name")), "n")) n = atol(json_string_value(json_object_get(v, "value")));
        }
        int active = m->last[d] + IDLE_MS > m->now;
        double timer = json_array_size(timers) ? json_real_value(json_object_get(json_array_get(timers, 0), "timestamp")) : -1;
        double expected_timer = active ? (double)(m->last[d] + IDLE_MS) / 1000 : -1;
        int ok = n == m->count[d] && name && !strcmp(name, active ? "Active" : "Idle") && timer == expected_timer;
        if (!ok) {
            snprintf(why, cap, "d%d: n=%ld state=%s timer=%.3f; model n=%ld state=%s timer=%.3f", d, n, name ? name : "?",
                     timer, m->count[d], active ? "Active" : "Idle", expected_timer);
            json_decref(response);
            return why;
        }
        json_decref(response);
    }
    return NULL;
}

/* The recovered manual clock, read from the probe's lastUpdateTime after a probe reading. */
static int64_t probe(iotevents_engine *engine, int run) {
    char request[256];
    snprintf(request, sizeof request,
             "{\"messages\":[{\"messageId\":\"probe-%d\",\"inputName\":\"Reading\",\"payload\":{\"id\":\"probe\"}}]}", run);
    if (call(engine, "BatchPutMessage", request, NULL)) fail("probe", "BatchPutMessage failed");
    json_t *response = NULL;
    if (call(engine, "DescribeDetector", "{\"detectorModelName\":\"counter\",\"keyValue\":\"probe\"}", &response)) fail("probe", "describe failed");
    double seconds = json_real_value(json_object_get(json_object_get(response, "detector"), "lastUpdateTime"));
    json_decref(response);
    return (int64_t)(seconds * 1000 + 0.5);
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s MODELS_DIR STATE_DIR KILLS SEED\n", argv[0]); return 2; }
    const char *models = argv[1], *dir = argv[2];
    int kills = atoi(argv[3]);
    rng = strtoull(argv[4], NULL, 10) | 1;
    model m;
    memset(&m, 0, sizeof m);
    for (int d = 0; d <= DEVICES; d++) m.last[d] = -1;
    m.now = START;
    long calls = 0, in_flight_applied = 0, in_flight_dropped = 0, refused = 0;
    static char log[LOG_MAX];
    for (int run = 0; run < kills; run++) {
        int group_commit = run % 2;
        int from_child;
        pid_t pid = start_child(child, models, dir, run, group_commit, m.now, &from_child);
        /* The child has the directory (and, in the first run, the models) before the clock starts. */
        struct timespec pause = {0, (long)(1 + below(25)) * 1000000L};
        nanosleep(&pause, NULL);
        if (run % 10 == 5) { /* a second engine on the same directory is refused */
            char *error = NULL;
            iotevents_engine *other = open_engine(dir, 0, &error);
            if (other) fail("lock", "a second engine opened the directory");
            if (!error || !strstr(error, "ResourceInUseException")) fail("lock", error);
            iotevents_free(error);
            refused++;
        }
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status)) fail("child", "ended by itself");
        size_t used = 0;
        for (;;) {
            ssize_t n = read(from_child, log + used, sizeof log - 1 - used);
            if (n <= 0) break;
            used += (size_t)n;
        }
        close(from_child);
        log[used] = '\0';
        /* Apply the acknowledged calls; keep the last announced one that was not acknowledged. */
        char *pending = NULL;
        for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
            if (line[0] == 'B') { pending = line; continue; }
            if (line[0] == 'A' && pending) { remember_batch(run, pending); apply_line(&m, pending); pending = NULL; calls++; }
        }
        char *error = NULL;
        iotevents_engine *engine = open_engine(dir, 0, &error);
        if (!engine) fail("reopen", error);
        char why[512];
        const char *without = compare(engine, &m, why, sizeof why);
        if (without && pending) {
            model with = m;
            apply_line(&with, pending);
            const char *with_why = compare(engine, &with, why, sizeof why);
            if (with_why) fail("state after kill (neither with nor without the call in flight)", with_why);
            m = with;
            in_flight_applied++;
        } else if (without) {
            fail("state after kill", without);
        } else if (pending) {
            in_flight_dropped++;
        }
        /* The clock is part of the state too: the probe reads it (and is a reading itself). */
        int64_t clock = probe(engine, run);
        if (pending && pending[2 + strcspn(pending + 2, " ") + 1] == 'T' && clock != m.now) {
            /* a clock step in flight: it happened iff the clock moved */
            model with = m;
            apply_line(&with, pending);
            if (clock == with.now) { m = with; in_flight_applied++; in_flight_dropped--; }
        }
        if (clock != m.now) {
            snprintf(why, sizeof why, "recovered clock %lld, model %lld", (long long)clock, (long long)m.now);
            fail("clock", why);
        }
        apply_readings(&m, clock, "40");
        iotevents_close(engine);
    }
    printf("crash-harness: %d kills, %ld acknowledged calls checked, in-flight calls: %ld applied, %ld not; %ld second opens refused\n",
           kills, calls, in_flight_applied, in_flight_dropped, refused);
    return 0;
}
