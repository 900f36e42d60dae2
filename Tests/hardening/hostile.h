/* Shared helpers of the hostile-host tests (the C programs of Tests/hardening): checks that count failures,
 * file reading, a monotonic clock, the resident set size, and the small models the tests use.
 * Header-only (static functions) so that each test stays one program. */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <malloc.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOSTILE_UNUSED __attribute__((unused))

HOSTILE_UNUSED static _Atomic int hostile_checks, hostile_failures; /* checks may run on several threads */
static const char *hostile_name = "hostile";

/* CHECK(condition, "what should hold", ...): prints and counts a failure, never aborts, so that
 * one run reports every broken property. */
#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        hostile_checks++;                                                                      \
        if (!(cond)) {                                                                         \
            hostile_failures++;                                                                \
            fprintf(stderr, "FAIL %s:%d: ", hostile_name, __LINE__);                           \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fprintf(stderr, "\n");                                                             \
        }                                                                                      \
    } while (0)

/* Known failures (library defects listed in known-failures.txt, whose path is in HOSTILE_KNOWN):
 * KCHECK("id", cond, ...) is CHECK for a check named NAME/id or NAME/PROFILE/id (PROFILE from
 * HOSTILE_PROFILE). A listed check that fails is reported as KNOWN and not counted; a listed
 * check that passes fails the run, so that the list is emptied as the library is fixed. */
static _Atomic int hostile_known_failed;

HOSTILE_UNUSED static int hostile_is_known(const char *id) {
    const char *path = getenv("HOSTILE_KNOWN"), *profile = getenv("HOSTILE_PROFILE");
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) return 0;
    char want1[256], want2[256], line[512];
    snprintf(want1, sizeof want1, "%s/%s", hostile_name, id);
    snprintf(want2, sizeof want2, "%s/%s/%s", hostile_name, profile ? profile : "-", id);
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, " \t\r\n#")] = '\0';
        found = strcmp(line, want1) == 0 || strcmp(line, want2) == 0;
    }
    fclose(f);
    return found;
}

#define KCHECK(id, cond, ...)                                                                  \
    do {                                                                                       \
        int known_ = hostile_is_known(id), ok_ = (cond);                                       \
        hostile_checks++;                                                                      \
        if (known_ && ok_) {                                                                   \
            hostile_failures++;                                                                \
            fprintf(stderr, "FIXED %s/%s: passes now; remove it from known-failures.txt\n",    \
                    hostile_name, id);                                                         \
        } else if (!ok_) {                                                                     \
            if (known_) hostile_known_failed++;                                                \
            else hostile_failures++;                                                           \
            fprintf(stderr, "%s %s:%d (%s): ", known_ ? "KNOWN" : "FAIL", hostile_name, __LINE__, id); \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fprintf(stderr, "\n");                                                             \
        }                                                                                      \
    } while (0)

/* The closing line every test prints ("NAME: N checks passed, N failed"); the exit status. */
HOSTILE_UNUSED static int hostile_finish(void) {
    const char *profile = getenv("HOSTILE_PROFILE");
    if (hostile_known_failed) printf("%s: %d known failures (known-failures.txt) not counted\n", hostile_name, (int)hostile_known_failed);
    printf("%s%s%s: %d checks passed, %d failed\n", hostile_name, profile ? " " : "", profile ? profile : "",
           (int)(hostile_checks - hostile_failures - hostile_known_failed), (int)hostile_failures);
    return hostile_failures ? 1 : 0;
}

HOSTILE_UNUSED static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

HOSTILE_UNUSED static void sleep_ms(double ms) {
    struct timespec t = {(time_t)(ms / 1000.0), (long)((ms - (double)(time_t)(ms / 1000.0) * 1000.0) * 1e6)};
    while (nanosleep(&t, &t) != 0) {}
}

/* Timing thresholds are multiplied by HOSTILE_TIME_SCALE (default 1; the valgrind runs use more). */
HOSTILE_UNUSED static double time_scale(void) {
    const char *s = getenv("HOSTILE_TIME_SCALE");
    double v = s ? atof(s) : 1.0;
    return v >= 1.0 ? v : 1.0;
}

/* Resident set size in KiB (VmRSS), or -1. */
HOSTILE_UNUSED static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kib = strtol(line + 6, NULL, 10);
    fclose(f);
    return kib;
}

/* Bytes the process has allocated with malloc and not freed (heap and mmapped chunks). */
HOSTILE_UNUSED static long heap_in_use(void) {
    struct mallinfo2 m = mallinfo2();
    return (long)(m.uordblks + m.hblkhd);
}

