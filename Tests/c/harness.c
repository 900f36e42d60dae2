/* The C test harness: runs a case script against the built libiotevents.so and prints every
 * result, so that a case is a directory with a `script` and its `expected` output (see
 * Tests/cases/README.md). Linked against the shipped library, it is the real test of the ABI.
 *
 *   harness SCRIPT     prints the transcript on stdout; exits non-zero on a harness error
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iotevents.h"

static iotevents_engine *engine;

static void print_document(int status, char *doc) {
    printf("< %d %s\n", status, doc ? doc : "(no document)");
    iotevents_free(doc);
}

/* "CreateInput" -> "create_input" */
static void snake(const char *op, char *out, size_t cap) {
    size_t n = 0;
    for (const char *p = op; *p && n + 2 < cap; p++) {
        if (isupper((unsigned char)*p)) {
            if (p != op) out[n++] = '_';
            out[n++] = (char)tolower((unsigned char)*p);
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

typedef int (*named_fn)(iotevents_engine *, const char *, char **);

static named_fn named(const char *op) {
    char name[128] = "iotevents_";
    snake(op, name + strlen(name), sizeof name - strlen(name));
    return (named_fn)dlsym(RTLD_DEFAULT, name);
}

/* Splits "word rest" into word and rest (rest may be empty -> NULL). */
static char *split(char *line, char **rest) {
    while (*line == ' ') line++;
    char *space = strchr(line, ' ');
    if (space) {
        *space = '\0';
        *rest = space + 1;
    } else {
        *rest = NULL;
    }
    return line;
}

/* The directory of the script, for `@file` requests. */
static char script_dir[4096] = ".";

/* A request argument: inline JSON, or "@name" = the contents of that file beside the script.
 * Returns a malloc'd string (or NULL for no argument); *ok is 0 when a file cannot be read. */
static char *request_text(const char *arg, int *ok) {
    *ok = 1;
    if (!arg) return NULL;
    if (arg[0] != '@') return strdup(arg);
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", script_dir, arg + 1);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        *ok = 0;
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    size_t got = fread(text, 1, (size_t)n, f);
    text[got] = '\0';
    fclose(f);
    return text;
}

static void action_printer(const char *action_json, void *payload) {
    printf("! action %s %s\n", (const char *)payload, action_json);
}

/* For the system clock, whose times differ on every run: only the action's type and source. */
static void brief_action_printer(const char *action_json, void *payload) {
    const char *type = strstr(action_json, "\"type\":");
    const char *source = strstr(action_json, "\"source\":");
    const char *type_end = type ? strchr(type, ',') : NULL;
    const char *source_end = source ? strchr(source, '}') : NULL;
    if (!type_end || !source_end) {
        printf("! action %s (unexpected document) %s\n", (const char *)payload, action_json);
        return;
    }
    printf("! action %s %.*s %.*s\n", (const char *)payload, (int)(type_end - type), type,
           (int)(source_end + 1 - source), source);
}

static void log_printer(const char *log_json, void *payload) {
    printf("! log %s %s\n", (const char *)payload, log_json);
}

/* Re-enters the engine from inside the log handler: reads the counters, prints their status. */
static void reentrant_log_printer(const char *log_json, void *payload) {
    char *counters = NULL;
    int status = iotevents_counters(engine, &counters);
    printf("! log %s %s (re-entered: counters status %d, %s)\n", (const char *)payload, log_json, status,
           counters && strstr(counters, "\"evaluations\"") ? "document" : "no document");
    iotevents_free(counters);
}

#ifdef HARNESS_MAIN
#define main HARNESS_MAIN
int HARNESS_MAIN(int argc, char **argv);
#endif
int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: harness SCRIPT\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *slash = strrchr(argv[1], '/');
    if (slash) snprintf(script_dir, sizeof script_dir, "%.*s", (int)(slash - argv[1]), argv[1]);
    unsigned put_count = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (len == 0 || line[0] == '#') continue;
        printf("> %s\n", line);
        char *rest;
        char *command = split(line, &rest);
        if (strcmp(command, "open") == 0 || strcmp(command, "open-null") == 0) {
            char *error = (char *)"untouched";
            iotevents_close(engine);
            engine = iotevents_open(strcmp(command, "open") == 0 ? (rest ? rest : "") : NULL, &error);
            printf("< %s %s\n", engine ? "engine" : "NULL", error ? error : "(no error)");
            iotevents_free(error);
        } else if (strcmp(command, "close") == 0) {
            iotevents_close(engine);
            engine = NULL;
        } else if (strcmp(command, "call") == 0 || strcmp(command, "named") == 0 ||
                   strcmp(command, "call-null-engine") == 0 || strcmp(command, "call-no-response") == 0) {
            char *request_arg;
            char *op = rest ? split(rest, &request_arg) : NULL;
            int ok;
            char *request = request_text(request_arg, &ok);
            if (!ok) return 2;
            char *response = (char *)"untouched";
            int status;
            if (strcmp(command, "named") == 0) {
                named_fn fn = op ? named(op) : NULL;
                if (!fn) {
                    fprintf(stderr, "%s:%d: no entry point for %s\n", argv[1], lineno, op ? op : "?");
                    return 1;
                }
                status = fn(engine, request, &response);
            } else if (strcmp(command, "call-null-engine") == 0) {
                status = iotevents_call(NULL, op, request, &response);
            } else if (strcmp(command, "call-no-response") == 0) {
                status = iotevents_call(engine, op, request, NULL);
                response = NULL;
            } else {
                /* "-" stands for a NULL operation name. */
                status = iotevents_call(engine, op && strcmp(op, "-") == 0 ? NULL : op, request, &response);
            }
            print_document(status, response);
            free(request);
        } else if (strcmp(command, "put") == 0) {
            /* put INPUT PAYLOAD: one BatchPutMessage with a JSON-object payload and messageId mN. */
            char *payload;
            char *input = rest ? split(rest, &payload) : NULL;
            if (!input || !payload) {
                fprintf(stderr, "%s:%d: usage: put INPUT PAYLOAD\n", argv[1], lineno);
                return 2;
            }
            size_t size = strlen(input) + strlen(payload) + 128;
            char *request = malloc(size);
            snprintf(request, size, "{\"messages\":[{\"messageId\":\"m%u\",\"inputName\":\"%s\",\"payload\":%s}]}",
                     ++put_count, input, payload);
            char *response = NULL;
            int status = iotevents_call(engine, "BatchPutMessage", request, &response);
            print_document(status, response);
            free(request);
        } else if (strcmp(command, "tick") == 0) {
            int64_t now = rest ? strtoll(rest, NULL, 10) : -1;
            printf("< %lld\n", (long long)iotevents_tick(engine, now));
        } else if (strcmp(command, "deadline") == 0) {
            printf("< %lld\n", (long long)iotevents_next_deadline(engine));
        } else if (strcmp(command, "null-engine-time") == 0) {
            printf("< %lld %lld\n", (long long)iotevents_tick(NULL, 0), (long long)iotevents_next_deadline(NULL));
        } else if (strcmp(command, "handler") == 0 || strcmp(command, "handler-brief") == 0) {
            static char *handler_name;
            char *previous = handler_name;
            handler_name = rest ? strdup(rest) : NULL;
            iotevents_action_fn printer = strcmp(command, "handler") == 0 ? action_printer : brief_action_printer;
            iotevents_set_action_handler(engine, handler_name ? printer : NULL, handler_name);
            free(previous);
        } else if (strcmp(command, "log-handler") == 0 || strcmp(command, "log-handler-reentrant") == 0) {
            static char *log_name;
            char *previous = log_name;
            log_name = rest ? strdup(rest) : NULL;
            iotevents_log_fn printer = strcmp(command, "log-handler") == 0 ? log_printer : reentrant_log_printer;
            iotevents_set_log_handler(engine, log_name ? printer : NULL, log_name);
            free(previous);
        } else if (strcmp(command, "counters") == 0) {
            char *counters = (char *)"untouched";
            int status = iotevents_counters(engine, &counters);
            print_document(status, counters);
        } else if (strcmp(command, "sleep") == 0) {
            long ms = rest ? strtol(rest, NULL, 10) : 0;
            struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
            while (nanosleep(&pause, &pause) != 0) {}
        } else if (strcmp(command, "version") == 0) {
            printf("< %d %s header %d %s\n", iotevents_version_number(), iotevents_version_string(),
                   IOTEVENTS_VERSION_NUMBER, IOTEVENTS_VERSION_STRING);
            if (iotevents_version_number() != IOTEVENTS_VERSION_NUMBER ||
                strcmp(iotevents_version_string(), IOTEVENTS_VERSION_STRING) != 0) {
                fprintf(stderr, "%s:%d: header and library versions differ\n", argv[1], lineno);
                return 1;
            }
        } else if (strcmp(command, "strerror") == 0) {
            int status = rest ? atoi(rest) : 0;
            printf("< %s\n", iotevents_strerror(status));
        } else if (strcmp(command, "free-null") == 0) {
            iotevents_free(NULL);
            iotevents_close(NULL);
            iotevents_set_action_handler(NULL, NULL, NULL);
            iotevents_set_log_handler(NULL, NULL, NULL);
            if (iotevents_counters(NULL, NULL) != IOTEVENTS_INVALID_REQUEST) printf("< counters(NULL) did not refuse\n");
            printf("< ok\n");
        } else {
            fprintf(stderr, "%s:%d: unknown command '%s'\n", argv[1], lineno, command);
            return 2;
        }
    }
    free(line);
    fclose(f);
    iotevents_close(engine);
    return 0;
}
