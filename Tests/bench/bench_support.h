/* What the C benchmark programs share: a call that must succeed, and base64 as boto3 sends
 * payloads. Header-only (static functions), included by each program. */
#ifndef BENCH_SUPPORT_H
#define BENCH_SUPPORT_H

#include "iotevents.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* iotevents_call, or exit(1) printing the error document. */
static void must(iotevents_engine *engine, const char *operation, const char *request) {
    char *response = NULL;
    int status = iotevents_call(engine, operation, request, &response);
    if (status != IOTEVENTS_OK) { fprintf(stderr, "%s: %s\n", operation, response); exit(1); }
    iotevents_free(response);
}

static const char base64_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The base64 text of the string `in` into `out` (room for 4/3 of it, plus 4). */
static void base64(const char *in, char *out) {
    size_t n = strlen(in), o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)in[i] << 16;
        if (i + 1 < n) v |= (unsigned char)in[i + 1] << 8;
        if (i + 2 < n) v |= (unsigned char)in[i + 2];
        out[o++] = base64_digits[(v >> 18) & 63];
        out[o++] = base64_digits[(v >> 12) & 63];
        out[o++] = i + 1 < n ? base64_digits[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? base64_digits[v & 63] : '=';
    }
    out[o] = '\0';
}

#endif
