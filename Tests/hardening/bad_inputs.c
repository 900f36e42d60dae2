/* The bad-input catalogue runner (Tests/hardening/README.md): every row of bad-inputs.tsv is a
 * malformed or hostile request with the answer it must get. For each row, on a fresh engine built
 * by the row's setup group (setups.tsv), it proves:
 *   - the status is the one expected and the response is well-formed JSON (an object; an error
 *     document has exactly "__type" naming that status, a non-empty "message", and at most
 *     "resourceId"/"resourceArn"); the message (or each batch error entry's errorMessage)
 *     contains the expected substring, so it names the member or limit;
 *   - for batch rows expecting error entries: every entry of the request has one, with the
 *     expected errorCode, and nothing else is reported;
 *   - a request that fails changes nothing: the named entry point given the same request answers
 *     byte for byte the same, a snapshot of everything the engine can describe (every input,
 *     model, version, detector, alarm, tag list, routing, logging option and the next deadline)
 *     is identical to the setup's, and the group's probe requests (which reuse the row's ids, so
 *     a half-recorded messageId would be de-duplicated) answer exactly as on an untouched engine.
 * Rows listed in known-failures.txt are library defects: they still run, are reported as KNOWN,
 * and a listed row that passes fails the run (remove it from the list).
 *
 *   bad_inputs [-l LABEL] [-k KNOWN] [-t TRANSCRIPT] [-n] [-e N] [-o GLOB] [-v] CATALOGUE SETUPS
 *     -l  the label of the closing "LABEL: N passed, N failed" line
 *     -k  the known-failures list
 *     -t  writes "id status response" per row, to compare profiles
 *     -n  no fork per row (for valgrind: one process, one leak check); skips KNOWN rows
 *     -e  only the 1st, (N+1)th, (2N+1)th ... row (a deterministic subset)
 *     -o  only the rows whose id matches GLOB
 *     -v  prints every row's request and response
 * The formats of the two files are in their headers and in the README. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "iotevents.h"

/* ----- growable buffers --------------------------------------------------------------------- */

typedef struct {
    char *p;
    size_t n, cap;
} buf_t;

static void put(buf_t *b, const void *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) abort();
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}
static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }
static void putf(buf_t *b, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(b, tmp, n < (int)sizeof tmp ? (size_t)n : sizeof tmp - 1);
}
static char *take(buf_t *b) {
    if (!b->p) put(b, "", 0);
    return b->p;
}

/* ----- request text decoding ------------------------------------------------------------------ */

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void base64(buf_t *out, const unsigned char *s, size_t n) {
    static const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
        char q[4] = {t[v >> 18 & 63], t[v >> 12 & 63], i + 1 < n ? t[v >> 6 & 63] : '=', i + 2 < n ? t[v & 63] : '='};
        put(out, q, 4);
    }
}

static int starts(const char *s, size_t n, const char *w) {
    size_t k = strlen(w);
    return n >= k && memcmp(s, w, k) == 0;
}

/* Expands s[*i..n) into out; inside a macro (nested) stops after the closing "|}}". */
static int expand(const char *s, size_t n, size_t *i, buf_t *out, int nested) {
    while (*i < n) {
        const char *p = s + *i;
        size_t left = n - *i;
        if (nested && starts(p, left, "|}}")) {
            *i += 3;
            return 1;
        }
        if (starts(p, left, "{{rep ")) {
            *i += 6;
            unsigned long count = 0;
            while (*i < n && isdigit((unsigned char)s[*i])) count = count * 10 + (unsigned long)(s[(*i)++] - '0');
            if (*i >= n || s[*i] != '|') return 0;
            (*i)++;
            buf_t inner = {0};
            if (!expand(s, n, i, &inner, 1)) { free(inner.p); return 0; }
            for (unsigned long k = 0; k < count; k++) put(out, inner.p ? inner.p : "", inner.n);
            free(inner.p);
        } else if (starts(p, left, "{{b64|")) {
            *i += 6;
            buf_t inner = {0};
            if (!expand(s, n, i, &inner, 1)) { free(inner.p); return 0; }
            base64(out, (const unsigned char *)(inner.p ? inner.p : ""), inner.n);
            free(inner.p);
        } else if (p[0] == '\\' && left >= 4 && p[1] == 'x' && hexval(p[2]) >= 0 && hexval(p[3]) >= 0) {
            char c = (char)(hexval(p[2]) * 16 + hexval(p[3]));
            put(out, &c, 1);
            *i += 4;
        } else if (p[0] == '\\' && left >= 2) {
            put(out, p, 2);
            *i += 2;
        } else {
            put(out, p, 1);
            (*i)++;
        }
    }
    return !nested;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf_t b = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) put(&b, chunk, got);
    fclose(f);
    return take(&b);
}

