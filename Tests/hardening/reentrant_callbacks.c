/* Action callbacks that call back into the engine that called them (the header: handlers run
 * after the engine's lock is released and may call back into the engine). Proves:
 *   - on the calling thread (manual clock): a callback made during iotevents_tick can call
 *     DescribeDetector, ListDetectors, BatchPutMessage, iotevents_tick and
 *     iotevents_set_action_handler on the same engine; what it reads already includes
 *     everything the outer call did (the re-armed timer); the actions its own BatchPutMessage
 *     causes are delivered to the same handler, nested, 21 callbacks deep, in order; when the outer
 *     tick returns, every nested call has been processed; the document each callback was given
 *     is still its document when it returns, after the nested calls handed over documents of
 *     their own (a call's documents are written one after another into one buffer);
 *   - on the timer thread (system clock, "timerThread": true): a callback the timer thread makes
 *     can do the same, and its nested actions arrive on the timer thread too;
 *   - none of this deadlocks: a watchdog (alarm) kills the test if a call never returns.
 *   reentrant_callbacks            (links libiotevents.so) */
#define _GNU_SOURCE
#include "hostile.h"

#include <signal.h>

#include "iotevents.h"

enum { DEPTH = 20 };

typedef struct {
    iotevents_engine *engine;
    int depth, max_depth, pongs, ticks, nested_failures, documents_changed;
    int next_n;
    char order[512];
    pthread_t main_thread;
    int off_main_thread;
    pthread_mutex_t lock;
    pthread_cond_t done;
    int finished;
} ctx_t;

static int nested_ok(ctx_t *c, const char *op, const char *request, const char *needle) {
    char *response = NULL;
    int status = iotevents_call(c->engine, op, request, &response);
    int ok = status == 0 && (!needle || (response && strstr(response, needle)));
    if (!ok) {
        c->nested_failures++;
        fprintf(stderr, "nested %s -> %d %s (wanted %s)\n", op, status, response, needle ? needle : "status 0");
    }
    iotevents_free(response);
    return ok;
}

static void on_action(const char *action_json, void *payload) {
    ctx_t *c = payload;
    char *given = strdup(action_json);
    c->depth++;
    if (c->depth > c->max_depth) c->max_depth = c->depth;
    if (!pthread_equal(pthread_self(), c->main_thread)) c->off_main_thread++;
    size_t n = strlen(c->order);
    if (strstr(action_json, "\"type\":\"sns\"")) {
        /* The timer expiry of k1: the outer call has re-armed the timer already. */
        c->ticks++;
        if (n + 2 < sizeof c->order) strcat(c->order, "T");
        nested_ok(c, "DescribeDetector", "{\"detectorModelName\":\"ticker\",\"keyValue\":\"k1\"}", "\"timers\":[{\"name\":\"t\"");
        iotevents_set_action_handler(c->engine, on_action, c); /* replacing it with itself, from inside */
        int64_t fired = iotevents_tick(c->engine, -1);
        if (fired != 0) {
            c->nested_failures++;
            fprintf(stderr, "a nested tick fired %lld expiries\n", (long long)fired);
        }
        char req[256];
        ping_request(req, sizeof req, "nested-0", "k1", c->next_n++);
        nested_ok(c, "BatchPutMessage", req, "\"BatchPutMessageErrorEntries\":[]");
    } else if (strstr(action_json, "pong/k1")) {
        c->pongs++;
        if (n + 2 < sizeof c->order) strcat(c->order, "p");
        nested_ok(c, "ListDetectors", "{\"detectorModelName\":\"ticker\"}", "\"keyValue\":\"k1\"");
        if (c->next_n <= DEPTH) {
            char id[32], req[256];
            snprintf(id, sizeof id, "nested-%d", c->next_n);
            ping_request(req, sizeof req, id, "k1", c->next_n++);
            nested_ok(c, "BatchPutMessage", req, "\"BatchPutMessageErrorEntries\":[]");
        }
    }
    if (n + 2 < sizeof c->order) strcat(c->order, ".");
    if (!given || strcmp(given, action_json) != 0) c->documents_changed++;
    free(given);
    c->depth--;
    if (c->ticks == 1 && c->depth == 0) {
        pthread_mutex_lock(&c->lock);
        c->finished = 1;
        pthread_cond_signal(&c->done);
        pthread_mutex_unlock(&c->lock);
    }
}

static iotevents_engine *open_with_model(const char *config) {
    char *error = NULL;
    iotevents_engine *e = iotevents_open(config, &error);
    CHECK(e != NULL, "iotevents_open: %s", error ? error : "(no error)");
    iotevents_free(error);
    if (!e) return NULL;
    char *r = NULL;
    CHECK(iotevents_call(e, "CreateInput", PING_INPUT, &r) == 0, "CreateInput: %s", r);
    iotevents_free(r);
    CHECK(iotevents_call(e, "CreateDetectorModel", TICKER_MODEL, &r) == 0, "CreateDetectorModel: %s", r);
    iotevents_free(r);
    return e;
}

