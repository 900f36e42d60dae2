/*
 * buffer.c -- growing and freeing an ie_buf (buffer.h).
 */
#include "binding.h"

#include <stdint.h>
#include <stdlib.h>

/* Called by ie_buf_reserve when b is not oom and has no room for extra bytes and one more. */
int ie_buf_grow(ie_buf *b, size_t extra) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= extra) {
        if (cap > SIZE_MAX / 2) {
            b->oom = 1;
            return 0;
        }
        cap *= 2;
    }
    char *data = realloc(b->data, cap);
    if (data == NULL) {
        b->oom = 1;
        return 0;
    }
    b->data = data;
    b->cap = cap;
    return 1;
}

void ie_buf_free(ie_buf *b) {
    free(b->data);
    memset(b, 0, sizeof *b);
}
