/* The durable outbox (outbox.h). Why a file of its own and not the engine's log: the engine
 * logs a call before it hands the call's actions to the handler, and replays its log without
 * calling the handler again, so the actions must be kept by the daemon before the message that
 * caused them is acknowledged to the broker. */
#define _GNU_SOURCE
#include "outbox.h"
#include "recovery.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct entry {
    struct entry *next;
    uint64_t sequence;
    char *topic, *payload;
    int qos;
    int mid;        /* 0: not handed to the current connection */
    bool committed; /* synced: may be published */
} entry;

struct mqttd_outbox {
    pthread_mutex_t lock;
    int fd; /* -1: in memory */
    char *path;
    entry *head, *tail;
    size_t depth;
    uint64_t next_sequence;
    bool dirty;
    off_t bytes;
    uint64_t next_batch;
    size_t interrupted, recovered_batches, lost_batches;
};

typedef struct open_batch { /* a batch begun and not (yet) ended, while loading */
    struct open_batch *next;
    uint64_t batch;
    long long log_bytes; /* the engine's log size when the batch began */
    size_t actions;      /* action records after its begin marker: those reached the outbox */
    long long epoch_ms;  /* when the call was made */
    char *ids;
    char *request;       /* the BatchPutMessage request, to run it again (recovery.h) */
} open_batch;

static bool write_all(int fd, const char *data, size_t length) {
    while (length) {
        ssize_t n = write(fd, data, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        length -= (size_t)n;
    }
    return true;
}

static bool write_record(mqttd_outbox *o, json_t *record) {
    char *line = json_dumps(record, JSON_COMPACT);
    json_decref(record);
    if (!line) return false;
    size_t length = strlen(line);
    line[length] = '\n'; /* json_dumps leaves room for its NUL: the newline takes it */
    bool ok = write_all(o->fd, line, length + 1);
    free(line);
    if (ok) o->bytes += (off_t)length + 1;
    return ok;
}

static entry *new_entry(uint64_t sequence, const char *topic, const char *payload, int qos) {
    entry *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->sequence = sequence;
    e->topic = strdup(topic);
    e->payload = strdup(payload);
    e->qos = qos;
    if (!e->topic || !e->payload) {
        free(e->topic);
        free(e->payload);
        free(e);
        return NULL;
    }
    return e;
}

static void push(mqttd_outbox *o, entry *e) {
    if (o->tail) o->tail->next = e;
    else o->head = e;
    o->tail = e;
    o->depth++;
}

static void free_entry(entry *e) {
    free(e->topic);
    free(e->payload);
    free(e);
}

/* Reads the file's records into the list; the acknowledged ones are removed. */
static bool load(mqttd_outbox *o, FILE *file, open_batch **batches, char *error, size_t error_size) {
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    unsigned long number = 0;
    bool torn = false;
    while ((length = getline(&line, &capacity, file)) > 0) {
        number++;
        if (torn) {
            snprintf(error, error_size, "%s: line %lu is damaged (not the last line)", o->path, number - 1);
            free(line);
            return false;
        }
        json_t *record = line[length - 1] == '\n' ? json_loadb(line, (size_t)length - 1, 0, NULL) : NULL;
        if (!record) { /* a crash while the last line was written: that action was never committed */
            torn = true;
            continue;
        }
        json_int_t acknowledged = json_integer_value(json_object_get(record, "a"));
        json_int_t sequence = json_integer_value(json_object_get(record, "s"));
        json_int_t begun = json_integer_value(json_object_get(record, "b"));
        json_int_t ended = json_integer_value(json_object_get(record, "e"));
        if (begun > 0) {
            open_batch *b = calloc(1, sizeof *b);
            if (b) {
                b->batch = (uint64_t)begun;
                b->log_bytes = json_is_integer(json_object_get(record, "log")) ? json_integer_value(json_object_get(record, "log")) : -1;
                b->ids = json_dumps(json_object_get(record, "ids"), JSON_COMPACT | JSON_ENCODE_ANY);
                b->request = json_is_string(json_object_get(record, "req")) ? strdup(json_string_value(json_object_get(record, "req"))) : NULL;
                b->epoch_ms = json_is_integer(json_object_get(record, "t")) ? json_integer_value(json_object_get(record, "t")) : -1;
                b->next = *batches;
                *batches = b;
            }
        } else if (ended > 0) {
            for (open_batch **link = batches; *link; link = &(*link)->next)
                if ((*link)->batch == (uint64_t)ended) {
                    open_batch *gone = *link;
                    *link = gone->next;
                    free(gone->ids);
                    free(gone->request);
                    free(gone);
                    break;
                }
        } else if (acknowledged > 0) {
            entry **link = &o->head, *previous = NULL;
            while (*link && (*link)->sequence != (uint64_t)acknowledged) {
                previous = *link;
                link = &(*link)->next;
            }
            if (*link) {
                entry *gone = *link;
                *link = gone->next;
                if (o->tail == gone) o->tail = previous;
                free_entry(gone);
                o->depth--;
            }
        } else if (sequence > 0 && json_is_string(json_object_get(record, "t")) && json_is_string(json_object_get(record, "p"))) {
            entry *e = new_entry((uint64_t)sequence, json_string_value(json_object_get(record, "t")),
                                 json_string_value(json_object_get(record, "p")),
                                 (int)json_integer_value(json_object_get(record, "q")));
            if (!e) {
                json_decref(record);
                free(line);
                snprintf(error, error_size, "%s: out of memory", o->path);
                return false;
            }
            e->committed = true;
            push(o, e);
            for (open_batch *b = *batches; b; b = b->next) b->actions++;
            if ((uint64_t)sequence >= o->next_sequence) o->next_sequence = (uint64_t)sequence + 1;
        } else {
            snprintf(error, error_size, "%s: line %lu is not an outbox record", o->path, number);
            json_decref(record);
            free(line);
            return false;
        }
        json_decref(record);
    }
    free(line);
    return true;
}

static json_t *action_record(const entry *e) {
    return json_pack("{s:I, s:s, s:i, s:s}", "s", (json_int_t)e->sequence, "t", e->topic, "q", e->qos, "p", e->payload);
}

/* Writes the pending actions to a new file, synced, renamed over the old one. */
static bool rewrite(mqttd_outbox *o, const char *dir) {
    char temporary[4096];
    snprintf(temporary, sizeof temporary, "%s.new", o->path);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    int old = o->fd;
    o->fd = fd;
    o->bytes = 0;
    bool ok = true;
    for (entry *e = o->head; e && ok; e = e->next) ok = write_record(o, action_record(e));
    ok = ok && fsync(fd) == 0 && rename(temporary, o->path) == 0;
    int dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        fsync(dir_fd);
        close(dir_fd);
    }
    if (old >= 0) close(old);
    if (!ok) {
        close(fd);
        o->fd = -1;
    }
    return ok;
}

