/* The action handler replaced while actions are being delivered. A system-clock engine with its
 * timer thread ("timerThread": true, limits.minTimerSeconds 1) runs DETECTORS detectors whose
 * one-second timers re-arm themselves, so the timer thread delivers ~DETECTORS actions a second,
 * while a pinger thread's BatchPutMessage calls make more on that thread, and a swapper thread
 * sets the handler to A, B or NULL every millisecond. Proves:
 *   - a handler always gets its own payload pointer (fn and payload are replaced together), and
 *     every document it gets is a whole action document;
 *   - both handlers really were called while the swapping went on, and nothing crashed;
 *   - once NULL is set (and a delivery already under way has had time to end), no handler is
 *     called again, through a whole timer period;
 *   - a handler set afterwards gets every period's actions again (delivery was not broken);
 *   - replacing the handler from inside a callback (manual clock, one tick firing DETECTORS
 *     expiries): no deadlock, and every action goes to exactly one of the two handlers -- the
 *     header does not say which of the remaining actions of that delivery go where, so only the
 *     sum is checked; setting NULL from inside: later calls deliver nothing.
 *   handler_swap            (links libiotevents.so) */
#define _GNU_SOURCE
#include "hostile.h"

#include "iotevents.h"

enum { DETECTORS = 40 };

typedef struct {
    const char *name;
    _Atomic int calls, wrong_payload, malformed;
} handler_ctx_t;

static handler_ctx_t ctx_a = {"A", 0, 0, 0}, ctx_b = {"B", 0, 0, 0}, ctx_c = {"C", 0, 0, 0};

static void count(handler_ctx_t *mine, const char *action_json, void *payload) {
    if (payload != mine) mine->wrong_payload++;
    size_t n = action_json ? strlen(action_json) : 0;
    if (n < 2 || action_json[0] != '{' || action_json[n - 1] != '}' || !strstr(action_json, "\"type\":\"")) mine->malformed++;
    mine->calls++;
}
static void handler_a(const char *j, void *p) { count(&ctx_a, j, p); }
static void handler_b(const char *j, void *p) { count(&ctx_b, j, p); }
static void handler_c(const char *j, void *p) { count(&ctx_c, j, p); }

static _Atomic int stop;
static iotevents_engine *engine;

static void *swapper(void *arg) {
    (void)arg;
    for (unsigned i = 0; !stop; i++) {
        switch (i % 3) {
        case 0: iotevents_set_action_handler(engine, handler_a, &ctx_a); break;
        case 1: iotevents_set_action_handler(engine, handler_b, &ctx_b); break;
        default: iotevents_set_action_handler(engine, NULL, &ctx_c); break; /* payload ignored with NULL */
        }
        sleep_ms(i % 2 ? 1 : 0.2);
    }
    return NULL;
}

static void *pinger(void *arg) {
    (void)arg;
    for (int i = 0; !stop; i++) {
        char id[32], key[16], req[256];
        snprintf(id, sizeof id, "p%d", i);
        snprintf(key, sizeof key, "k%d", i % DETECTORS);
        ping_request(req, sizeof req, id, key, i);
        iotevents_call(engine, "BatchPutMessage", req, NULL);
        sleep_ms(3);
    }
    return NULL;
}

static iotevents_engine *open_with_detectors(const char *config) {
    char *error = NULL;
    iotevents_engine *e = iotevents_open(config, &error);
    CHECK(e != NULL, "iotevents_open: %s", error ? error : "(no error)");
    iotevents_free(error);
    if (!e) return NULL;
    CHECK(iotevents_call(e, "CreateInput", PING_INPUT, NULL) == 0, "CreateInput");
    CHECK(iotevents_call(e, "CreateDetectorModel", TICKER_MODEL, NULL) == 0, "CreateDetectorModel");
    for (int k = 0; k < DETECTORS; k++) {
        char id[32], key[16], req[256];
        snprintf(id, sizeof id, "init-%d", k);
        snprintf(key, sizeof key, "k%d", k);
        ping_request(req, sizeof req, id, key, 0);
        CHECK(iotevents_call(e, "BatchPutMessage", req, NULL) == 0, "create detector %s", key);
    }
    return e;
}

