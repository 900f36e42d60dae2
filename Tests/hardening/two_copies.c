/* Two copies of the library in one process (two plugins that each bundle libiotevents): the .so
 * is copied to temporary files of other names, and the process uses two copies at once, each
 * with its own Swift runtime and its own private jansson. Two arrangements:
 *   local:  two copies dlopen'ed RTLD_LOCAL;
 *   linked: this program is linked against the library (its symbols are in the global scope,
 *           where ELF looks first) and the copy is dlopen'ed RTLD_LOCAL, so any call the copy
 *           made to its own exported iotevents_* symbols through the PLT would land in the
 *           linked copy -- two runtimes mixing one engine.
 * Proves, in both: the copies are distinct images (different addresses, dladdr names the right
 * file); the same scenario gives byte for byte the same transcript in each, run one after the
 * other and run at the same time on two threads; state never crosses (an input created through
 * one copy is unknown to the other); both unload cleanly.
 *   two_copies LIBRARY     (links libiotevents.so too; run it with that LIBRARY first on the path) */
#define _GNU_SOURCE
#define HOSTILE_DLOPEN
#include "hostile.h"

#include <sys/stat.h>

static char *copy_file(const char *from, const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *to = malloc(n);
    snprintf(to, n, "%s/%s", dir, name);
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) {
        if (in) fclose(in);
        if (out) fclose(out);
        free(to);
        return NULL;
    }
    char buf[1 << 16];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, got, out);
    fclose(in);
    fclose(out);
    return to;
}

typedef struct {
    api_t *api;
    char *transcript;
} run_t;

static void on_action(const char *action_json, void *payload) {
    run_t *r = payload;
    size_t old = r->transcript ? strlen(r->transcript) : 0, add = strlen(action_json) + 16;
    r->transcript = realloc(r->transcript, old + add);
    snprintf(r->transcript + old, add, "  action %s\n", action_json);
}

/* The scenario: inputs, a model, pings to five keys, timer expiries, describes, a bad request. */
static void *scenario(void *arg) {
    run_t *r = arg;
    api_t *api = r->api;
    char *error = NULL;
    iotevents_engine *e = api->open("{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,\"limits\":{\"minTimerSeconds\":1}}", &error);
    CHECK(e != NULL, "iotevents_open: %s", error ? error : "(no error)");
    api->free(error);
    if (!e) return NULL;
    api->set_handler(e, on_action, r);
    api_call(api, e, "CreateInput", PING_INPUT, &r->transcript);
    api_call(api, e, "CreateDetectorModel", TICKER_MODEL, &r->transcript);
    for (int i = 0; i < 50; i++) {
        char id[32], key[16], req[256];
        snprintf(id, sizeof id, "m%d", i);
        snprintf(key, sizeof key, "k%d", i % 5);
        ping_request(req, sizeof req, id, key, i);
        api_call(api, e, "BatchPutMessage", req, &r->transcript);
        if (i % 10 == 9) {
            int64_t fired = api->tick(e, 1700000000000 + (int64_t)(i + 1) * 200);
            char line[64];
            snprintf(line, sizeof line, "tick -> %lld\n", (long long)fired);
            size_t old = strlen(r->transcript);
            r->transcript = realloc(r->transcript, old + strlen(line) + 1);
            strcpy(r->transcript + old, line);
        }
    }
    api_call(api, e, "ListDetectors", "{\"detectorModelName\":\"ticker\"}", &r->transcript);
    api_call(api, e, "DescribeDetector", "{\"detectorModelName\":\"ticker\",\"keyValue\":\"k3\"}", &r->transcript);
    api_call(api, e, "BatchPutMessage", "{\"messages\":[{\"messageId\":\"x\",\"inputName\":\"Ping\",\"payload\":\"!!\"}]}", &r->transcript);
    api_call(api, e, "DescribeInput", "{\"inputName\":\"Ping\"", &r->transcript);
    api->close(e);
    return NULL;
}