/* A request as the library gets it: NULL, "@path" (a file, from the repository root) or text. */
static char *decode_request(const char *text, int *is_null, const char **error) {
    *is_null = 0;
    *error = NULL;
    if (strcmp(text, "NULL") == 0) {
        *is_null = 1;
        return NULL;
    }
    if (text[0] == '@') {
        char *contents = read_file(text + 1);
        if (!contents) *error = "cannot read the file";
        return contents;
    }
    buf_t out = {0};
    size_t i = 0;
    if (!expand(text, strlen(text), &i, &out, 0)) {
        free(out.p);
        *error = "unterminated {{...|}} macro";
        return NULL;
    }
    return take(&out);
}

/* ----- the catalogue and the setups ----------------------------------------------------------- */

typedef struct {
    char *id, *op, *group, *expect, *substring, *text;
    int line;
} row_t;

typedef struct {
    char *group, *kind, *text; /* kind: open, include, tick, probe:Op, or an operation name */
    int line;
} step_t;

static char **split_tabs(char *line, int want) {
    char **f = calloc((size_t)want, sizeof *f);
    int k = 0;
    char *p = line;
    while (k < want - 1) {
        char *tab = strchr(p, '\t');
        if (!tab) break;
        *tab = '\0';
        f[k++] = p;
        p = tab + 1;
    }
    f[k++] = p;
    if (k < want) {
        free(f);
        return NULL;
    }
    return f;
}

/* Reads a tab-separated file: `want` fields per line, the last one the rest of the line. */
static size_t read_table(const char *path, int want, char ****rows_out, int **lines_out) {
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    char ***rows = NULL;
    int *lines = NULL;
    size_t count = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (len == 0 || line[0] == '#') continue;
        char *copy = strdup(line);
        char **fields = split_tabs(copy, want);
        if (!fields) {
            fprintf(stderr, "%s:%d: expected %d tab-separated fields\n", path, lineno, want);
            exit(2);
        }
        rows = realloc(rows, (count + 1) * sizeof *rows);
        lines = realloc(lines, (count + 1) * sizeof *lines);
        rows[count] = fields;
        lines[count] = lineno;
        count++;
    }
    free(line);
    fclose(f);
    *rows_out = rows;
    *lines_out = lines;
    return count;
}

static row_t *rows;
static size_t nrows;
static step_t *steps;
static size_t nsteps;
static char **known;
static size_t nknown;

static int is_known(const char *id) {
    for (size_t i = 0; i < nknown; i++)
        if (strcmp(known[i], id) == 0) return 1;
    return 0;
}

/* ----- calls -------------------------------------------------------------------------------- */

static const char *type_names[] = {NULL, "InvalidRequestException", "ResourceNotFoundException",
    "ResourceAlreadyExistsException", "ResourceInUseException", "LimitExceededException", "ThrottlingException",
    "InternalFailureException", "ServiceUnavailableException", "UnsupportedOperationException"};

static int status_of_type(const char *name) {
    for (int s = 1; s <= 9; s++)
        if (strcmp(type_names[s], name) == 0) return s;
    return -1;
}

typedef int (*named_fn)(iotevents_engine *, const char *, char **);

static named_fn named(const char *op) {
    char name[160] = "iotevents_";
    size_t n = strlen(name);
    for (const char *p = op; *p && n + 2 < sizeof name; p++) {
        if (isupper((unsigned char)*p)) {
            if (p != op) name[n++] = '_';
            name[n++] = (char)tolower((unsigned char)*p);
        } else {
            name[n++] = *p;
        }
    }
    name[n] = '\0';
    return (named_fn)dlsym(RTLD_DEFAULT, name);
}