HOSTILE_UNUSED static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    size_t got = fread(text, 1, (size_t)n, f);
    text[got] = '\0';
    fclose(f);
    return text;
}

/* A model with a one-second timer that re-arms itself: every second each detector (keyed on
 * "id") fires "tick" and publishes an sns action; a message on Ping publishes an
 * iotTopicPublish action ("pong"). Needs "limits": {"minTimerSeconds": 1}. */
HOSTILE_UNUSED static const char *PING_INPUT =
    "{\"inputName\":\"Ping\",\"inputDefinition\":{\"attributes\":[{\"jsonPath\":\"id\"},{\"jsonPath\":\"n\"}]}}";
HOSTILE_UNUSED static const char *TICKER_MODEL =
    "{\"detectorModelName\":\"ticker\",\"key\":\"id\",\"roleArn\":\"arn:aws:iam::123456789012:role/r\","
    "\"detectorModelDefinition\":{\"initialStateName\":\"Ticking\",\"states\":[{\"stateName\":\"Ticking\","
    "\"onEnter\":{\"events\":[{\"eventName\":\"arm\",\"actions\":[{\"setTimer\":{\"timerName\":\"t\",\"seconds\":1}}]}]},"
    "\"onInput\":{\"events\":[{\"eventName\":\"pong\",\"condition\":\"currentInput(\\\"Ping\\\")\",\"actions\":["
    "{\"setVariable\":{\"variableName\":\"n\",\"value\":\"$input.Ping.n\"}},"
    "{\"iotTopicPublish\":{\"mqttTopic\":\"'pong/${$input.Ping.id}'\"}}]}],"
    "\"transitionEvents\":[{\"eventName\":\"tick\",\"condition\":\"timeout(\\\"t\\\")\",\"nextState\":\"Ticking\","
    "\"actions\":[{\"sns\":{\"targetArn\":\"arn:aws:sns:us-east-1:123456789012:ticks\"}}]}]}}]}}";

/* A BatchPutMessage request of one Ping message. */
HOSTILE_UNUSED static void ping_request(char *out, size_t cap, const char *message_id, const char *id, int n) {
    snprintf(out, cap,
             "{\"messages\":[{\"messageId\":\"%s\",\"inputName\":\"Ping\",\"payload\":{\"id\":\"%s\",\"n\":%d}}]}",
             message_id, id, n);
}

/* ----- the library through dlopen: one table of entry points per loaded copy ----------------- */
#ifdef HOSTILE_DLOPEN
#include <dlfcn.h>

#include "iotevents.h"

typedef struct {
    void *handle;
    iotevents_engine *(*open)(const char *, char **);
    void (*close)(iotevents_engine *);
    int (*call)(iotevents_engine *, const char *, const char *, char **);
    int64_t (*tick)(iotevents_engine *, int64_t);
    void (*set_handler)(iotevents_engine *, iotevents_action_fn, void *);
    void (*free)(void *);
    const char *(*version)(void);
} api_t;

/* dlopens path with flags and resolves the entry points; 0 on failure (reason printed). */
HOSTILE_UNUSED static int api_load(api_t *api, const char *path, int flags) {
    memset(api, 0, sizeof *api);
    api->handle = dlopen(path, flags);
    if (!api->handle) {
        fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
        return 0;
    }
#define API_SYM(field, name)                                                                 \
    do {                                                                                     \
        *(void **)&api->field = dlsym(api->handle, name);                                    \
        if (!api->field) {                                                                   \
            fprintf(stderr, "dlsym %s: %s\n", name, dlerror());                              \
            return 0;                                                                        \
        }                                                                                    \
    } while (0)
    API_SYM(open, "iotevents_open");
    API_SYM(close, "iotevents_close");
    API_SYM(call, "iotevents_call");
    API_SYM(tick, "iotevents_tick");
    API_SYM(set_handler, "iotevents_set_action_handler");
    API_SYM(free, "iotevents_free");
    API_SYM(version, "iotevents_version_string");
#undef API_SYM
    return 1;
}

/* A call whose response is appended to a transcript ("Op -> status response\n"). */
HOSTILE_UNUSED static int api_call(api_t *api, iotevents_engine *e, const char *op, const char *request, char **transcript) {
    char *response = NULL;
    int status = api->call(e, op, request, &response);
    size_t old = *transcript ? strlen(*transcript) : 0;
    size_t add = strlen(op) + (response ? strlen(response) : 6) + 32;
    *transcript = realloc(*transcript, old + add);
    snprintf(*transcript + old, add, "%s -> %d %s\n", op, status, response ? response : "(null)");
    api->free(response);
    return status;
}
#endif

#endif
