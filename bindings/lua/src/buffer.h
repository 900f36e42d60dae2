/*
 * buffer.h -- a growable byte buffer in malloc'd memory: the encoder never allocates Lua memory,
 * so it cannot raise, and nothing it built can leak when an error is raised afterwards.
 * Appending is inline (the encoder appends byte by byte); growing and freeing are in buffer.c.
 */
#ifndef IOTEVENTS_LUA_BUFFER_H
#define IOTEVENTS_LUA_BUFFER_H

#include <stddef.h>
#include <string.h>

typedef struct ie_buf {
    char *data;
    size_t len, cap;
    int oom; /* an allocation failed: the content is incomplete */
} ie_buf;

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* Grows b to hold extra more bytes (and one to spare); 0, with oom set, when it cannot. */
int ie_buf_grow(ie_buf *b, size_t extra);
/* Frees the content; b is then empty and usable again. */
void ie_buf_free(ie_buf *b);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

static inline int ie_buf_reserve(ie_buf *b, size_t extra) {
    if (b->oom)
        return 0;
    if (b->cap - b->len > extra)
        return 1;
    return ie_buf_grow(b, extra);
}

static inline void ie_buf_add(ie_buf *b, const char *s, size_t n) {
    if (ie_buf_reserve(b, n)) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    }
}

static inline void ie_buf_char(ie_buf *b, char c) {
    if (ie_buf_reserve(b, 1))
        b->data[b->len++] = c;
}

#endif /* IOTEVENTS_LUA_BUFFER_H */