static void ctx_init(ctx_t *c, iotevents_engine *e) {
    memset(c, 0, sizeof *c);
    c->engine = e;
    c->next_n = 1;
    c->main_thread = pthread_self();
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->done, NULL);
}

/* The expected order: the tick's action, then each pong nested inside the previous one. */
static void expected_order(char *out, size_t cap) {
    snprintf(out, cap, "T");
    for (int i = 0; i < DEPTH; i++) strncat(out, "p", cap - strlen(out) - 1);
    for (int i = 0; i <= DEPTH; i++) strncat(out, ".", cap - strlen(out) - 1);
}

static void calling_thread(void) {
    iotevents_engine *e = open_with_model("{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,\"limits\":{\"minTimerSeconds\":1}}");
    if (!e) return;
    char req[256];
    ping_request(req, sizeof req, "first", "k1", 0);
    CHECK(iotevents_call(e, "BatchPutMessage", req, NULL) == 0, "the first ping");
    ctx_t c;
    ctx_init(&c, e);
    iotevents_set_action_handler(e, on_action, &c);
    int64_t fired = iotevents_tick(e, 1700000001000);
    CHECK(fired == 1, "the tick fired %lld expiries, expected 1", (long long)fired);
    CHECK(c.nested_failures == 0, "%d nested calls failed", c.nested_failures);
    CHECK(c.documents_changed == 0, "%d callbacks' documents changed during their nested calls", c.documents_changed);
    CHECK(c.ticks == 1 && c.pongs == DEPTH, "the callbacks saw %d ticks and %d pongs, expected 1 and %d", c.ticks, c.pongs,
          DEPTH);
    CHECK(c.max_depth == DEPTH + 1, "the deepest nesting was %d callbacks, expected %d", c.max_depth, DEPTH + 1);
    char want[512];
    expected_order(want, sizeof want);
    CHECK(strcmp(c.order, want) == 0, "callbacks in the order %s, expected %s", c.order, want);
    CHECK(c.off_main_thread == 0, "%d callbacks ran on another thread", c.off_main_thread);
    char *r = NULL;
    char wantn[64];
    snprintf(wantn, sizeof wantn, "{\"name\":\"n\",\"value\":\"%d\"}", DEPTH);
    CHECK(iotevents_call(e, "DescribeDetector", "{\"detectorModelName\":\"ticker\",\"keyValue\":\"k1\"}", &r) == 0 && r &&
              strstr(r, wantn),
          "after the tick returned, k1 should hold the last nested ping's n (%d): %s", DEPTH, r);
    iotevents_free(r);
    iotevents_close(e);
}

static void timer_thread(void) {
    iotevents_engine *e = open_with_model("{\"clock\":\"system\",\"timerThread\":true,\"limits\":{\"minTimerSeconds\":1}}");
    if (!e) return;
    char req[256];
    ping_request(req, sizeof req, "first", "k1", 0);
    CHECK(iotevents_call(e, "BatchPutMessage", req, NULL) == 0, "the first ping"); /* no handler yet */
    ctx_t c;
    ctx_init(&c, e);
    iotevents_set_action_handler(e, on_action, &c); /* the expiry, a second later, comes from the timer thread */
    pthread_mutex_lock(&c.lock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)(5 * time_scale());
    while (!c.finished && pthread_cond_timedwait(&c.done, &c.lock, &until) == 0) {}
    int finished = c.finished;
    pthread_mutex_unlock(&c.lock);
    CHECK(finished, "the timer thread's callback did not finish its nested calls within %.0f s", 5 * time_scale());
    iotevents_set_action_handler(e, NULL, NULL);
    iotevents_close(e); /* waits for the timer thread */
    CHECK(c.nested_failures == 0, "%d nested calls from the timer thread failed", c.nested_failures);
    CHECK(c.documents_changed == 0, "timer thread: %d callbacks' documents changed during their nested calls",
          c.documents_changed);
    CHECK(c.ticks == 1 && c.pongs == DEPTH, "timer thread: %d ticks and %d pongs, expected 1 and %d", c.ticks, c.pongs,
          DEPTH);
    char want[512];
    expected_order(want, sizeof want);
    CHECK(strcmp(c.order, want) == 0, "timer thread: callbacks in the order %s, expected %s", c.order, want);
    CHECK(c.off_main_thread == DEPTH + 1, "timer thread: %d of %d callbacks ran off the main thread", c.off_main_thread,
          DEPTH + 1);
}

int main(void) {
    hostile_name = "reentrant-callbacks";
    alarm((unsigned)(60 * time_scale())); /* a deadlock kills the test (SIGALRM) */
    calling_thread();
    timer_thread();
    return hostile_finish();
}
