/* Two engines in one process, at once, with the same input and model names but different
 * regions, accounts and clocks. Proves their state is independent:
 *   - names never clash (each engine creates "Ping" and "ticker"), ARNs carry each engine's own
 *     region and account, a detector made in one is absent from the other;
 *   - the messageId de-duplication window is per engine (the same id is accepted by both);
 *   - each engine's actions reach only its own handler, with its own payload pointer;
 *   - timers and clocks are per engine (ticking one fires nothing in the other);
 *   - two threads driving one engine each at the same time end in exactly the state a serial run
 *     of the same workload gives, and closing one engine while the other thread is still busy
 *     leaves the other untouched.
 *   two_engines            (links libiotevents.so) */
#define _GNU_SOURCE
#include "hostile.h"

#include "iotevents.h"

static const char *CONFIG_A = "{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,\"limits\":{\"minTimerSeconds\":1}}";
static const char *CONFIG_B = "{\"clock\":\"manual\",\"startTimeMillis\":1800000000000,\"region\":\"eu-west-1\","
                              "\"accountId\":\"111122223333\",\"limits\":{\"minTimerSeconds\":1}}";

typedef struct {
    const char *key_prefix;
    int count;
    int foreign; /* actions whose key is not of this engine */
} sink_t;

static void on_action(const char *action_json, void *payload) {
    sink_t *s = payload;
    char want[64];
    snprintf(want, sizeof want, "\"keyValue\":\"%s", s->key_prefix);
    if (strstr(action_json, want)) s->count++;
    else s->foreign++;
}

static char *call(iotevents_engine *e, const char *op, const char *request, int *status) {
    char *response = NULL;
    *status = iotevents_call(e, op, request, &response);
    return response;
}

static int ok(iotevents_engine *e, const char *op, const char *request) {
    int status;
    char *r = call(e, op, request, &status);
    if (status != 0) fprintf(stderr, "%s -> %d %s\n", op, status, r);
    iotevents_free(r);
    return status == 0;
}

static int contains(iotevents_engine *e, const char *op, const char *request, const char *needle) {
    int status;
    char *r = call(e, op, request, &status);
    int found = status == 0 && r && strstr(r, needle) != NULL;
    iotevents_free(r);
    return found;
}

static int status_of(iotevents_engine *e, const char *op, const char *request) {
    int status;
    iotevents_free(call(e, op, request, &status));
    return status;
}

static iotevents_engine *open_engine(const char *config) {
    char *error = NULL;
    iotevents_engine *e = iotevents_open(config, &error);
    CHECK(e != NULL, "iotevents_open: %s", error ? error : "(no error)");
    iotevents_free(error);
    if (e) {
        CHECK(ok(e, "CreateInput", PING_INPUT), "CreateInput Ping");
        CHECK(ok(e, "CreateDetectorModel", TICKER_MODEL), "CreateDetectorModel ticker");
    }
    return e;
}

/* A deterministic workload: pings to ten keys, ticks in between; returns the final state. */
typedef struct {
    iotevents_engine *engine;
    const char *prefix;
    int64_t start;
    char *state;
} work_t;

static char *describe_all(iotevents_engine *e, const char *prefix) {
    size_t cap = 1 << 16, n = 0;
    char *out = calloc(1, cap);
    for (int k = 0; k < 10; k++) {
        char req[160];
        snprintf(req, sizeof req, "{\"detectorModelName\":\"ticker\",\"keyValue\":\"%s%d\"}", prefix, k);
        int status;
        char *r = call(e, "DescribeDetector", req, &status);
        n += (size_t)snprintf(out + n, cap - n, "%d %s\n", status, r ? r : "(null)");
        iotevents_free(r);
    }
    return out;
}

static void *workload(void *arg) {
    work_t *w = arg;
    for (int i = 0; i < 300; i++) {
        char id[32], key[32], req[256];
        snprintf(id, sizeof id, "%s-%d", w->prefix, i);
        snprintf(key, sizeof key, "%s%d", w->prefix, i % 10);
        ping_request(req, sizeof req, id, key, i);
        CHECK(ok(w->engine, "BatchPutMessage", req), "workload message %d", i);
        if (i % 25 == 0) iotevents_tick(w->engine, w->start + (int64_t)i * 100);
    }
    w->state = describe_all(w->engine, w->prefix);
    return NULL;
}

