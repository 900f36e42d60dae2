#define _GNU_SOURCE
#include "CLibcShim.h"

#include <locale.h>
#include <stdio.h>
#include <time.h>

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
