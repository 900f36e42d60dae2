/* A deterministic mutation smoke test (the fuzzers of the hardening issue go much further):
 * every request of every case script, mutated many ways (truncated, bytes flipped, bytes
 * inserted, spliced with another request), must get a status 0..9 and a well-formed response or
 * error document, and must never bring the process down. One request in five goes unmutated,
 * so that inputs and models exist and messages reach detectors while the others are mangled.
 * Script lines used: `call Op JSON`, `call Op @file` (beside the script), `put INPUT PAYLOAD`.
 *   mutation_smoke ROUNDS SCRIPT...        prints "mutation-smoke: N passed, N failed" */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "iotevents.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

typedef struct { char *op; char *body; } request;

/* The contents of `name` in the directory of `script`, or NULL. */
static char *file_beside(const char *script, const char *name) {
    const char *slash = strrchr(script, '/');
    char path[8192];
    snprintf(path, sizeof path, "%.*s/%s", slash ? (int)(slash - script) : 1, slash ? script : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    size_t got = fread(text, 1, (size_t)n, f);
    text[got] = '\0';
    fclose(f);
    return text;
}

/* The request a script line makes, or 0 for lines that make none. */
static int parse_line(const char *script, char *line, unsigned *puts, request *out) {
    int is_put = strncmp(line, "put ", 4) == 0;
    if (strncmp(line, "call ", 5) != 0 && !is_put) return 0;
    char *op = line + (is_put ? 4 : 5);
    char *space = strchr(op, ' ');
    if (!space) return 0;
    *space = '\0';
    char *arg = space + 1;
    if (is_put) {
        size_t n = strlen(op) + strlen(arg) + 96;
        out->op = strdup("BatchPutMessage");
        out->body = malloc(n);
        snprintf(out->body, n, "{\"messages\":[{\"messageId\":\"m%u\",\"inputName\":\"%s\",\"payload\":%s}]}", ++*puts, op, arg);
        return 1;
    }
    out->body = arg[0] == '@' ? file_beside(script, arg + 1) : strdup(arg);
    if (!out->body) return 0;
    out->op = strdup(op);
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    int rounds = atoi(argv[1]);
    request *reqs = NULL;
    size_t count = 0, cap = 0;
    for (int a = 2; a < argc; a++) {
        FILE *f = fopen(argv[a], "r");
        if (!f) continue;
        char *line = NULL;
        size_t n = 0;
        unsigned puts = 0;
        while (getline(&line, &n, f) > 0) {
            line[strcspn(line, "\n")] = '\0';
            if (count == cap) reqs = realloc(reqs, (cap = cap ? cap * 2 : 64) * sizeof *reqs);
            if (parse_line(argv[a], line, &puts, &reqs[count])) count++;
        }
        free(line);
        fclose(f);
    }
    if (count == 0) return 2;
    const char *alphabet = "{}[]\":,\\0123456789-eE.tfnul \x01\xff\xc3\xa9";
    long pass = 0, fail = 0;
    iotevents_engine *engine = iotevents_open("{\"clock\":\"manual\"}", NULL);
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < count; i++) {
            const char *src = reqs[i].body;
            size_t len = strlen(src);
            char *m = malloc(2 * len + 64);
            memcpy(m, src, len + 1);
            switch (next() % 5) {
            case 4: break;                                                            /* as written */
            case 0: m[len ? next() % len : 0] = '\0'; break;                         /* truncate */
            case 1: if (len) m[next() % len] ^= (char)(1 << (next() % 8)); break;     /* flip a bit */
            case 2: {                                                                 /* insert */
                size_t at = len ? next() % len : 0;
                memmove(m + at + 1, m + at, len - at + 1);
                m[at] = alphabet[next() % strlen(alphabet)];
                break;
            }
            case 3: {                                                                 /* splice */
                const char *other = reqs[next() % count].body;
                size_t cut = len ? next() % len : 0, olen = strlen(other), from = olen ? next() % olen : 0;
                m = realloc(m, cut + olen - from + 1);
                memcpy(m + cut, other + from, olen - from + 1);
            }
            }
            char *response = NULL;
            int status = iotevents_call(engine, reqs[i].op, m, &response);
            json_t *doc = response ? json_loads(response, 0, NULL) : NULL;
            int ok = status >= 0 && status <= 9 && doc && json_is_object(doc) &&
                     (status == 0 || json_is_string(json_object_get(doc, "__type")));
            if (ok) pass++; else { fail++; fprintf(stderr, "FAIL %s %s -> %d %s\n", reqs[i].op, m, status, response ? response : "(null)"); }
            json_decref(doc);
            iotevents_free(response);
            free(m);
            /* Keep the engine from filling up with mutated-but-valid inputs. */
            if ((pass + fail) % 500 == 0) {
                iotevents_close(engine);
                engine = iotevents_open("{\"clock\":\"manual\"}", NULL);
            }
        }
    }
    iotevents_close(engine);
    printf("mutation-smoke: %ld passed, %ld failed\n", pass, fail);
    return fail ? 1 : 0;
}
