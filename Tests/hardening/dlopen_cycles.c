/* Repeated dlopen/dlclose (a host that loads the library as a plugin, on demand): CYCLES times,
 * dlopen the library RTLD_LOCAL, open an engine, run the heartbeat example (device dev-1 beats,
 * goes silent for 301 s, is reported Offline by its sns action, beats again and is Online),
 * close the engine, dlclose. Proves:
 *   - every cycle works and gives byte for byte the transcript of the first (responses and
 *     action documents): nothing survives a reload that should not;
 *   - dlclose + dlopen again works whether or not the runtime lets the image unload (a Swift
 *     runtime may pin itself; the test reports which happens and passes either way);
 *   - memory does not grow with the cycles: after cycle WARMUP and after the last one, the bytes
 *     malloc has handed out and not got back (mallinfo2) may differ by at most
 *     MAX_HEAP_GROWTH bytes in all, and the resident set by at most MAX_RSS_GROWTH_KIB. A
 *     library that leaks a few bytes per load leaks them on every reload of a long-running host.
 *     (Skipped with HOSTILE_NO_RSS=1, as under valgrind, whose own malloc these numbers do not
 *     see; there valgrind checks the memory accesses.)
 *   - the same cycles with RTLD_NODELETE (the image stays mapped, as -z nodelete would make it)
 *     do not grow the heap at all: the control that tells a leak of unloading (the runtime's
 *     globals, which nothing frees) from a leak of opening and closing engines.
 *   dlopen_cycles LIBRARY CYCLES HEARTBEAT_INPUT_JSON HEARTBEAT_MODEL_JSON */
#define _GNU_SOURCE
#define HOSTILE_DLOPEN
#include "hostile.h"

enum { WARMUP = 5, MAX_HEAP_GROWTH = 4096, MAX_RSS_GROWTH_KIB = 512 };

typedef struct {
    api_t *api;
    char **transcript;
    int count;
} actions_t;

static void on_action(const char *action_json, void *payload) {
    actions_t *a = payload;
    size_t old = *a->transcript ? strlen(*a->transcript) : 0;
    size_t add = strlen(action_json) + 16;
    *a->transcript = realloc(*a->transcript, old + add);
    snprintf(*a->transcript + old, add, "  action %s\n", action_json);
    a->count++;
}

/* One cycle; returns its transcript (malloc'd) or NULL when the library could not be loaded. */
static char *cycle(const char *library, int extra_flags, const char *input, const char *model, int *unloaded) {
    api_t api;
    if (!api_load(&api, library, RTLD_NOW | RTLD_LOCAL | extra_flags)) return NULL;
    char *t = NULL;
    char *error = NULL;
    iotevents_engine *e = api.open("{\"clock\":\"manual\",\"startTimeMillis\":1700000000000}", &error);
    CHECK(e != NULL, "iotevents_open failed: %s", error ? error : "(no error)");
    api.free(error);
    if (e) {
        actions_t actions = {&api, &t, 0};
        api.set_handler(e, on_action, &actions);
        CHECK(api_call(&api, e, "CreateInput", input, &t) == 0, "CreateInput");
        CHECK(api_call(&api, e, "CreateDetectorModel", model, &t) == 0, "CreateDetectorModel");
        const char *beat = "{\"messages\":[{\"messageId\":\"b1\",\"inputName\":\"Heartbeat\",\"payload\":{\"deviceId\":\"dev-1\",\"battery\":50}}]}";
        CHECK(api_call(&api, e, "BatchPutMessage", beat, &t) == 0, "first beat");
        int64_t fired = api.tick(e, 1700000000000 + 301000);
        CHECK(fired == 1, "tick past the awol timer fired %lld expiries, expected 1", (long long)fired);
        CHECK(actions.count == 1 && t && strstr(t, "\"type\":\"sns\"") && strstr(t, "offline"),
              "the Offline sns action did not arrive (%d actions)", actions.count);
        const char *describe = "{\"detectorModelName\":\"deviceHeartbeat\",\"keyValue\":\"dev-1\"}";
        CHECK(api_call(&api, e, "DescribeDetector", describe, &t) == 0 && strstr(t, "\"stateName\":\"Offline\""),
              "dev-1 is not Offline");
        const char *again = "{\"messages\":[{\"messageId\":\"b2\",\"inputName\":\"Heartbeat\",\"payload\":{\"deviceId\":\"dev-1\",\"battery\":49}}]}";
        CHECK(api_call(&api, e, "BatchPutMessage", again, &t) == 0, "second beat");
        CHECK(actions.count == 2 && strstr(t, "devices/dev-1/online"), "the backOnline action did not arrive");
        api.close(e);
    }
    CHECK(dlclose(api.handle) == 0, "dlclose: %s", dlerror());
    void *still = dlopen(library, RTLD_NOW | RTLD_NOLOAD);
    *unloaded = still == NULL;
    if (still) dlclose(still);
    return t;
}

