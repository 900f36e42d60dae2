/* Closing an engine around its callbacks. The header says a handler "may call back into the
 * engine, but must not close it", so no handler here closes its engine; this tests what a host
 * that follows the header relies on instead:
 *   - synchronous delivery: when iotevents_call returns, every callback it caused has returned,
 *     so closing the engine (and freeing the handler's payload) right after is safe, and no
 *     callback comes later;
 *   - iotevents_close from another thread while the timer thread is inside a slow callback
 *     waits for that callback to return, and no callback starts after close has returned (the
 *     payload is freed at once; valgrind sees any later use);
 *   - iotevents_close returns promptly while the timer thread sleeps towards a deadline an hour
 *     away, and with timers still pending nothing is delivered after it.
 *   callback_close            (links libiotevents.so) */
#define _GNU_SOURCE
#include "hostile.h"

#include "iotevents.h"

static _Atomic int calls_total;    /* every callback, wherever its payload lives */
static _Atomic int inside, left;  /* the slow callback's progress */

typedef struct {
    int calls;
    double sleep_ms;
    char last[64];
} payload_t;

static void on_action(const char *action_json, void *payload) {
    payload_t *p = payload;
    calls_total++;
    inside = 1;
    if (p->sleep_ms > 0) sleep_ms(p->sleep_ms);
    p->calls++;
    snprintf(p->last, sizeof p->last, "%.40s", action_json);
    left = 1;
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

static void close_after_synchronous_call(void) {
    iotevents_engine *e = open_with_model("{\"clock\":\"manual\",\"limits\":{\"minTimerSeconds\":1}}");
    if (!e) return;
    payload_t *p = calloc(1, sizeof *p);
    p->sleep_ms = 50 * time_scale();
    iotevents_set_action_handler(e, on_action, p);
    char req[256];
    ping_request(req, sizeof req, "m1", "k1", 1);
    left = 0;
    CHECK(iotevents_call(e, "BatchPutMessage", req, NULL) == 0, "ping");
    CHECK(left && p->calls == 1, "iotevents_call returned before its callback had (left %d, calls %d)", (int)left, p->calls);
    iotevents_close(e);
    free(p);
    int before = calls_total;
    sleep_ms(100);
    CHECK(calls_total == before, "a callback ran after iotevents_close");
}

static void close_during_timer_callback(void) {
    iotevents_engine *e = open_with_model("{\"clock\":\"system\",\"timerThread\":true,\"limits\":{\"minTimerSeconds\":1}}");
    if (!e) return;
    char req[256];
    ping_request(req, sizeof req, "m1", "k1", 1);
    CHECK(iotevents_call(e, "BatchPutMessage", req, NULL) == 0, "ping"); /* no handler yet: its pong is dropped */
    payload_t *p = calloc(1, sizeof *p);
    p->sleep_ms = 200 * time_scale();
    inside = left = 0;
    iotevents_set_action_handler(e, on_action, p);
    double until = now_ms() + 5000 * time_scale();
    while (!inside && now_ms() < until) sleep_ms(1);
    CHECK(inside, "the timer thread made no callback within 5 s");
    double t0 = now_ms();
    iotevents_close(e);
    double took = now_ms() - t0;
    CHECK(left, "iotevents_close returned while the timer thread's callback was still running");
    CHECK(took < 200 * time_scale() + 1000 * time_scale(), "iotevents_close took %.0f ms", took);
    int after_close = calls_total;
    free(p);
    sleep_ms(1500 * time_scale()); /* more than a timer period: the next expiry would have come */
    CHECK(calls_total == after_close, "%d callbacks ran after iotevents_close returned", calls_total - after_close);
}

static void close_while_timer_thread_sleeps(void) {
    iotevents_engine *e = open_with_model("{\"clock\":\"system\",\"timerThread\":true,\"limits\":{\"minTimerSeconds\":1}}");
    if (!e) return;
    /* A detector whose timer is an hour away: the timer thread sleeps towards it. */
    const char *far = "{\"detectors\":[{\"messageId\":\"u1\",\"detectorModelName\":\"ticker\",\"keyValue\":\"k1\","
                      "\"state\":{\"stateName\":\"Ticking\",\"variables\":[],\"timers\":[{\"name\":\"t\",\"seconds\":3600}]}}]}";
    char req[256];
    ping_request(req, sizeof req, "m1", "k1", 1);
    CHECK(iotevents_call(e, "BatchPutMessage", req, NULL) == 0, "ping");
    char *r = NULL;
    CHECK(iotevents_call(e, "BatchUpdateDetector", far, &r) == 0 && r && strstr(r, "[]"), "BatchUpdateDetector: %s", r);
    iotevents_free(r);
    CHECK(iotevents_next_deadline(e) > 0, "the hour-long timer is pending");
    payload_t *p = calloc(1, sizeof *p);
    iotevents_set_action_handler(e, on_action, p);
    int before = calls_total;
    sleep_ms(50);
    double t0 = now_ms();
    iotevents_close(e);
    double took = now_ms() - t0;
    CHECK(took < 500 * time_scale(), "iotevents_close waited %.0f ms for a sleeping timer thread", took);
    free(p);
    CHECK(calls_total == before, "a callback ran around iotevents_close with timers pending");
}

int main(void) {
    hostile_name = "callback-close";
    alarm((unsigned)(60 * time_scale()));
    close_after_synchronous_call();
    close_during_timer_callback();
    close_while_timer_thread_sleeps();
    return hostile_finish();
}