long long mqttd_engine_log_bytes(const char *dir) {
    if (!dir) return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/log", dir);
    struct stat info;
    return stat(path, &info) == 0 ? (long long)info.st_size : -1;
}

/* What became of a batch begun and not ended (outbox.h), and its actions recovered when the
 * engine had logged it. Runs while the outbox is loaded (o->fd < 0), so recovered actions are
 * appended in memory and reach the file with the rewrite that follows. */
static void settle_interrupted(mqttd_outbox *o, const open_batch *b, long long engine_log_bytes, mqttd_recovery *recovery) {
    o->interrupted++;
    const char *ids = b->ids ? b->ids : "?";
    if (b->log_bytes >= 0 && engine_log_bytes == b->log_bytes) {
        fprintf(stderr, "iotevents-mqttd: interrupted %s not applied by the engine (its log did not grow): "
                        "messageIds %s come back from the broker, nothing lost\n", b->request ? "batch" : "tick", ids);
        return;
    }
    if (!b->request && b->log_bytes >= 0 && engine_log_bytes > b->log_bytes) {
        /* Not run again: replaying its log, the engine re-arms the timers the replayed calls set
         * from the time of the reopening (a library issue, README.md), so the tick would not
         * fire what it fired. */
        o->lost_batches++;
        fprintf(stderr, "iotevents-mqttd: interrupted tick applied by the engine before all its actions reached the outbox: "
                        "%zu did, the others are lost\n", b->actions);
        return;
    }
    if (b->request && b->log_bytes >= 0 && engine_log_bytes > b->log_bytes && b->epoch_ms >= 0 && recovery) {
        char error[512];
        size_t before = o->depth;
        if (mqttd_recover_batch(recovery, b->request, b->log_bytes, b->epoch_ms, o, error, sizeof error)) {
            o->recovered_batches++;
            fprintf(stderr, "iotevents-mqttd: interrupted batch applied by the engine before all its actions reached the outbox "
                            "(%zu did): ran it again on the state before it, %zu actions recovered for messageIds %s\n",
                    b->actions, o->depth - before, ids);
            return;
        }
        fprintf(stderr, "iotevents-mqttd: recovery failed: %s\n", error);
    }
    o->lost_batches++;
    if (b->log_bytes >= 0 && engine_log_bytes > b->log_bytes)
        fprintf(stderr, "iotevents-mqttd: interrupted batch applied by the engine before all its actions reached the outbox: "
                        "%zu did, the other actions of messageIds %s are lost, unless the engine had taken those messages "
                        "before (a redelivery: the engine logs a call that only repeats ids too) (engine log %lld bytes then, %lld now)\n",
                b->actions, ids, b->log_bytes, engine_log_bytes);
    else
        fprintf(stderr, "iotevents-mqttd: interrupted batch, the engine's log was rewritten since: "
                        "%zu actions reached the outbox, the other actions of messageIds %s may be lost\n", b->actions, ids);
}

