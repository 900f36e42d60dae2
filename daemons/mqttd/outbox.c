/* The durable outbox (outbox.h). Why a file of its own and not the engine's log: the engine
 * forgets an action once the handler has returned from it, so the actions must be kept by the
 * daemon until the broker has acknowledged them. (The engine hands over again, at the first
 * handler set after it is reopened, the actions of a call or tick it had logged and not finished
 * handing over: include/iotevents.h, "Durable state".) */
#define _GNU_SOURCE
#include "outbox.h"
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
};

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
static bool load(mqttd_outbox *o, FILE *file, char *error, size_t error_size) {
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
        if (json_object_get(record, "b") || json_object_get(record, "e")) {
            /* A batch marker ({"b": n, ...}, {"e": n}), written around engine calls by daemons
             * before 2026-12-05 to recover the actions of an interrupted call: the engine hands
             * those over itself now. Ignored. */
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

mqttd_outbox *mqttd_outbox_open(const char *dir, char *error, size_t error_size) {
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
    bool loaded = !file || load(o, file, error, error_size);
    if (file) fclose(file);
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

/* Everything delivered and the file large: start it again, empty. (Called with the lock held,
 * after an acknowledgement.) */
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

size_t mqttd_outbox_depth(mqttd_outbox *o) {
    pthread_mutex_lock(&o->lock);
    size_t depth = o->depth;
    pthread_mutex_unlock(&o->lock);
    return depth;
}
