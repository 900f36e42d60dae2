/* Loading and reloading models (models.h). A file's kind is told by its members:
 * inputDefinition (an input), detectorModelDefinition (a detector model), alarmRule (an alarm
 * model). An Update request is the Create request without the members Update does not take. */
#define _POSIX_C_SOURCE 200809L
#include "models.h"
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum kind { KIND_INPUT, KIND_DETECTOR_MODEL, KIND_ALARM_MODEL, KIND_COUNT };
static const char *const name_member[KIND_COUNT] = {"inputName", "detectorModelName", "alarmModelName"};
static const char *const create_operation[KIND_COUNT] = {"CreateInput", "CreateDetectorModel", "CreateAlarmModel"};
static const char *const update_operation[KIND_COUNT] = {"UpdateInput", "UpdateDetectorModel", "UpdateAlarmModel"};

typedef struct known { /* a resource this process created, found or updated, and its file's text */
    enum kind kind;
    char *name;
    char *text;
} known;

struct mqttd_models {
    known *items;
    size_t count, capacity;
    char *record_path; /* NULL: nothing is kept across restarts */
};

typedef struct file_doc {
    char *path;
    char *text;
    json_t *request;
    enum kind kind;
} file_doc;

static void remember(mqttd_models *m, enum kind kind, const char *name, const char *text);

/* The record file: {"<kind>/<name>": "<the file's text when it was applied>", ...}. */
static const char *const record_kind[KIND_COUNT] = {"input", "detectorModel", "alarmModel"};

static void load_records(mqttd_models *m) {
    json_t *records = json_load_file(m->record_path, 0, NULL);
    const char *key;
    json_t *value;
    json_object_foreach(records, key, value) {
        const char *slash = strchr(key, '/');
        if (!slash || !json_is_string(value)) continue;
        for (int kind = 0; kind < KIND_COUNT; kind++)
            if (strlen(record_kind[kind]) == (size_t)(slash - key) && !strncmp(key, record_kind[kind], (size_t)(slash - key)))
                remember(m, (enum kind)kind, slash + 1, json_string_value(value));
    }
    json_decref(records); /* a missing or unreadable file: no records, every resource kept */
}

/* Writes the records beside and renames them over the old file: a crash leaves one or the other.
 * A record that could not be written costs at most a missed update at the next start. */
static void save_records(const mqttd_models *m) {
    if (!m->record_path) return;
    json_t *records = json_object();
    for (size_t i = 0; records && i < m->count; i++) {
        if (!m->items[i].text) continue;
        char key[512];
        snprintf(key, sizeof key, "%s/%s", record_kind[m->items[i].kind], m->items[i].name);
        json_object_set_new(records, key, json_string(m->items[i].text));
    }
    size_t length = strlen(m->record_path) + 5;
    char *temporary = malloc(length);
    if (records && temporary) {
        snprintf(temporary, length, "%s.tmp", m->record_path);
        if (json_dump_file(records, temporary, JSON_COMPACT) == 0 && rename(temporary, m->record_path) != 0)
            remove(temporary);
    }
    free(temporary);
    json_decref(records);
}

mqttd_models *mqttd_models_new(const char *record_path) {
    mqttd_models *m = calloc(1, sizeof(mqttd_models));
    if (m && record_path) {
        m->record_path = strdup(record_path);
        if (m->record_path) load_records(m);
    }
    return m;
}

void mqttd_models_free(mqttd_models *m) {
    if (!m) return;
    for (size_t i = 0; i < m->count; i++) {
        free(m->items[i].name);
        free(m->items[i].text);
    }
    free(m->items);
    free(m->record_path);
    free(m);
}

static char *read_text(const char *path) {
    FILE *file = fopen(path, "re");
    if (!file) return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    char buffer[8192];
    size_t n;
    while (out && (n = fread(buffer, 1, sizeof buffer, file)) > 0) fwrite(buffer, 1, n, out);
    if (out) fclose(out);
    fclose(file);
    return text;
}

