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

/* A background thread that sleeps until a deadline or a notification (the engine's timer thread).
 * The body runs on the new thread and loops on ie_timer_thread_wait until it returns 0. */
typedef struct ie_timer_thread ie_timer_thread;
/* Starts the thread; NULL when it cannot be created. */
ie_timer_thread *ie_timer_thread_start(void (*body)(ie_timer_thread *thread, void *context), void *context);
/* Sleeps until deadline_millis (epoch ms of the wall clock; negative: until notified) or until
 * notified; a notification sent before the wait is not lost. Returns 0 once stopped, else 1. */
int ie_timer_thread_wait(ie_timer_thread *thread, int64_t deadline_millis);
/* Wakes the thread (the earliest deadline may have changed). */
void ie_timer_thread_notify(ie_timer_thread *thread);
/* Stops the thread and waits for its body to return, unless called from the thread itself
 * (then it only marks it stopped). Frees the object once both sides are done with it. */
void ie_timer_thread_stop(ie_timer_thread *thread);

#endif
