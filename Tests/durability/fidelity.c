/* Everything survives a restart, over every scenario of Tests/cases: each case script's calls
 * (call, call-no-response, named, put, tick; one segment per `open` of a manual-clock engine)
 * run on an in-memory engine and on durable ones, and a dump of the whole visible state (every
 * input, model version, detector, alarm, tag set, the logging options and the next deadline,
 * through Describe and List calls) must be the same
 *
 *   - on a durable engine before it is closed (durability changes no result),
 *   - after closing and reopening it (the state came back from the snapshot),
 *   - after a child process ran the calls and died without closing (replayed from the log),
 *   - after closing that one too and reopening (a snapshot of a replayed state).
 *
 *   fidelity WORK_DIR SCRIPT...        prints "fidelity: N segments checked (M skipped), F failed"
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iotevents.h"
#include "../c/test_files.h"

typedef struct { char *buffer; size_t used, cap; } text;

static void add(text *t, const char *s) {
    size_t n = strlen(s);
    if (t->used + n + 1 > t->cap) {
        t->cap = (t->used + n + 1) * 2;
        t->buffer = realloc(t->buffer, t->cap);
    }
    memcpy(t->buffer + t->used, s, n + 1);
    t->used += n;
}

/* One call whose answer goes into the dump; returns the parsed response (or NULL). */
static json_t *dump_call(iotevents_engine *e, text *out, const char *op, const char *request) {
    char *response = NULL;
    int status = iotevents_call(e, op, request, &response);
    char head[64];
    snprintf(head, sizeof head, "%s %d ", op, status);
    add(out, head);
    add(out, request);
    add(out, " -> ");
    add(out, response ? response : "(null)");
    add(out, "\n");
    json_t *doc = status == 0 ? json_loads(response, 0, NULL) : NULL;
    iotevents_free(response);
    return doc;
}

/* Every page of a list call: the items of `list_key`, each item's `name_key` string. */
static int list_all(iotevents_engine *e, text *out, const char *op, const char *base, const char *list_key,
                    const char *name_key, char names[][160], int cap) {
    int count = 0;
    char token[512] = "";
    for (;;) {
        char request[2048];
        snprintf(request, sizeof request, "{%s%s\"maxResults\":3%s%s%s}", base, *base ? "," : "",
                 *token ? ",\"nextToken\":\"" : "", token, *token ? "\"" : "");
        json_t *doc = dump_call(e, out, op, request);
        if (!doc) return count;
        json_t *items = json_object_get(doc, list_key);
        for (size_t i = 0; i < json_array_size(items) && count < cap; i++) {
            const char *name = json_string_value(json_object_get(json_array_get(items, i), name_key));
            snprintf(names[count++], 160, "%s", name ? name : "");
        }
        const char *next = json_string_value(json_object_get(doc, "nextToken"));
        snprintf(token, sizeof token, "%s", next ? next : "");
        json_decref(doc);
        if (!*token) return count;
    }
}

static void dump_tags(iotevents_engine *e, text *out, const char *kind, const char *name) {
    char request[512];
    snprintf(request, sizeof request, "{\"resourceArn\":\"arn:aws:iotevents:us-east-1:123456789012:%.20s/%.159s\"}", kind, name);
    json_decref(dump_call(e, out, "ListTagsForResource", request));
}

