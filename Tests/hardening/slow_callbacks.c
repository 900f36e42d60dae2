/* Callbacks that take long (200 ms and more) while another thread uses the engine. Callbacks run
 * after the engine's lock is released, so a slow one must hold up nobody but its own caller:
 *   - timer thread: while the timer thread sleeps inside a callback, another thread's
 *     ListDetectors, DescribeDetector, BatchPutMessage, iotevents_next_deadline and
 *     iotevents_tick each return within MAX_LATENCY_MS, while the callback is still inside;
 *   - calling thread: while one thread's BatchPutMessage is inside its slow callback, another
 *     thread's calls are just as quick; the first thread's call itself returns only after its
 *     callback has (delivery is synchronous).
 * The slow callback sleeps SLOW_MS, and on in SLOW_MS steps until the other thread is done (at
 * most CAP_MS): a call the callback blocked would take CAP_MS, far above MAX_LATENCY_MS, so the
 * test tells blocking from a busy machine. Thresholds scale with HOSTILE_TIME_SCALE (valgrind).
 *   slow_callbacks            (links libiotevents.so) */
#define _GNU_SOURCE
#include "hostile.h"

#include "iotevents.h"

enum { SLOW_MS = 200, CAP_MS = 3000, MAX_LATENCY_MS = 500 };

static _Atomic int inside, done, probing_done;
static double slow_ms;

/* Sleeps in the expiry of k1 (timer thread) and in the pong of key "slow" (calling thread). */
static void on_action(const char *action_json, void *payload) {
    (void)payload;
    int slow = (strstr(action_json, "\"type\":\"sns\"") && strstr(action_json, "\"keyValue\":\"k1\"")) ||
               strstr(action_json, "pong/slow");
    if (!slow || inside) return;
    inside = 1;
    double start = now_ms();
    do sleep_ms(slow_ms);
    while (!probing_done && now_ms() - start < CAP_MS * time_scale());
    done = 1;
}

static double timed(iotevents_engine *e, const char *op, const char *request, int *status) {
    double t0 = now_ms();
    char *r = NULL;
    *status = iotevents_call(e, op, request, &r);
    iotevents_free(r);
    return now_ms() - t0;
}

/* The other thread's calls, while a callback sleeps; returns the slowest. */
static double probe_calls(iotevents_engine *e, const char *tag) {
    double worst = 0, t;
    int status;
    char req[256];
    t = timed(e, "ListDetectors", "{\"detectorModelName\":\"ticker\"}", &status);
    CHECK(status == 0, "%s: ListDetectors failed", tag);
    worst = t > worst ? t : worst;
    t = timed(e, "DescribeDetector", "{\"detectorModelName\":\"ticker\",\"keyValue\":\"k1\"}", &status);
    CHECK(status == 0, "%s: DescribeDetector failed", tag);
    worst = t > worst ? t : worst;
    static int n;
    char id[32];
    snprintf(id, sizeof id, "probe-%d", n++);
    ping_request(req, sizeof req, id, "k2", n);
    t = timed(e, "BatchPutMessage", req, &status);
    CHECK(status == 0, "%s: BatchPutMessage failed", tag);
    worst = t > worst ? t : worst;
    double t0 = now_ms();
    iotevents_next_deadline(e);
    iotevents_tick(e, -1);
    t = now_ms() - t0;
    worst = t > worst ? t : worst;
    return worst;
}

static iotevents_engine *open_with_model(const char *config) {
    char *error = NULL;
    iotevents_engine *e = iotevents_open(config, &error);
    CHECK(e != NULL, "iotevents_open: %s", error ? error : "(no error)");
    iotevents_free(error);
    if (!e) return NULL;
    CHECK(iotevents_call(e, "CreateInput", PING_INPUT, NULL) == 0, "CreateInput");
    CHECK(iotevents_call(e, "CreateDetectorModel", TICKER_MODEL, NULL) == 0, "CreateDetectorModel");
    return e;
}

static void timer_thread_case(void) {
    iotevents_engine *e = open_with_model("{\"clock\":\"system\",\"timerThread\":true,\"limits\":{\"minTimerSeconds\":1}}");
    if (!e) return;
    char req[256];
    ping_request(req, sizeof req, "m1", "k1", 1);
    CHECK(iotevents_call(e, "BatchPutMessage", req, NULL) == 0, "ping k1");
    inside = done = probing_done = 0;
    iotevents_set_action_handler(e, on_action, NULL);
    double until = now_ms() + 5000 * time_scale();
    while (!inside && now_ms() < until) sleep_ms(1);
    CHECK(inside, "the timer thread made no callback within 5 s");
    double worst = probe_calls(e, "timer thread");
    int still_inside = !done;
    probing_done = 1;
    CHECK(worst < MAX_LATENCY_MS * time_scale(), "timer thread: a call took %.0f ms while a callback slept %.0f ms", worst,
          slow_ms);
    CHECK(still_inside, "timer thread: the callback was over before the other thread's calls were (not concurrent)");
    iotevents_close(e);
}

static void *slow_caller(void *arg) {
    iotevents_engine *e = arg;
    char req[256];
    ping_request(req, sizeof req, "slow-1", "slow", 1);
    double t0 = now_ms();
    CHECK(iotevents_call(e, "BatchPutMessage", req, NULL) == 0, "the slow caller's BatchPutMessage");
    double took = now_ms() - t0;
    CHECK(done && took >= slow_ms, "the slow caller's call returned after %.0f ms, before its %.0f ms callback was over", took,
          slow_ms);
    return NULL;
}

static void calling_thread_case(void) {
    iotevents_engine *e = open_with_model("{\"clock\":\"manual\",\"limits\":{\"minTimerSeconds\":1}}");
    if (!e) return;
    char req[256];
    ping_request(req, sizeof req, "m1", "k1", 1);
    CHECK(iotevents_call(e, "BatchPutMessage", req, NULL) == 0, "ping k1");
    inside = done = 0;
    iotevents_set_action_handler(e, on_action, NULL);
    pthread_t t;
    pthread_create(&t, NULL, slow_caller, e);
    double until = now_ms() + 5000 * time_scale();
    while (!inside && now_ms() < until) sleep_ms(1);
    CHECK(inside, "the slow caller's callback never started");
    double worst = probe_calls(e, "calling thread");
    int still_inside = !done;
    probing_done = 1;
    CHECK(worst < MAX_LATENCY_MS * time_scale(), "calling thread: a call took %.0f ms while another thread's callback slept",
          worst);
    CHECK(still_inside, "calling thread: the callback was over before the other thread's calls were (not concurrent)");
    pthread_join(t, NULL);
    iotevents_close(e);
}

int main(void) {
    hostile_name = "slow-callbacks";
    slow_ms = SLOW_MS * time_scale();
    alarm((unsigned)(60 * time_scale()));
    timer_thread_case();
    calling_thread_case();
    return hostile_finish();
}
