/* The C shim's libc portability, built straight from Sources/CLibcShim with each C library at
 * hand (make check-libc-shim: glibc's gcc and musl-gcc, and every cross target under qemu):
 *  - ie_errno_text gives the text of an errno with both strerror_r variants (GNU's returns the
 *    text, XSI's - musl's - an int: read as a pointer it was NULL and crashed the host);
 *  - arc4random_buf exists (the shim's own, for glibc < 2.36 and musl) and fills its buffer.
 *
 *   libc_shim        prints "libc-shim: N passed, 0 failed" or the failures, exits non-zero on any */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "CLibcShim.h"

void arc4random_buf(void *buffer, size_t length);

static int passed, failed;
static void check(int ok, const char *what, const char *detail) {
    if (ok) passed++;
    else { failed++; printf("FAIL %s: %s\n", what, detail ? detail : "(null)"); }
}

static void text_is(int error, const char *expected) {
    const char *text = ie_errno_text(error);
    char what[64];
    snprintf(what, sizeof what, "ie_errno_text(%d)", error);
    check(text != NULL && strcmp(text, expected) == 0, what, text);
}

int main(void) {
    text_is(ENOENT, "No such file or directory");
    text_is(ENOTDIR, "Not a directory");
    text_is(IE_FILE_MISSING, "No such file or directory");
    const char *unknown = ie_errno_text(99999);  /* each libc words it its own way, but says something */
    check(unknown != NULL && unknown[0] != 0, "ie_errno_text(99999)", unknown);

    /* 600 bytes: more than one getentropy call (256 at most); all zero has odds 2^-4800 */
    unsigned char a[600], b[600];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    arc4random_buf(a, sizeof a);
    arc4random_buf(b, sizeof b);
    int nonzero_tail = 0;
    for (size_t i = 512; i < sizeof a; i++) nonzero_tail |= a[i];
    check(nonzero_tail != 0, "arc4random_buf fills past 512 bytes", "the tail stayed zero");
    check(memcmp(a, b, sizeof a) != 0, "arc4random_buf gives new bytes each call", "two calls gave the same bytes");
    arc4random_buf(a, 0);  /* nothing to do, must not fail */

    printf("libc-shim: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