static char untouched[] = "untouched";

/* One call; the response is always a malloc'd string ("(not set)" when the library left
 * *response_json alone, which is itself a defect the checks catch). */
static int call(iotevents_engine *e, const char *op, const char *request, char **response, int use_named) {
    char *r = untouched;
    int status;
    if (use_named) {
        named_fn fn = named(op);
        if (!fn) {
            *response = strdup("(no named entry point)");
            return -100;
        }
        status = fn(e, request, &r);
    } else {
        status = iotevents_call(e, strcmp(op, "-") == 0 ? NULL : op, request, &r);
    }
    if (r == untouched) {
        *response = strdup("(not set)");
    } else if (!r) {
        *response = strdup("(NULL)");
    } else {
        *response = strdup(r);
        iotevents_free(r);
    }
    return status;
}

static void snap_call(buf_t *snap, iotevents_engine *e, const char *op, json_t *request) {
    char *text = json_dumps(request, JSON_COMPACT | JSON_SORT_KEYS);
    char *response;
    int status = call(e, op, text, &response, 0);
    putf(snap, "%s %s -> %d ", op, text, status);
    puts_(snap, response);
    puts_(snap, "\n");
    free(text);
    free(response);
}

/* Calls op(request) and returns its parsed response (or NULL), adding it to the snapshot. */
static json_t *snap_get(buf_t *snap, iotevents_engine *e, const char *op, json_t *request) {
    char *text = json_dumps(request, JSON_COMPACT | JSON_SORT_KEYS);
    char *response;
    int status = call(e, op, text, &response, 0);
    putf(snap, "%s %s -> %d ", op, text, status);
    puts_(snap, response);
    puts_(snap, "\n");
    json_t *doc = status == 0 ? json_loads(response, 0, NULL) : NULL;
    free(text);
    free(response);
    json_decref(request);
    return doc;
}