/* Runs both copies: one after the other, then at the same time; the four transcripts must agree. */
static void compare_copies(api_t *one, api_t *two, const char *arrangement) {
    run_t s1 = {one, NULL}, s2 = {two, NULL}, c1 = {one, NULL}, c2 = {two, NULL};
    scenario(&s1);
    scenario(&s2);
    pthread_t t1, t2;
    pthread_create(&t1, NULL, scenario, &c1);
    pthread_create(&t2, NULL, scenario, &c2);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    CHECK(s1.transcript && strstr(s1.transcript, "\"type\":\"sns\"") && strstr(s1.transcript, "pong/k4"),
          "%s: the scenario did not produce its actions", arrangement);
    CHECK(s1.transcript && s2.transcript && strcmp(s1.transcript, s2.transcript) == 0,
          "%s: the copies answer differently:\n%s\n--- copy:\n%s", arrangement, s1.transcript, s2.transcript);
    CHECK(c1.transcript && s1.transcript && strcmp(c1.transcript, s1.transcript) == 0,
          "%s: the first copy answers differently while the other runs", arrangement);
    CHECK(c2.transcript && s1.transcript && strcmp(c2.transcript, s1.transcript) == 0,
          "%s: the second copy answers differently while the other runs", arrangement);

    /* No state crosses: an input created through one copy is unknown to the other's engine,
     * and each engine works while the other exists. */
    iotevents_engine *e1 = one->open("{\"clock\":\"manual\"}", NULL), *e2 = two->open("{\"clock\":\"manual\"}", NULL);
    char *t = NULL;
    CHECK(api_call(one, e1, "CreateInput", PING_INPUT, &t) == 0, "%s: CreateInput through the first copy", arrangement);
    CHECK(api_call(two, e2, "DescribeInput", "{\"inputName\":\"Ping\"}", &t) == IOTEVENTS_RESOURCE_NOT_FOUND,
          "%s: the second copy sees the first copy's input", arrangement);
    CHECK(api_call(two, e2, "CreateInput", PING_INPUT, &t) == 0, "%s: CreateInput through the second copy", arrangement);
    one->close(e1);
    CHECK(api_call(two, e2, "DescribeInput", "{\"inputName\":\"Ping\"}", &t) == 0,
          "%s: closing the first copy's engine disturbed the second", arrangement);
    two->close(e2);
    free(t);
    free(s1.transcript);
    free(s2.transcript);
    free(c1.transcript);
    free(c2.transcript);
}

static void check_distinct(api_t *one, api_t *two, const char *library, const char *copy, const char *arrangement) {
    CHECK((void *)one->open != (void *)two->open, "%s: both copies resolve iotevents_open to one address", arrangement);
    Dl_info i1, i2;
    CHECK(dladdr(*(void **)&one->call, &i1) && dladdr(*(void **)&two->call, &i2), "%s: dladdr", arrangement);
    char r1[4096], r2[4096], rl[4096], rc[4096];
    CHECK(realpath(i1.dli_fname, r1) && realpath(i2.dli_fname, r2) && realpath(library, rl) && realpath(copy, rc) &&
              strcmp(r1, rl) == 0 && strcmp(r2, rc) == 0,
          "%s: iotevents_call comes from %s and %s, expected %s and %s", arrangement, i1.dli_fname, i2.dli_fname, library,
          copy);
}

int main(int argc, char **argv) {
    hostile_name = "two-copies";
    if (argc != 2) {
        fprintf(stderr, "usage: two_copies LIBRARY\n");
        return 2;
    }
    char dir[] = "/tmp/iotevents-copy-XXXXXX";
    char *copy1 = mkdtemp(dir) ? copy_file(argv[1], dir, "libiotevents-copy1.so") : NULL;
    char *copy2 = copy1 ? copy_file(argv[1], dir, "libiotevents-copy2.so") : NULL;
    CHECK(copy1 && copy2, "could not copy %s to %s", argv[1], dir);
    if (!copy1 || !copy2) return hostile_finish();

    /* local: two copies, both dlopen'ed RTLD_LOCAL. */
    api_t one, two;
    CHECK(api_load(&one, copy1, RTLD_NOW | RTLD_LOCAL), "dlopen the first copy");
    CHECK(api_load(&two, copy2, RTLD_NOW | RTLD_LOCAL), "dlopen the second copy");
    if (one.handle && two.handle && one.open && two.open) {
        CHECK(one.handle != two.handle, "local: dlopen gave one handle for two files");
        check_distinct(&one, &two, copy1, copy2, "local");
        compare_copies(&one, &two, "local");
    }
    if (two.handle) CHECK(dlclose(two.handle) == 0, "dlclose the second copy");
    if (one.handle) CHECK(dlclose(one.handle) == 0, "dlclose the first copy");

    /* linked: this program's own (linked) copy, and the copy dlopen'ed RTLD_LOCAL. */
    api_t linked = {NULL, iotevents_open, iotevents_close, iotevents_call, iotevents_tick, iotevents_set_action_handler,
                    iotevents_free, iotevents_version_string};
    Dl_info self;
    CHECK(dladdr(*(void **)&linked.call, &self), "dladdr of the linked library");
    CHECK(api_load(&two, copy2, RTLD_NOW | RTLD_LOCAL), "dlopen a copy beside the linked library");
    if (two.handle && two.open) {
        check_distinct(&linked, &two, self.dli_fname, copy2, "linked");
        compare_copies(&linked, &two, "linked");
        CHECK(dlclose(two.handle) == 0, "dlclose the copy");
    }
    unlink(copy1);
    unlink(copy2);
    rmdir(dir);
    free(copy1);
    free(copy2);
    return hostile_finish();
}
