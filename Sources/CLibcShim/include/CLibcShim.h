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

/* Files of the state directory (stateDirectory). Every function returns 0 or an errno value and
 * retries EINTR itself. Descriptors are opened close-on-exec. The two values callers test for,
 * by name because errno numbers differ between architectures: */
#define IE_FILE_MISSING 2001  /* returned instead of ENOENT */
#define IE_FILE_LOCKED 2002   /* returned instead of EWOULDBLOCK / EAGAIN */
/* Creates the directory (mode 0700) unless it exists; ENOTDIR when the path is not a directory. */
int ie_dir_ensure(const char *path);
/* Takes an exclusive, non-blocking flock on the directory itself (its own descriptor, which
 * *fd_out keeps); IE_FILE_LOCKED when another open of it holds the lock (another engine, in
 * this process or another). */
int ie_lock_directory(const char *dir, int *fd_out);
void ie_fd_close(int fd);
/* Reads the whole of a file into a malloc'd buffer (free it with free); IE_FILE_MISSING when
 * there is no such file. */
int ie_file_read(const char *path, unsigned char **data_out, size_t *length_out);
/* Opens (creating, mode 0600) a file for appending; *size_out is its current size. */
int ie_file_open_append(const char *path, int *fd_out, uint64_t *size_out);
/* Writes all of data, looping over short writes. */
int ie_file_write(int fd, const void *data, size_t length);
int ie_file_sync(int fd);
int ie_file_truncate(int fd, uint64_t length);
/* Replaces dir/name atomically with data: writes dir/name.tmp, syncs it, renames it over
 * dir/name and syncs the directory, so a crash leaves either the old file or the new one. */
int ie_file_replace(const char *dir, const char *name, const void *data, size_t length);
/* Removes dir/name; a missing file is not an error. */
int ie_file_remove(const char *dir, const char *name);
/* The text of an errno value (thread-safe; valid until the next call on this thread). */
const char *ie_errno_text(int error);

#endif