static const char *str_at(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

/* Everything the engine can describe, as text: equal snapshots = nothing changed. */
static char *snapshot(iotevents_engine *e) {
    buf_t s = {0};
    size_t i;
    json_t *item;
    json_t *inputs = snap_get(&s, e, "ListInputs", json_object());
    json_array_foreach(json_object_get(inputs, "inputSummaries"), i, item) {
        const char *name = str_at(item, "inputName");
        json_decref(snap_get(&s, e, "DescribeInput", json_pack("{ss}", "inputName", name)));
        json_decref(snap_get(&s, e, "ListTagsForResource", json_pack("{ss}", "resourceArn", str_at(item, "inputArn"))));
        json_decref(snap_get(&s, e, "ListInputRoutings",
            json_pack("{s{s{ss}}}", "inputIdentifier", "iotEventsInputIdentifier", "inputName", name)));
    }
    json_decref(inputs);
    json_t *models = snap_get(&s, e, "ListDetectorModels", json_object());
    json_array_foreach(json_object_get(models, "detectorModelSummaries"), i, item) {
        const char *name = str_at(item, "detectorModelName");
        json_t *d = snap_get(&s, e, "DescribeDetectorModel", json_pack("{ss}", "detectorModelName", name));
        const char *arn = str_at(json_object_get(json_object_get(d, "detectorModel"), "detectorModelConfiguration"), "detectorModelArn");
        if (arn) json_decref(snap_get(&s, e, "ListTagsForResource", json_pack("{ss}", "resourceArn", arn)));
        json_decref(d);
        json_decref(snap_get(&s, e, "ListDetectorModelVersions", json_pack("{ss}", "detectorModelName", name)));
        json_t *detectors = snap_get(&s, e, "ListDetectors", json_pack("{ss}", "detectorModelName", name));
        size_t j;
        json_t *det;
        json_array_foreach(json_object_get(detectors, "detectorSummaries"), j, det) {
            json_t *req = json_pack("{ss}", "detectorModelName", name);
            if (str_at(det, "keyValue")) json_object_set_new(req, "keyValue", json_string(str_at(det, "keyValue")));
            json_decref(snap_get(&s, e, "DescribeDetector", req));
        }
        json_decref(detectors);
    }
    json_decref(models);
    json_t *alarms = snap_get(&s, e, "ListAlarmModels", json_object());
    json_array_foreach(json_object_get(alarms, "alarmModelSummaries"), i, item) {
        const char *name = str_at(item, "alarmModelName");
        json_t *d = snap_get(&s, e, "DescribeAlarmModel", json_pack("{ss}", "alarmModelName", name));
        if (str_at(d, "alarmModelArn"))
            json_decref(snap_get(&s, e, "ListTagsForResource", json_pack("{ss}", "resourceArn", str_at(d, "alarmModelArn"))));
        json_decref(d);
        json_decref(snap_get(&s, e, "ListAlarmModelVersions", json_pack("{ss}", "alarmModelName", name)));
        json_t *list = snap_get(&s, e, "ListAlarms", json_pack("{ss}", "alarmModelName", name));
        size_t j;
        json_t *al;
        json_array_foreach(json_object_get(list, "alarmSummaries"), j, al) {
            json_t *req = json_pack("{ss}", "alarmModelName", name);
            if (str_at(al, "keyValue")) json_object_set_new(req, "keyValue", json_string(str_at(al, "keyValue")));
            json_decref(snap_get(&s, e, "DescribeAlarm", req));
        }
        json_decref(list);
    }
    json_decref(alarms);
    json_t *empty = json_object();
    snap_call(&s, e, "DescribeLoggingOptions", empty);
    json_decref(empty);
    putf(&s, "next_deadline %lld\n", (long long)iotevents_next_deadline(e));
    return take(&s);
}

/* ----- setups ------------------------------------------------------------------------------- */

typedef struct {
    char *group;
    char *snapshot;
    char *probe;
} baseline_t;

static baseline_t *baselines;
static size_t nbaselines;

static int group_exists(const char *group) {
    for (size_t i = 0; i < nsteps; i++)
        if (strcmp(steps[i].group, group) == 0) return 1;
    return 0;
}

/* Runs a group's steps: `open` (re)opens the engine, `include` runs another group, `tick` moves
 * the clock, an operation name is a call that must succeed; probe:Op steps are skipped here. */
static int run_setup(const char *group, iotevents_engine **e, int depth, buf_t *why) {
    if (depth > 8) {
        putf(why, "setup %s: include loop", group);
        return 0;
    }
    for (size_t i = 0; i < nsteps; i++) {
        step_t *st = &steps[i];
        if (strcmp(st->group, group) != 0 || strncmp(st->kind, "probe:", 6) == 0) continue;
        if (strcmp(st->kind, "include") == 0) {
            if (!run_setup(st->text, e, depth + 1, why)) return 0;
            continue;
        }
        if (strcmp(st->kind, "tick") == 0) {
            iotevents_tick(*e, strtoll(st->text, NULL, 10));
            continue;
        }
        int is_null;
        const char *error;
        char *text = decode_request(st->text, &is_null, &error);
        if (error) {
            putf(why, "setups.tsv:%d: %s", st->line, error);
            return 0;
        }
        if (strcmp(st->kind, "open") == 0) {
            iotevents_close(*e);
            char *err = NULL;
            *e = iotevents_open(text, &err);
            if (!*e) putf(why, "setups.tsv:%d: open failed: %s", st->line, err ? err : "(no error)");
            iotevents_free(err);
            free(text);
            if (!*e) return 0;
            continue;
        }
        char *response;
        int status = call(*e, st->kind, text, &response, 0);
        free(text);
        if (status != 0) {
            putf(why, "setups.tsv:%d: %s failed: %d %.300s", st->line, st->kind, status, response);
            free(response);
            return 0;
        }
        free(response);
    }
    return 1;
}

static void record_action(const char *action_json, void *payload) {
    buf_t *out = payload;
    puts_(out, "  action ");
    puts_(out, action_json);
    puts_(out, "\n");
}

/* The group's probe:Op steps (probe:tick MS moves the clock), with every action they cause. */
static char *run_probes(const char *group, iotevents_engine *e) {
    buf_t out = {0};
    iotevents_set_action_handler(e, record_action, &out);
    for (size_t i = 0; i < nsteps; i++) {
        step_t *st = &steps[i];
        if (strcmp(st->group, group) != 0 || strncmp(st->kind, "probe:", 6) != 0) continue;
        if (strcmp(st->kind, "probe:tick") == 0) {
            int64_t fired = iotevents_tick(e, strtoll(st->text, NULL, 10));
            putf(&out, "tick %s -> %lld\n", st->text, (long long)fired);
            continue;
        }
        int is_null;
        const char *error;
        char *text = decode_request(st->text, &is_null, &error);
        char *response;
        int status = call(e, st->kind + 6, text, &response, 0);
        putf(&out, "%s -> %d ", st->kind + 6, status);
        puts_(&out, response);
        puts_(&out, "\n");
        free(response);
        free(text);
    }
    iotevents_set_action_handler(e, NULL, NULL);
    return take(&out);
}

static iotevents_engine *open_group(const char *group, buf_t *why) {
    iotevents_engine *e = NULL;
    if (!run_setup(group, &e, 0, why)) {
        iotevents_close(e);
        return NULL;
    }
    if (!e) putf(why, "setup %s never opens an engine", group);
    return e;
}

static baseline_t *baseline(const char *group, buf_t *why) {
    for (size_t i = 0; i < nbaselines; i++)
        if (strcmp(baselines[i].group, group) == 0) return &baselines[i];
    iotevents_engine *e = open_group(group, why);
    if (!e) return NULL;
    baselines = realloc(baselines, (nbaselines + 1) * sizeof *baselines);
    baseline_t *b = &baselines[nbaselines++];
    b->group = strdup(group);
    b->snapshot = snapshot(e);
    b->probe = run_probes(group, e);
    iotevents_close(e);
    return b;
}

/* ----- checking one row ----------------------------------------------------------------------- */

/* The first line where two texts differ, for failure reports. */
static void first_difference(buf_t *why, const char *a, const char *b) {
    const char *la = a, *lb = b;
    while (*la && *lb) {
        const char *ea = strchr(la, '\n'), *eb = strchr(lb, '\n');
        size_t na = ea ? (size_t)(ea - la) : strlen(la), nb = eb ? (size_t)(eb - lb) : strlen(lb);
        if (na != nb || memcmp(la, lb, na) != 0) {
            size_t at = 0;
            while (at < na && at < nb && la[at] == lb[at]) at++;
            size_t from = at > 120 ? at - 120 : 0; /* show where the lines part */
            size_t ca = na - from > 300 ? 300 : na - from, cb = nb - from > 300 ? 300 : nb - from;
            putf(why, "\n      before: %s%.*s\n      after:  %s%.*s", from ? "..." : "", (int)ca, la + from, from ? "..." : "",
                 (int)cb, lb + from);
            return;
        }
        la += na + (ea ? 1 : 0);
        lb += nb + (eb ? 1 : 0);
    }
    putf(why, "\n      (one is a prefix of the other)");
}

/* Checks that a response is well-formed and of the right kind; returns the parsed document. */
static json_t *check_document(int status, const char *response, buf_t *why) {
    json_error_t err;
    if (status < 0 || status > 9) putf(why, "status %d is not an iotevents_status; ", status);
    json_t *doc = json_loads(response, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    if (!doc) {
        putf(why, "the response is not well-formed JSON (%s); ", err.text);
        return NULL;
    }
    if (!json_is_object(doc)) {
        putf(why, "the response is not a JSON object; ");
    } else if (status != 0) {
        const char *type = str_at(doc, "__type");
        const char *message = str_at(doc, "message");
        if (!type) putf(why, "the error document has no string __type; ");
        else if (status >= 1 && status <= 9 && strcmp(type, type_names[status]) != 0)
            putf(why, "status %d but __type %s; ", status, type);
        if (!message || !*message) putf(why, "the error document has no message; ");
        const char *key;
        json_t *v;
        json_object_foreach(doc, key, v) {
            if (strcmp(key, "__type") && strcmp(key, "message") && strcmp(key, "resourceId") && strcmp(key, "resourceArn"))
                putf(why, "unexpected member '%s' in the error document; ", key);
        }
    } else if (json_object_get(doc, "__type")) {
        putf(why, "status 0 but the response has a __type; ");
    }
    return doc;
}

/* Whether text contains the substring, or one of its |-separated alternatives ("-" = anything). */
static int mentions(const char *text, const char *substring) {
    if (strcmp(substring, "-") == 0) return 1;
    if (!text) return 0;
    const char *p = substring;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (memmem(text, strlen(text), p, n)) return 1;
        if (!bar) return 0;
        p = bar + 1;
    }
}

/* The error-entry list of a batch response, and the request's entry list. */
static json_t *error_entries(json_t *doc) {
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v) {
        size_t n = strlen(key);
        if (n >= 12 && strcasecmp(key + n - 12, "ErrorEntries") == 0) return v;
    }
    return NULL;
}