static int compare_paths(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The files of paths: a directory gives its *.json files in name order. */
static bool list_files(char *const *paths, size_t count, char ***out, size_t *out_count, char *error, size_t size) {
    size_t capacity = 16, n = 0;
    char **files = malloc(capacity * sizeof *files);
    for (size_t i = 0; files && i < count; i++) {
        struct stat info;
        if (stat(paths[i], &info) != 0) {
            snprintf(error, size, "%s: cannot read", paths[i]);
            goto failed;
        }
        DIR *dir = S_ISDIR(info.st_mode) ? opendir(paths[i]) : NULL;
        if (S_ISDIR(info.st_mode) && !dir) {
            snprintf(error, size, "%s: cannot read the directory", paths[i]);
            goto failed;
        }
        size_t first = n;
        for (struct dirent *e; dir ? (e = readdir(dir)) != NULL : n == first;) {
            const char *name = dir ? e->d_name : paths[i];
            size_t length = strlen(name);
            if (dir && (length < 5 || strcmp(name + length - 5, ".json") || name[0] == '.')) continue;
            if (n == capacity) {
                char **grown = realloc(files, (capacity *= 2) * sizeof *files);
                if (!grown) break;
                files = grown;
            }
            size_t full = strlen(paths[i]) + length + 2;
            files[n] = malloc(full);
            if (!files[n]) break;
            if (dir) snprintf(files[n], full, "%s/%s", paths[i], name);
            else snprintf(files[n], full, "%s", name);
            n++;
        }
        if (dir) {
            closedir(dir);
            qsort(files + first, n - first, sizeof *files, compare_paths);
        }
    }
    *out = files;
    *out_count = n;
    return files != NULL;
failed:
    for (size_t i = 0; i < n; i++) free(files[i]);
    free(files);
    return false;
}

static known *find_known(mqttd_models *m, enum kind kind, const char *name) {
    for (size_t i = 0; i < m->count; i++)
        if (m->items[i].kind == kind && !strcmp(m->items[i].name, name)) return &m->items[i];
    return NULL;
}

static void remember(mqttd_models *m, enum kind kind, const char *name, const char *text) {
    known *k = find_known(m, kind, name);
    if (!k) {
        if (m->count == m->capacity) {
            size_t capacity = m->capacity ? m->capacity * 2 : 16;
            known *grown = realloc(m->items, capacity * sizeof *grown);
            if (!grown) return;
            m->items = grown;
            m->capacity = capacity;
        }
        k = &m->items[m->count++];
        k->kind = kind;
        k->name = strdup(name);
        k->text = NULL;
    }
    free(k->text);
    k->text = strdup(text);
}

/* One error line from the engine's error document. */
static void engine_error(char *error, size_t size, const char *path, const char *operation, const char *response) {
    json_t *doc = json_loads(response ? response : "", 0, NULL);
    snprintf(error, size, "%s: %s: %s: %s", path, operation,
             json_string_value(json_object_get(doc, "__type")) ? json_string_value(json_object_get(doc, "__type")) : "error",
             json_string_value(json_object_get(doc, "message")) ? json_string_value(json_object_get(doc, "message")) : "");
    json_decref(doc);
}

static bool apply_one(mqttd_models *m, iotevents_engine *engine, file_doc *f, bool reload, char *error, size_t size) {
    const char *name = json_string_value(json_object_get(f->request, name_member[f->kind]));
    if (!name) {
        snprintf(error, size, "%s: %s: required", f->path, name_member[f->kind]);
        return false;
    }
    known *k = find_known(m, f->kind, name);
    bool unchanged = k && k->text && !strcmp(k->text, f->text);
    /* A reload skips what this process applied already. At start a recorded resource is created
     * all the same when the engine lacks it (the record may be newer than the state directory,
     * whose last calls a power loss can take with groupCommit). */
    if (unchanged && reload) return true;
    char *response = NULL;
    char *body = json_dumps(f->request, JSON_COMPACT);
    int status = iotevents_call(engine, create_operation[f->kind], body, &response);
    free(body);
    if (status == IOTEVENTS_RESOURCE_ALREADY_EXISTS && !unchanged && (reload || k)) {
        iotevents_free(response);
        response = NULL;
        json_t *update = json_deep_copy(f->request);
        json_object_del(update, "tags");
        json_object_del(update, "key");
        body = json_dumps(update, JSON_COMPACT);
        json_decref(update);
        status = iotevents_call(engine, update_operation[f->kind], body, &response);
        free(body);
        if (status != IOTEVENTS_OK) {
            engine_error(error, size, f->path, update_operation[f->kind], response);
            iotevents_free(response);
            return false;
        }
        fprintf(stderr, "iotevents-mqttd: %s: %s %s\n", f->path, update_operation[f->kind], name);
    } else if (status == IOTEVENTS_RESOURCE_ALREADY_EXISTS) {
        /* at start: the state directory has it, with its detectors; keep it */
    } else if (status != IOTEVENTS_OK) {
        engine_error(error, size, f->path, create_operation[f->kind], response);
        iotevents_free(response);
        return false;
    }
    iotevents_free(response);
    if (!unchanged) {
        remember(m, f->kind, name, f->text);
        save_records(m);
    }
    return true;
}

bool mqttd_models_apply(mqttd_models *m, iotevents_engine *engine, char *const *paths, size_t path_count, bool reload,
                        char *error, size_t size) {
    char **files = NULL;
    size_t count = 0;
    if (!list_files(paths, path_count, &files, &count, error, size)) return false;
    file_doc *docs = calloc(count ? count : 1, sizeof *docs);
    bool ok = docs != NULL;
    for (size_t i = 0; ok && i < count; i++) {
        docs[i].path = files[i];
        docs[i].text = read_text(files[i]);
        json_error_t parse;
        docs[i].request = docs[i].text ? json_loads(docs[i].text, JSON_REJECT_DUPLICATES, &parse) : NULL;
        if (!docs[i].text) {
            snprintf(error, size, "%s: cannot read", files[i]);
            ok = false;
        } else if (!json_is_object(docs[i].request)) {
            snprintf(error, size, "%s: not a JSON object (%s)", files[i], docs[i].request ? "wrong type" : parse.text);
            ok = false;
        } else if (json_object_get(docs[i].request, "inputDefinition")) {
            docs[i].kind = KIND_INPUT;
        } else if (json_object_get(docs[i].request, "detectorModelDefinition")) {
            docs[i].kind = KIND_DETECTOR_MODEL;
        } else if (json_object_get(docs[i].request, "alarmRule")) {
            docs[i].kind = KIND_ALARM_MODEL;
        } else {
            snprintf(error, size, "%s: neither a CreateInput (inputDefinition), CreateDetectorModel "
                                  "(detectorModelDefinition) nor CreateAlarmModel (alarmRule) request", files[i]);
            ok = false;
        }
    }
    for (int kind = 0; ok && kind < KIND_COUNT; kind++)
        for (size_t i = 0; ok && i < count; i++)
            if ((int)docs[i].kind == kind) ok = apply_one(m, engine, &docs[i], reload, error, size);
    for (size_t i = 0; i < count; i++) {
        free(files[i]);
        if (docs) {
            free(docs[i].text);
            json_decref(docs[i].request);
        }
    }
    free(docs);
    free(files);
    return ok;
}