/* The whole state an API user can see. */
static char *dump(iotevents_engine *e) {
    text out = {0};
    static char names[512][160], keys[512][160], versions[64][160];
    char request[1024], base[512];
    int n = list_all(e, &out, "ListInputs", "", "inputSummaries", "inputName", names, 512);
    for (int i = 0; i < n; i++) {
        snprintf(request, sizeof request, "{\"inputName\":\"%.159s\"}", names[i]);
        json_decref(dump_call(e, &out, "DescribeInput", request));
        dump_tags(e, &out, "input", names[i]);
    }
    n = list_all(e, &out, "ListDetectorModels", "", "detectorModelSummaries", "detectorModelName", names, 512);
    for (int i = 0; i < n; i++) {
        snprintf(base, sizeof base, "\"detectorModelName\":\"%.159s\"", names[i]);
        int v = list_all(e, &out, "ListDetectorModelVersions", base, "detectorModelVersionSummaries", "detectorModelVersion", versions, 64);
        for (int j = 0; j < v; j++) {
            snprintf(request, sizeof request, "{%.400s,\"detectorModelVersion\":\"%.159s\"}", base, versions[j]);
            json_decref(dump_call(e, &out, "DescribeDetectorModel", request));
        }
        dump_tags(e, &out, "detectorModel", names[i]);
        int k = list_all(e, &out, "ListDetectors", base, "detectorSummaries", "keyValue", keys, 512);
        for (int j = 0; j < k; j++) {
            if (*keys[j]) snprintf(request, sizeof request, "{%.400s,\"keyValue\":\"%.159s\"}", base, keys[j]);
            else snprintf(request, sizeof request, "{%.400s}", base);
            json_decref(dump_call(e, &out, "DescribeDetector", request));
        }
    }
    n = list_all(e, &out, "ListAlarmModels", "", "alarmModelSummaries", "alarmModelName", names, 512);
    for (int i = 0; i < n; i++) {
        snprintf(base, sizeof base, "\"alarmModelName\":\"%.159s\"", names[i]);
        int v = list_all(e, &out, "ListAlarmModelVersions", base, "alarmModelVersionSummaries", "alarmModelVersion", versions, 64);
        for (int j = 0; j < v; j++) {
            snprintf(request, sizeof request, "{%.400s,\"alarmModelVersion\":\"%.159s\"}", base, versions[j]);
            json_decref(dump_call(e, &out, "DescribeAlarmModel", request));
        }
        dump_tags(e, &out, "alarmModel", names[i]);
        int k = list_all(e, &out, "ListAlarms", base, "alarmSummaries", "keyValue", keys, 512);
        for (int j = 0; j < k; j++) {
            if (*keys[j]) snprintf(request, sizeof request, "{%.400s,\"keyValue\":\"%.159s\"}", base, keys[j]);
            else snprintf(request, sizeof request, "{%.400s}", base);
            json_decref(dump_call(e, &out, "DescribeAlarm", request));
        }
    }
    json_decref(dump_call(e, &out, "DescribeLoggingOptions", "{}"));
    char deadline[64];
    snprintf(deadline, sizeof deadline, "next deadline %lld\n", (long long)iotevents_next_deadline(e));
    add(&out, deadline);
    return out.buffer;
}

/* --- scripts ------------------------------------------------------------------------------- */

typedef struct { char kind; char op[64]; char *body; long long ms; } step; /* kind: c(all) t(ick) */

static char *file_beside(const char *script, const char *name) {
    char path[4096];
    const char *slash = strrchr(script, '/');
    snprintf(path, sizeof path, "%.*s/%s", slash ? (int)(slash - script) : 1, slash ? script : ".", name);
    return test_read_path(path, NULL);
}

static void camel(const char *snake_name, char *out, size_t cap) { /* create_input -> CreateInput */
    size_t n = 0;
    int up = 1;
    for (const char *p = snake_name; *p && n + 1 < cap; p++) {
        if (*p == '_') { up = 1; continue; }
        out[n++] = up ? (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p) : *p;
        up = 0;
    }
    out[n] = '\0';
}

static void run_steps(iotevents_engine *e, const step *steps, int count) {
    for (int i = 0; i < count; i++) {
        if (steps[i].kind == 't') { iotevents_tick(e, steps[i].ms); continue; }
        char *response = NULL;
        iotevents_call(e, steps[i].op, steps[i].body, &response);
        iotevents_free(response);
    }
}

/* The case's configuration, with a state directory (and durability mode) when dir is given. */
static iotevents_engine *open_with(const char *config, const char *dir, const char *durability) {
    char with[8192];
    if (dir) snprintf(with, sizeof with, "{\"stateDirectory\":\"%s\",\"durability\":\"%s\",%s", dir, durability, config + 1);
    else snprintf(with, sizeof with, "%s", config);
    char *error = NULL;
    iotevents_engine *e = iotevents_open(with, &error);
    if (!e && dir) fprintf(stderr, "open %s: %s\n", with, error);
    iotevents_free(error);
    return e;
}

static int segments, skipped, failures;

static void compare(const char *label, const char *script, const char *want, const char *got) {
    if (got && !strcmp(want, got)) return;
    failures++;
    fprintf(stderr, "FAIL %s: %s\n", script, label);
    if (!got) return;
    const char *a = want, *b = got; /* the first differing line */
    while (*a && *a == *b) { a++; b++; }
    while (a > want && a[-1] != '\n') { a--; b--; }
    fprintf(stderr, "  want: %.300s\n  got:  %.300s\n", a, b);
}