static const char *entry_id(json_t *entry) {
    const char *id = str_at(entry, "messageId");
    return id ? id : str_at(entry, "requestId");
}

static void check_entries(json_t *doc, const char *request, const char *code, const char *substring, buf_t *why) {
    json_t *req = request ? json_loads(request, 0, NULL) : NULL;
    json_t *list = NULL;
    const char *key;
    json_t *v;
    json_object_foreach(req, key, v) if (json_is_array(v)) list = v;
    if (!list) {
        putf(why, "an entry row needs a request with an entry list; ");
        json_decref(req);
        return;
    }
    json_t *entries = doc ? error_entries(doc) : NULL;
    if (!json_is_array(entries)) {
        putf(why, "the response has no error-entry list; ");
        json_decref(req);
        return;
    }
    if (json_array_size(entries) != json_array_size(list))
        putf(why, "%zu error entries for %zu request entries; ", json_array_size(entries), json_array_size(list));
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *id = entry_id(e);
        json_t *found = NULL;
        size_t j;
        json_t *x;
        json_array_foreach(entries, j, x) if (id && entry_id(x) && strcmp(entry_id(x), id) == 0) found = x;
        if (!found) {
            putf(why, "no error entry for %s; ", id ? id : "(no id)");
            continue;
        }
        const char *got = str_at(found, "errorCode");
        const char *message = str_at(found, "errorMessage");
        if (!got || strcmp(got, code) != 0) putf(why, "entry %s: errorCode %s, expected %s; ", id, got ? got : "(none)", code);
        if (!message || !*message) putf(why, "entry %s: no errorMessage; ", id);
        else if (!mentions(message, substring))
            putf(why, "entry %s: errorMessage lacks '%s'; ", id, substring);
    }
    json_decref(req);
}