static void storm(void) {
    engine = open_with_detectors("{\"clock\":\"system\",\"timerThread\":true,\"limits\":{\"minTimerSeconds\":1}}");
    if (!engine) return;
    pthread_t s, p;
    pthread_create(&s, NULL, swapper, NULL);
    pthread_create(&p, NULL, pinger, NULL);
    sleep_ms(2500); /* two and a half timer periods of swapping, whatever the time scale */
    stop = 1;
    pthread_join(s, NULL);
    pthread_join(p, NULL);
    iotevents_set_action_handler(engine, NULL, NULL);
    CHECK(ctx_a.calls > 0 && ctx_b.calls > 0, "both handlers should have been called during the swapping (A %d, B %d)",
          (int)ctx_a.calls, (int)ctx_b.calls);
    CHECK(ctx_a.wrong_payload == 0 && ctx_b.wrong_payload == 0, "a handler got another handler's payload (A %d, B %d times)",
          (int)ctx_a.wrong_payload, (int)ctx_b.wrong_payload);
    CHECK(ctx_a.malformed == 0 && ctx_b.malformed == 0, "malformed action documents (A %d, B %d)", (int)ctx_a.malformed,
          (int)ctx_b.malformed);

    sleep_ms(300 * time_scale()); /* a delivery that read the handler before NULL was set ends */
    int a = ctx_a.calls, b = ctx_b.calls;
    sleep_ms(1300 * time_scale()); /* a whole timer period: DETECTORS expiries are delivered to nobody */
    CHECK(ctx_a.calls == a && ctx_b.calls == b, "handlers were called after NULL was set (A +%d, B +%d)",
          (int)ctx_a.calls - a, (int)ctx_b.calls - b);

    iotevents_set_action_handler(engine, handler_c, &ctx_c);
    sleep_ms(2200 * time_scale());
    iotevents_set_action_handler(engine, NULL, NULL);
    CHECK(ctx_c.calls >= DETECTORS, "after the swapping, a new handler got %d actions in two timer periods (want >= %d)",
          (int)ctx_c.calls, DETECTORS);
    CHECK(ctx_c.wrong_payload == 0 && ctx_c.malformed == 0, "handler C: wrong payload or malformed documents");
    iotevents_close(engine);
    printf("handler-swap: during the swapping A got %d actions, B %d; afterwards C got %d\n", a, b, (int)ctx_c.calls);
}

/* Replacing the handler from inside a callback. */
static _Atomic int inner_a, inner_b;
static void swapping_b(const char *j, void *p);
static void swapping_a(const char *j, void *p) {
    (void)j;
    inner_a++;
    iotevents_set_action_handler(p, swapping_b, p);
}
static void swapping_b(const char *j, void *p) {
    (void)j;
    (void)p;
    inner_b++;
}
static void removing(const char *j, void *p) {
    (void)j;
    inner_a++;
    iotevents_set_action_handler(p, NULL, NULL);
}

static void from_inside(void) {
    iotevents_engine *e = open_with_detectors("{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,\"limits\":{\"minTimerSeconds\":1}}");
    if (!e) return;
    iotevents_set_action_handler(e, swapping_a, e);
    int64_t fired = iotevents_tick(e, 1700000001000);
    CHECK(fired == DETECTORS, "the tick fired %lld expiries, expected %d", (long long)fired, DETECTORS);
    CHECK(inner_a >= 1 && inner_a + inner_b == DETECTORS,
          "replacing A by B from inside: A got %d, B %d; every one of the %d actions should reach exactly one", (int)inner_a,
          (int)inner_b, DETECTORS);
    inner_a = inner_b = 0;
    iotevents_set_action_handler(e, removing, e);
    iotevents_tick(e, 1700000002000);
    CHECK(inner_a >= 1 && inner_b == 0, "removing from inside: the remover got %d, B %d", (int)inner_a, (int)inner_b);
    int later = inner_a;
    CHECK(iotevents_tick(e, 1700000003000) == DETECTORS, "the third tick fires");
    CHECK(inner_a == later && inner_b == 0, "after removal from inside, later actions were still delivered");
    iotevents_close(e);
}

int main(void) {
    hostile_name = "handler-swap";
    alarm((unsigned)(60 * time_scale()));
    storm();
    from_inside();
    return hostile_finish();
}
