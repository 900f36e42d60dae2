/* The libc this library uses, for both build profiles (Embedded Swift has no Glibc module).
 * Small wrappers keep locale and errno handling in C, where they are simple. */
#ifndef IOTEVENTS_CLIBC_SHIM_H
#define IOTEVENTS_CLIBC_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

/* Wall clock, epoch milliseconds. */
int64_t ie_clock_now_millis(void);

/* Parses the whole of text[0..<length] as a C-locale floating-point number. Returns 1 and stores
 * the value on success, 0 when the text is not entirely a number. */
int ie_parse_double(const char *text, size_t length, double *out);

/* Formats value with printf's "%.*g" in the C locale into buffer; returns the length written. */
int ie_format_double_g(double value, int precision, char *buffer, size_t capacity);

/* A heap-allocated, default-attribute pthread mutex (Swift cannot hold pthread_mutex_t inline safely). */
pthread_mutex_t *ie_mutex_create(void);
void ie_mutex_destroy(pthread_mutex_t *mutex);
void ie_mutex_lock(pthread_mutex_t *mutex);
void ie_mutex_unlock(pthread_mutex_t *mutex);

#endif