static void check_segment(const char *work, const char *script, const char *config, const step *steps, int count) {
    if (!config || !strstr(config, "\"clock\":\"manual\"") || strstr(config, "timerThread") || strstr(config, "stateDirectory") || strstr(config, "durability")) {
        if (count) skipped++;
        return;
    }
    segments++;
    char dir[4096], dir2[4096], command[8400];
    snprintf(dir, sizeof dir, "%s/closed", work);
    snprintf(dir2, sizeof dir2, "%s/crashed", work);
    snprintf(command, sizeof command, "rm -rf '%s' '%s'", dir, dir2);
    if (system(command) != 0) exit(2);

    iotevents_engine *e = open_with(config, NULL, NULL);
    if (!e) { segments--; skipped++; return; } /* a case about bad configurations */
    run_steps(e, steps, count);
    char *want = dump(e);
    iotevents_close(e);

    e = open_with(config, dir, "groupCommit");
    if (!e) { failures++; free(want); return; }
    run_steps(e, steps, count);
    char *got = dump(e);
    compare("a durable engine answers as an in-memory one", script, want, got);
    free(got);
    iotevents_close(e);
    e = open_with(config, dir, "groupCommit");
    got = e ? dump(e) : NULL;
    compare("reopened from its snapshot", script, want, got);
    free(got);
    iotevents_close(e);

    pid_t pid = fork();
    if (pid == 0) {
        iotevents_engine *c = open_with(config, dir2, "always");
        if (!c) _exit(3);
        run_steps(c, steps, count);
        raise(SIGKILL); /* no close: everything is still in the log */
    }
    int status;
    waitpid(pid, &status, 0);
    e = open_with(config, dir2, "always");
    got = e ? dump(e) : NULL;
    compare("reopened from the log of a process that died", script, want, got);
    free(got);
    iotevents_close(e);
    e = open_with(config, dir2, "always");
    got = e ? dump(e) : NULL;
    compare("that state closed and reopened", script, want, got);
    free(got);
    iotevents_close(e);
    free(want);
}

static void run_script(const char *work, const char *script) {
    FILE *f = fopen(script, "r");
    if (!f) { perror(script); exit(2); }
    static step steps[4096];
    int count = 0;
    char *config = NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        char word[64] = "";
        sscanf(line, "%63s", word);
        char *rest = line + strlen(word);
        while (*rest == ' ') rest++;
        if (!strcmp(word, "open") || !strcmp(word, "close") || !strcmp(word, "open-null")) {
            check_segment(work, script, config, steps, count);
            for (int i = 0; i < count; i++) free(steps[i].body);
            count = 0;
            free(config);
            config = !strcmp(word, "open") && *rest == '{' ? strdup(rest) : NULL;
            continue;
        }
        if (count >= 4096) continue;
        step *s = &steps[count];
        memset(s, 0, sizeof *s);
        if (!strcmp(word, "tick")) {
            s->kind = 't';
            s->ms = *rest ? atoll(rest) : -1;
            count++;
        } else if (!strcmp(word, "call") || !strcmp(word, "call-no-response") || !strcmp(word, "named")) {
            char op[64] = "";
            sscanf(rest, "%63s", op);
            char *body = rest + strlen(op);
            while (*body == ' ') body++;
            if (!*op || !strcmp(op, "-") || !*body) continue;
            s->kind = 'c';
            if (!strcmp(word, "named")) camel(op, s->op, sizeof s->op);
            else snprintf(s->op, sizeof s->op, "%s", op);
            s->body = *body == '@' ? file_beside(script, body + 1) : strdup(body);
            if (s->body) count++;
        } else if (!strcmp(word, "put")) {
            char input[128] = "";
            sscanf(rest, "%127s", input);
            char *payload = rest + strlen(input);
            while (*payload == ' ') payload++;
            static int message;
            size_t size = strlen(payload) + 256;
            s->kind = 'c';
            snprintf(s->op, sizeof s->op, "BatchPutMessage");
            s->body = malloc(size);
            snprintf(s->body, size, "{\"messages\":[{\"messageId\":\"f%d\",\"inputName\":\"%s\",\"payload\":%s}]}", ++message, input, payload);
            count++;
        }
    }
    check_segment(work, script, config, steps, count);
    for (int i = 0; i < count; i++) free(steps[i].body);
    free(config);
    free(line);
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s WORK_DIR SCRIPT...\n", argv[0]); return 2; }
    char command[4200];
    snprintf(command, sizeof command, "mkdir -p '%s'", argv[1]);
    if (system(command) != 0) return 2;
    for (int i = 2; i < argc; i++) run_script(argv[1], argv[i]);
    printf("fidelity: %d segments checked (%d skipped: no manual clock, or a bad configuration), %d failed\n", segments, skipped, failures);
    return failures ? 1 : 0;
}