mqttd_outbox *mqttd_outbox_open(const char *dir, long long engine_log_bytes, mqttd_recovery *recovery, char *error,
                                size_t error_size) {
    mqttd_outbox *o = calloc(1, sizeof *o);
    if (!o) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&o->lock, NULL);
    o->fd = -1;
    o->next_sequence = 1;
    if (!dir) return o;
    size_t size = strlen(dir) + sizeof "/mqttd-outbox";
    o->path = malloc(size);
    if (!o->path) {
        snprintf(error, error_size, "out of memory");
        mqttd_outbox_close(o);
        return NULL;
    }
    snprintf(o->path, size, "%s/mqttd-outbox", dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) { /* the engine would create it too, with this mode */
        snprintf(error, error_size, "%s: %s", dir, strerror(errno));
        mqttd_outbox_close(o);
        return NULL;
    }
    FILE *file = fopen(o->path, "re");
    if (!file && errno != ENOENT) {
        snprintf(error, error_size, "%s: %s", o->path, strerror(errno));
        mqttd_outbox_close(o);
        return NULL;
    }
    open_batch *batches = NULL;
    bool loaded = !file || load(o, file, &batches, error, error_size);
    if (file) fclose(file);
    for (open_batch *b = batches, *next; b; b = next) {
        next = b->next;
        if (loaded) settle_interrupted(o, b, engine_log_bytes, recovery);
        free(b->ids);
        free(b->request);
        free(b);
    }
    if (!loaded) {
        mqttd_outbox_close(o);
        return NULL;
    }
    if (!rewrite(o, dir)) {
        snprintf(error, error_size, "%s: cannot rewrite: %s", o->path, strerror(errno));
        mqttd_outbox_close(o);
        return NULL;
    }
    return o;
}

void mqttd_outbox_close(mqttd_outbox *o) {
    if (!o) return;
    if (o->fd >= 0) {
        fdatasync(o->fd);
        close(o->fd);
    }
    for (entry *e = o->head, *next; e; e = next) {
        next = e->next;
        free_entry(e);
    }
    pthread_mutex_destroy(&o->lock);
    free(o->path);
    free(o);
}

bool mqttd_outbox_append(mqttd_outbox *o, const char *topic, const char *payload, int qos) {
    pthread_mutex_lock(&o->lock);
    entry *e = new_entry(o->next_sequence, topic, payload, qos);
    bool ok = e != NULL;
    if (ok && o->fd >= 0) ok = write_record(o, action_record(e));
    if (ok) {
        o->next_sequence++;
        e->committed = o->fd < 0; /* in memory: nothing to wait for */
        push(o, e);
        o->dirty = true;
    } else if (e) {
        free_entry(e);
    }
    pthread_mutex_unlock(&o->lock);
    return ok;
}