static void print_bytes(FILE *out, const char *s, size_t n, size_t max) {
    for (size_t i = 0; i < n && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f) fprintf(out, "\\x%02x", c);
        else fputc(c, out);
    }
    if (n > max) fprintf(out, "... (%zu bytes)", n);
}

static FILE *transcript;
static int verbose;

/* Runs one row; returns 1 when it passed. */
static int run_row(row_t *row) {
    buf_t why = {0};
    int is_null;
    const char *derror;
    char *request = decode_request(row->text, &is_null, &derror);
    size_t request_len = request ? strlen(request) : 0;
    size_t raw_len = 0;
    if (request) {
        /* How many bytes the row really holds, NULs included (the library sees request_len). */
        buf_t raw = {0};
        size_t i = 0;
        if (row->text[0] != '@' && expand(row->text, strlen(row->text), &i, &raw, 0)) raw_len = raw.n;
        else raw_len = request_len;
        free(raw.p);
    }
    char *response = NULL, *again = NULL, *after = NULL, *probe = NULL;
    json_t *doc = NULL;
    iotevents_engine *e = NULL;
    int status = -1;
    if (derror) {
        putf(&why, "bad-inputs.tsv:%d: %s", row->line, derror);
        goto done;
    }
    baseline_t *base = baseline(row->group, &why);
    if (!base) goto done;
    e = open_group(row->group, &why);
    if (!e) goto done;

    status = call(e, row->op, request, &response, 0);
    doc = check_document(status, response, &why);

    int want_ok = strncmp(row->expect, "OK", 2) == 0;
    int may_change = strcmp(row->expect, "OK*") == 0;
    int entries = strncmp(row->expect, "entry:", 6) == 0;
    if (want_ok || entries) {
        if (status != 0) putf(&why, "expected status 0, got %d; ", status);
        if (entries) check_entries(doc, request, row->expect + 6, row->substring, &why);
        else if (!mentions(response, row->substring))
            putf(&why, "the response lacks '%s'; ", row->substring);
    } else {
        int want = status_of_type(row->expect);
        if (want < 0) putf(&why, "unknown expectation '%s'; ", row->expect);
        else if (status != want) putf(&why, "expected %s (%d), got status %d; ", row->expect, want, status);
        const char *message = doc ? str_at(doc, "message") : NULL;
        if (!mentions(message, row->substring))
            putf(&why, "the message lacks '%s'; ", row->substring);
    }
    if (!may_change) {
        /* Nothing changed: the same request through the named entry point answers the same... */
        int named_status = 0;
        if (isupper((unsigned char)row->op[0]) && named(row->op)) { /* an AWS name, not "listInputs" */
            named_status = call(e, row->op, request, &again, 1);
            if (named_status != status || strcmp(again, response) != 0)
                putf(&why, "the named entry point answered differently: %d %.300s; ", named_status, again);
        }
        /* ...everything describable is as the setup left it... */
        after = snapshot(e);
        if (strcmp(after, base->snapshot) != 0) {
            putf(&why, "the engine changed:");
            first_difference(&why, base->snapshot, after);
            puts_(&why, "; ");
        }
        /* ...and it goes on exactly like an engine that never saw the request. */
        probe = run_probes(row->group, e);
        if (strcmp(probe, base->probe) != 0) {
            putf(&why, "the probes answer differently afterwards:");
            first_difference(&why, base->probe, probe);
            puts_(&why, "; ");
        }
    }
done:
    if (transcript) {
        fprintf(transcript, "%s %d %s\n", row->id, status, response ? response : "-");
        fflush(transcript);
    }
    int pass = why.n == 0;
    int is_known_row = is_known(row->id);
    if (!pass || verbose || is_known_row) {
        const char *tag = pass ? (is_known_row ? "FIXED" : "PASS") : (is_known_row ? "KNOWN" : "FAIL");
        printf("%s %s (%s, line %d): %s\n", tag, row->id, row->op, row->line,
               pass ? (is_known_row ? "passes now: remove it from known-failures.txt" : "ok") : why.p);
        if ((!pass && !is_known_row) || verbose) {
            printf("    request (%zu bytes, %zu seen):  ", raw_len, request_len);
            if (is_null) printf("NULL");
            else if (request) print_bytes(stdout, request, raw_len, 300);
            printf("\n    response: %d ", status);
            if (response) print_bytes(stdout, response, strlen(response), 600);
            printf("\n");
        }
    }
    fflush(stdout);
    json_decref(doc);
    free(response);
    free(again);
    free(after);
    free(probe);
    free(request);
    free(why.p);
    iotevents_close(e);
    return pass;
}

