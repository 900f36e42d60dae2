/* 64-bit time_t and off_t on 32-bit glibc too (clocks past 2038, state logs over 2 GiB); they
 * are already 64-bit on 64-bit targets and on musl. Swift never sees either type. */
#define _FILE_OFFSET_BITS 64
#define _TIME_BITS 64
#define _GNU_SOURCE
#include "CLibcShim.h"

#include <locale.h>
#include <stdio.h>
#include <time.h>

_Static_assert(sizeof(time_t) == 8, "a 32-bit time_t or off_t: a glibc older than 2.34?");

int64_t ie_clock_now_millis(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static locale_t c_locale(void) {
    static locale_t loc = (locale_t)0;
    locale_t current = __atomic_load_n(&loc, __ATOMIC_ACQUIRE);
    if (current == (locale_t)0) {
        locale_t created = newlocale(LC_ALL_MASK, "C", (locale_t)0);
        locale_t expected = (locale_t)0;
        if (!__atomic_compare_exchange_n(&loc, &expected, created, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            freelocale(created);
            current = expected;
        } else {
            current = created;
        }
    }
    return current;
}

int ie_parse_double(const char *text, size_t length, double *out) {
    char small[64];
    char *buffer = length < sizeof small ? small : malloc(length + 1);
    if (buffer == NULL) return 0;
    memcpy(buffer, text, length);
    buffer[length] = '\0';
    char *end = NULL;
    double value = strtod_l(buffer, &end, c_locale());
    int ok = length > 0 && end == buffer + length;
    if (buffer != small) free(buffer);
    if (ok) *out = value;
    return ok;
}

int ie_format_double_g(double value, int precision, char *buffer, size_t capacity) {
    locale_t previous = uselocale(c_locale());
    int n = snprintf(buffer, capacity, "%.*g", precision, value);
    uselocale(previous);
    return n;
}

pthread_mutex_t *ie_mutex_create(void) {
    pthread_mutex_t *m = malloc(sizeof *m);
    if (m != NULL) pthread_mutex_init(m, NULL);
    return m;
}
void ie_mutex_destroy(pthread_mutex_t *m) {
    if (m == NULL) return;
    pthread_mutex_destroy(m);
    free(m);
}
void ie_mutex_lock(pthread_mutex_t *m) { pthread_mutex_lock(m); }
void ie_mutex_unlock(pthread_mutex_t *m) { pthread_mutex_unlock(m); }

struct ie_timer_thread {
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    pthread_t thread;
    void (*body)(ie_timer_thread *, void *);
    void *context;
    int stopped;
    int notified;
    int references; /* the thread and its owner */
};

static void timer_thread_release(ie_timer_thread *t) {
    pthread_mutex_lock(&t->mutex);
    int left = --t->references;
    pthread_mutex_unlock(&t->mutex);
    if (left == 0) {
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->mutex);
        free(t);
    }
}

static void *timer_thread_main(void *arg) {
    ie_timer_thread *t = arg;
    t->body(t, t->context);
    timer_thread_release(t);
    return NULL;
}

ie_timer_thread *ie_timer_thread_start(void (*body)(ie_timer_thread *, void *), void *context) {
    ie_timer_thread *t = calloc(1, sizeof *t);
    if (t == NULL) return NULL;
    pthread_mutex_init(&t->mutex, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_REALTIME);
    pthread_cond_init(&t->wake, &attr);
    pthread_condattr_destroy(&attr);
    t->body = body;
    t->context = context;
    t->references = 2;
    if (pthread_create(&t->thread, NULL, timer_thread_main, t) != 0) {
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->mutex);
        free(t);
        return NULL;
    }
    return t;
}

int ie_timer_thread_wait(ie_timer_thread *t, int64_t deadline_millis) {
    pthread_mutex_lock(&t->mutex);
    while (!t->stopped && !t->notified) {
        if (deadline_millis < 0) {
            pthread_cond_wait(&t->wake, &t->mutex);
        } else {
            struct timespec ts = { (time_t)(deadline_millis / 1000), (long)(deadline_millis % 1000) * 1000000L };
            if (pthread_cond_timedwait(&t->wake, &t->mutex, &ts) != 0) break; /* deadline reached */
        }
    }
    t->notified = 0;
    int running = !t->stopped;
    pthread_mutex_unlock(&t->mutex);
    return running;
}

void ie_timer_thread_notify(ie_timer_thread *t) {
    pthread_mutex_lock(&t->mutex);
    t->notified = 1;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->mutex);
}

void ie_timer_thread_stop(ie_timer_thread *t) {
    pthread_mutex_lock(&t->mutex);
    t->stopped = 1;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->mutex);
    if (pthread_equal(pthread_self(), t->thread)) {
        pthread_detach(t->thread);
    } else {
        pthread_join(t->thread, NULL);
    }
    timer_thread_release(t);
}