bool mqttd_outbox_commit(mqttd_outbox *o) {
    pthread_mutex_lock(&o->lock);
    bool ok = true;
    if (o->dirty && o->fd >= 0) ok = fdatasync(o->fd) == 0;
    if (ok) {
        for (entry *e = o->head; e; e = e->next) e->committed = true;
        o->dirty = false;
    }
    pthread_mutex_unlock(&o->lock);
    return ok;
}

uint64_t mqttd_outbox_next_unpublished(mqttd_outbox *o, const char **topic, const char **payload, int *qos) {
    pthread_mutex_lock(&o->lock);
    uint64_t sequence = 0;
    for (entry *e = o->head; e && e->committed; e = e->next)
        if (e->mid == 0) {
            *topic = e->topic;
            *payload = e->payload;
            *qos = e->qos;
            sequence = e->sequence;
            break;
        }
    pthread_mutex_unlock(&o->lock);
    return sequence;
}

void mqttd_outbox_published(mqttd_outbox *o, uint64_t sequence, int mid) {
    pthread_mutex_lock(&o->lock);
    for (entry *e = o->head; e; e = e->next)
        if (e->sequence == sequence) {
            e->mid = mid;
            break;
        }
    pthread_mutex_unlock(&o->lock);
}

/* Everything delivered, no batch open and the file large: start it again, empty. (Called with
 * the lock held, after an acknowledgement or a batch's end marker; the daemon's own engine calls
 * are made one at a time, so none is open then.) */
static void restart_if_empty(mqttd_outbox *o) {
    if (!o->head && o->fd >= 0 && o->bytes > (1 << 20) && ftruncate(o->fd, 0) == 0) {
        lseek(o->fd, 0, SEEK_SET);
        o->bytes = 0;
    }
}

bool mqttd_outbox_acknowledged(mqttd_outbox *o, int mid) {
    pthread_mutex_lock(&o->lock);
    entry **link = &o->head, *previous = NULL;
    while (*link && (*link)->mid != mid) {
        previous = *link;
        link = &(*link)->next;
    }
    entry *gone = *link;
    if (gone) {
        *link = gone->next;
        if (o->tail == gone) o->tail = previous;
        o->depth--;
        /* Not synced: a lost acknowledgement only means one more delivery after a crash. */
        if (o->fd >= 0) write_record(o, json_pack("{s:I}", "a", (json_int_t)gone->sequence));
        free_entry(gone);
        restart_if_empty(o);
    }
    pthread_mutex_unlock(&o->lock);
    return gone != NULL;
}

void mqttd_outbox_reset_published(mqttd_outbox *o) {
    pthread_mutex_lock(&o->lock);
    for (entry *e = o->head; e; e = e->next) e->mid = 0;
    pthread_mutex_unlock(&o->lock);
}

uint64_t mqttd_outbox_begin_batch(mqttd_outbox *o, const char *ids_json, const char *request_json,
                                  long long engine_log_bytes, long long epoch_ms) {
    pthread_mutex_lock(&o->lock);
    uint64_t batch = ++o->next_batch;
    json_t *ids = json_loads(ids_json, JSON_DECODE_ANY, NULL);
    if (o->fd >= 0)
        write_record(o, json_pack("{s:I, s:o, s:I, s:I, s:s?}", "b", (json_int_t)batch, "ids", ids ? ids : json_null(), "log",
                                  (json_int_t)engine_log_bytes, "t", (json_int_t)epoch_ms, "req", request_json));
    else json_decref(ids);
    pthread_mutex_unlock(&o->lock);
    return batch;
}

void mqttd_outbox_end_batch(mqttd_outbox *o, uint64_t batch) {
    pthread_mutex_lock(&o->lock);
    if (o->fd >= 0) write_record(o, json_pack("{s:I}", "e", (json_int_t)batch));
    restart_if_empty(o); /* markers alone (a model without actions) must not grow the file forever */
    pthread_mutex_unlock(&o->lock);
}

size_t mqttd_outbox_interrupted(mqttd_outbox *o) { return o->interrupted; }
size_t mqttd_outbox_lost_batches(mqttd_outbox *o) { return o->lost_batches; }
size_t mqttd_outbox_recovered_batches(mqttd_outbox *o) { return o->recovered_batches; }

size_t mqttd_outbox_depth(mqttd_outbox *o) {
    pthread_mutex_lock(&o->lock);
    size_t depth = o->depth;
    pthread_mutex_unlock(&o->lock);
    return depth;
}