int main(void) {
    hostile_name = "two-engines";
    iotevents_engine *a = open_engine(CONFIG_A), *b = open_engine(CONFIG_B);
    if (!a || !b) return hostile_finish();

    CHECK(contains(a, "DescribeInput", "{\"inputName\":\"Ping\"}", "arn:aws:iotevents:us-east-1:123456789012:input/Ping"),
          "engine A's ARN");
    CHECK(contains(b, "DescribeInput", "{\"inputName\":\"Ping\"}", "arn:aws:iotevents:eu-west-1:111122223333:input/Ping"),
          "engine B's ARN");

    sink_t sa = {"a", 0, 0}, sb = {"b", 0, 0};
    iotevents_set_action_handler(a, on_action, &sa);
    iotevents_set_action_handler(b, on_action, &sb);
    char req[256];
    ping_request(req, sizeof req, "same-id", "a1", 1);
    CHECK(ok(a, "BatchPutMessage", req), "ping a1 into A");
    ping_request(req, sizeof req, "same-id", "b1", 2);
    CHECK(ok(b, "BatchPutMessage", req), "ping b1 into B with A's messageId");
    CHECK(contains(b, "DescribeDetector", "{\"detectorModelName\":\"ticker\",\"keyValue\":\"b1\"}", "{\"name\":\"n\",\"value\":\"2\"}"),
          "B processed the messageId A had accepted (de-duplication is per engine)");
    CHECK(contains(a, "ListDetectors", "{\"detectorModelName\":\"ticker\"}", "\"keyValue\":\"a1\"") &&
              !contains(a, "ListDetectors", "{\"detectorModelName\":\"ticker\"}", "\"keyValue\":\"b1\""),
          "A lists a1 and not b1");
    CHECK(status_of(b, "DescribeDetector", "{\"detectorModelName\":\"ticker\",\"keyValue\":\"a1\"}") ==
              IOTEVENTS_RESOURCE_NOT_FOUND, "B has no detector a1");
    CHECK(sa.count == 1 && sa.foreign == 0 && sb.count == 1 && sb.foreign == 0,
          "each engine's pong reached only its own handler (A %d/%d foreign, B %d/%d foreign)", sa.count, sa.foreign,
          sb.count, sb.foreign);

    int64_t deadline_b = iotevents_next_deadline(b);
    CHECK(iotevents_tick(a, 1700000001000) == 1, "ticking A one second fires A's timer");
    CHECK(iotevents_next_deadline(b) == deadline_b && deadline_b == 1800000001000,
          "B's deadline is its own (%lld)", (long long)deadline_b);
    CHECK(iotevents_tick(b, 1800000000500) == 0, "B's clock is its own: nothing due half a second in");
    CHECK(sa.count == 2 && sb.count == 1 && sa.foreign == 0 && sb.foreign == 0, "A's tick reached A's handler only");
    iotevents_set_action_handler(a, NULL, NULL);
    iotevents_set_action_handler(b, NULL, NULL);
    iotevents_close(a);
    iotevents_close(b);

    /* Concurrent workloads, then the same workloads serially on fresh engines. */
    work_t wa = {open_engine(CONFIG_A), "a", 1700000000000, NULL}, wb = {open_engine(CONFIG_B), "b", 1800000000000, NULL};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, workload, &wa);
    pthread_create(&tb, NULL, workload, &wb);
    pthread_join(ta, NULL);
    iotevents_close(wa.engine); /* B's thread may still be running: closing A must not disturb it */
    pthread_join(tb, NULL);
    char *b_after = describe_all(wb.engine, "b");
    iotevents_close(wb.engine);
    work_t ra = {open_engine(CONFIG_A), "a", 1700000000000, NULL}, rb = {open_engine(CONFIG_B), "b", 1800000000000, NULL};
    workload(&ra);
    workload(&rb);
    CHECK(wa.state && ra.state && strcmp(wa.state, ra.state) == 0, "A's concurrent run differs from the serial one:\n%s\n---\n%s",
          wa.state, ra.state);
    CHECK(wb.state && rb.state && strcmp(wb.state, rb.state) == 0, "B's concurrent run differs from the serial one");
    CHECK(strcmp(b_after, rb.state) == 0, "B changed after A was closed");
    CHECK(strstr(ra.state, "\"keyValue\":\"a9\"") && strstr(ra.state, "\"value\":\"299\""), "the workload reached the detectors");
    iotevents_close(ra.engine);
    iotevents_close(rb.engine);
    free(wa.state);
    free(wb.state);
    free(ra.state);
    free(rb.state);
    free(b_after);
    return hostile_finish();
}