typedef struct {
    int unloaded;
    long heap, rss;
} phase_t;

/* CYCLES cycles with the given dlopen flags; every transcript must equal *first. */
static phase_t phase(const char *library, int flags, int cycles, const char *input, const char *model, char **first) {
    phase_t p = {0, 0, 0};
    long heap_warm = 0, rss_warm = 0;
    for (int i = 0; i < cycles; i++) {
        int unloaded = 0;
        char *t = cycle(library, flags, input, model, &unloaded);
        CHECK(t != NULL, "cycle %d: the library did not load", i);
        if (!t) break;
        p.unloaded += unloaded;
        if (!*first) {
            *first = t;
        } else {
            CHECK(strcmp(t, *first) == 0, "cycle %d answered differently from the first:\n%s\n--- first:\n%s", i, t, *first);
            free(t);
        }
        if (i + 1 == WARMUP) {
            rss_warm = rss_kib();
            heap_warm = heap_in_use();
        }
    }
    p.heap = heap_in_use() - heap_warm;
    p.rss = rss_kib() - rss_warm;
    return p;
}

int main(int argc, char **argv) {
    hostile_name = "dlopen-cycles";
    if (argc != 5) {
        fprintf(stderr, "usage: dlopen_cycles LIBRARY CYCLES HEARTBEAT_INPUT_JSON HEARTBEAT_MODEL_JSON\n");
        return 2;
    }
    int cycles = atoi(argv[2]);
    char *input = slurp(argv[3]), *model = slurp(argv[4]);
    char *first = NULL;
    int check_memory = !getenv("HOSTILE_NO_RSS") && cycles > WARMUP;

    phase_t plain = phase(argv[1], 0, cycles, input, model, &first);
    printf("dlopen-cycles: %d cycles; the image %s on dlclose (%d of %d); heap in use %+ld bytes (%+.0f a cycle), "
           "RSS %+ld KiB from cycle %d to the end%s\n",
           cycles, plain.unloaded == cycles ? "unloads" : plain.unloaded == 0 ? "stays loaded" : "sometimes unloads",
           plain.unloaded, cycles, plain.heap, (double)plain.heap / (cycles > WARMUP ? cycles - WARMUP : 1), plain.rss,
           WARMUP, check_memory ? "" : " (not checked)");
    if (check_memory) {
        KCHECK("heap-growth", plain.heap <= MAX_HEAP_GROWTH,
               "dlopen/dlclose: the heap in use grew %ld bytes from cycle %d to cycle %d (%.0f bytes a cycle; limit %d in all)",
               plain.heap, WARMUP, cycles, (double)plain.heap / (cycles - WARMUP), MAX_HEAP_GROWTH);
        KCHECK("rss-growth", plain.rss <= MAX_RSS_GROWTH_KIB,
               "dlopen/dlclose: the resident set grew %ld KiB from cycle %d to cycle %d (limit %d KiB)", plain.rss, WARMUP,
               cycles, MAX_RSS_GROWTH_KIB);
    }

    phase_t pinned = phase(argv[1], RTLD_NODELETE, cycles, input, model, &first);
    printf("dlopen-cycles: %d cycles with RTLD_NODELETE; heap in use %+ld bytes from cycle %d to the end%s\n", cycles,
           pinned.heap, WARMUP, check_memory ? "" : " (not checked)");
    CHECK(pinned.unloaded == 0, "an RTLD_NODELETE image was unloaded");
    if (check_memory)
        CHECK(pinned.heap <= MAX_HEAP_GROWTH, "with the image pinned, opening and closing engines grew the heap %ld bytes",
              pinned.heap);
    free(first);
    free(input);
    free(model);
    return hostile_finish();
}
