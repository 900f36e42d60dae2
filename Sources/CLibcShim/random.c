/* arc4random_buf for the C libraries that lack it. Embedded Swift's stdlib seeds Hasher with it;
 * glibc has it only since 2.36 (so a small build would not load on Debian 11, Ubuntu 22.04 or
 * Raspberry Pi OS bullseye) and musl 1.2 not at all. Hidden: the library never exports it, and
 * its own references always bind to this one, whatever the host's libc has.
 * getentropy (glibc 2.25, musl 1.1.20) returns at most 256 bytes a call. */
#define _DEFAULT_SOURCE 1
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((visibility("hidden"))) void arc4random_buf(void *buffer, size_t length) {
    unsigned char *p = buffer;
    while (length > 0) {
        size_t chunk = length < 256 ? length : 256;
        if (getentropy(p, chunk) != 0) abort();  /* as glibc's own arc4random does */
        p += chunk;
        length -= chunk;
    }
}