int main(int argc, char **argv) {
    const char *label = "bad-inputs", *known_path = NULL, *transcript_path = NULL, *only = NULL;
    int fork_rows = 1, every = 1, opt;
    while ((opt = getopt(argc, argv, "l:k:t:ne:vo:")) != -1) {
        switch (opt) {
        case 'l': label = optarg; break;
        case 'k': known_path = optarg; break;
        case 't': transcript_path = optarg; break;
        case 'n': fork_rows = 0; break;
        case 'e': every = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
        case 'v': verbose = 1; break;
        case 'o': only = optarg; break;
        default: return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "usage: bad_inputs [-l LABEL] [-k KNOWN] [-t TRANSCRIPT] [-n] [-e N] [-v] [-o GLOB] CATALOGUE SETUPS\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    char ***table;
    int *lines;
    nrows = read_table(argv[optind], 6, &table, &lines);
    rows = calloc(nrows, sizeof *rows);
    for (size_t i = 0; i < nrows; i++) {
        rows[i] = (row_t){table[i][0], table[i][1], table[i][2], table[i][3], table[i][4], table[i][5], lines[i]};
        if (strchr(rows[i].op, '\\')) { /* an operation name with raw bytes: decode it in place */
            buf_t op = {0};
            size_t at = 0;
            expand(rows[i].op, strlen(rows[i].op), &at, &op, 0);
            memcpy(rows[i].op, op.p, op.n + 1); /* never longer than its escaped form */
            free(op.p);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(rows[j].id, rows[i].id) == 0) {
                fprintf(stderr, "%s:%d: duplicate row id %s\n", argv[optind], lines[i], rows[i].id);
                return 2;
            }
    }
    free(lines);
    char ***stable;
    nsteps = read_table(argv[optind + 1], 3, &stable, &lines);
    steps = calloc(nsteps, sizeof *steps);
    for (size_t i = 0; i < nsteps; i++) steps[i] = (step_t){stable[i][0], stable[i][1], stable[i][2], lines[i]};
    free(lines);
    for (size_t i = 0; i < nrows; i++)
        if (!group_exists(rows[i].group)) {
            fprintf(stderr, "%s:%d: unknown setup group %s\n", argv[optind], rows[i].line, rows[i].group);
            return 2;
        }
    if (known_path) {
        char *text = read_file(known_path);
        if (!text) {
            perror(known_path);
            return 2;
        }
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
            while (*line == ' ' || *line == '\t') line++;
            line[strcspn(line, " \t#")] = '\0';
            /* NAME/check lines are the hostile-host tests' (hostile.h KCHECK), not rows */
            if (*line == '\0' || strchr(line, '/')) continue;
            known = realloc(known, (nknown + 1) * sizeof *known);
            known[nknown++] = strdup(line);
        }
        free(text);
        for (size_t k = 0; k < nknown; k++) {
            int found = 0;
            for (size_t i = 0; i < nrows; i++) found |= strcmp(rows[i].id, known[k]) == 0;
            if (!found) {
                fprintf(stderr, "%s: %s is not a row of the catalogue\n", known_path, known[k]);
                return 2;
            }
        }
    }
    if (transcript_path && !(transcript = fopen(transcript_path, "w"))) {
        perror(transcript_path);
        return 2;
    }

    long pass = 0, fail = 0, known_failed = 0, skipped = 0;
    for (size_t i = 0; i < nrows; i++) {
        row_t *row = &rows[i];
        if (i % (size_t)every != 0 || (only && fnmatch(only, row->id, 0) != 0)) continue;
        int is_known_row = is_known(row->id);
        if (!fork_rows && is_known_row) {
            skipped++;
            continue;
        }
        int ok;
        if (fork_rows) {
            /* A row that crashes the process is a failure of that row, not of the run. The
             * parent holds manual-clock engines only (no threads), so forking is safe. */
            buf_t why = {0};
            if (!baseline(row->group, &why)) {
                printf("FAIL %s: %s\n", row->id, why.p);
                free(why.p);
                fail++;
                continue;
            }
            fflush(NULL);
            pid_t pid = fork();
            if (pid == 0) _exit(run_row(row) ? 0 : 1);
            int ws = 0;
            while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
            ok = WIFEXITED(ws) && WEXITSTATUS(ws) == 0;
            if (WIFSIGNALED(ws)) {
                printf("%s %s (%s, line %d): the process died of signal %d (%s)\n", is_known_row ? "KNOWN" : "FAIL",
                       row->id, row->op, row->line, WTERMSIG(ws), strsignal(WTERMSIG(ws)));
                if (transcript) fprintf(transcript, "%s signal %d\n", row->id, WTERMSIG(ws));
            }
        } else {
            ok = run_row(row);
        }
        if (is_known_row) {
            if (ok) fail++;
            else known_failed++;
        } else if (ok) {
            pass++;
        } else {
            fail++;
        }
    }
    if (transcript) fclose(transcript);
    if (known_failed || skipped)
        printf("%s: %ld known failures (known-failures.txt) not counted%s\n", label, known_failed + skipped,
               skipped ? " (not run without fork)" : "");
    printf("%s: %ld passed, %ld failed\n", label, pass, fail);

    for (size_t i = 0; i < nbaselines; i++) {
        free(baselines[i].group);
        free(baselines[i].snapshot);
        free(baselines[i].probe);
    }
    free(baselines);
    for (size_t k = 0; k < nknown; k++) free(known[k]);
    free(known);
    for (size_t i = 0; i < nrows; i++) {
        free(table[i][0]);
        free(table[i]);
    }
    free(table);
    for (size_t i = 0; i < nsteps; i++) {
        free(stable[i][0]);
        free(stable[i]);
    }
    free(stable);
    free(rows);
    free(steps);
    return fail ? 1 : 0;
}
