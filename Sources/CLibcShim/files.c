/* The state directory's file operations: small, errno-returning wrappers so that the Swift side
 * handles one integer per call and never sees errno, EINTR or short writes. */
/* 64-bit time_t and off_t on 32-bit glibc too (clocks past 2038, state logs over 2 GiB); they
 * are already 64-bit on 64-bit targets and on musl. Swift never sees either type. */
#define _FILE_OFFSET_BITS 64
#define _TIME_BITS 64
#define _GNU_SOURCE
#include "CLibcShim.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(sizeof(time_t) == 8 && sizeof(off_t) == 8, "a 32-bit time_t or off_t: a glibc older than 2.34?");

static int join(char *out, size_t capacity, const char *dir, const char *name, const char *suffix) {
    int n = snprintf(out, capacity, "%s/%s%s", dir, name, suffix);
    return n < 0 || (size_t)n >= capacity ? ENAMETOOLONG : 0;
}

static int open_retrying(const char *path, int flags, mode_t mode) {
    int fd;
    do { fd = open(path, flags | O_CLOEXEC, mode); } while (fd < 0 && errno == EINTR);
    return fd;
}

int ie_dir_ensure(const char *path) {
    if (mkdir(path, 0700) == 0) return 0;
    if (errno != EEXIST) return errno;
    struct stat st;
    if (stat(path, &st) != 0) return errno;
    return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

/* The lock is on the directory itself, not on a file in it: a file can be unlinked under the
 * engine (by a stale-lock cleaner), after which a second engine would create and lock a new one;
 * the directory cannot go while it holds files. flock conflicts between open file descriptions,
 * so a second open in the same process is kept out too. */
int ie_lock_directory(const char *dir, int *fd_out) {
    int fd = open_retrying(dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) return errno;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        int rc = errno == EAGAIN || errno == EWOULDBLOCK ? IE_FILE_LOCKED : errno;
        close(fd);
        return rc;
    }
    *fd_out = fd;
    return 0;
}

void ie_fd_close(int fd) {
    if (fd >= 0) close(fd);
}

int ie_file_read(const char *path, unsigned char **data_out, size_t *length_out) {
    int fd = open_retrying(path, O_RDONLY, 0);
    if (fd < 0) return errno == ENOENT ? IE_FILE_MISSING : errno;
    struct stat st;
    if (fstat(fd, &st) != 0) { int e = errno; close(fd); return e; }
    size_t length = (size_t)st.st_size;
    unsigned char *data = malloc(length ? length : 1);
    if (!data) { close(fd); return ENOMEM; }
    size_t done = 0;
    while (done < length) {
        ssize_t n = read(fd, data + done, length - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { int e = n < 0 ? errno : EIO; free(data); close(fd); return e; }
        done += (size_t)n;
    }
    close(fd);
    *data_out = data;
    *length_out = length;
    return 0;
}

int ie_file_open_append(const char *path, int *fd_out, uint64_t *size_out) {
    int fd = open_retrying(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0) return errno;
    struct stat st;
    if (fstat(fd, &st) != 0) { int e = errno; close(fd); return e; }
    *fd_out = fd;
    *size_out = (uint64_t)st.st_size;
    return 0;
}

int ie_file_write(int fd, const void *data, size_t length) {
    const unsigned char *p = data;
    while (length > 0) {
        ssize_t n = write(fd, p, length);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        if (n == 0) return EIO;
        p += n;
        length -= (size_t)n;
    }
    return 0;
}

int ie_file_sync(int fd) {
    while (fdatasync(fd) != 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
}

int ie_file_truncate(int fd, uint64_t length) {
    while (ftruncate(fd, (off_t)length) != 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
}

static int sync_directory(const char *dir) {
    int fd = open_retrying(dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) return errno;
    int rc = 0;
    while (fsync(fd) != 0) {
        if (errno != EINTR) { rc = errno; break; }
    }
    close(fd);
    return rc;
}

int ie_file_replace(const char *dir, const char *name, const void *data, size_t length) {
    char path[PATH_MAX], temporary[PATH_MAX];
    int rc = join(path, sizeof path, dir, name, "");
    if (!rc) rc = join(temporary, sizeof temporary, dir, name, ".tmp");
    if (rc) return rc;
    int fd = open_retrying(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return errno;
    rc = ie_file_write(fd, data, length);
    if (!rc) {
        while (fsync(fd) != 0) {
            if (errno != EINTR) { rc = errno; break; }
        }
    }
    close(fd);
    if (!rc && rename(temporary, path) != 0) rc = errno;
    if (rc) { unlink(temporary); return rc; }
    return sync_directory(dir);
}

int ie_file_remove(const char *dir, const char *name) {
    char path[PATH_MAX];
    int rc = join(path, sizeof path, dir, name, "");
    if (rc) return rc;
    if (unlink(path) != 0 && errno != ENOENT) return errno;
    return 0;
}

/* strerror_r comes in two variants: GNU's (glibc with _GNU_SOURCE) returns the text, possibly
 * not in buffer; XSI's (musl, the BSDs) returns 0 or an error number and fills buffer. The type
 * of the call's result picks the right reading, so one source serves both C libraries (reading
 * musl's int as a pointer returned NULL, and a failed stateDirectory open crashed the host). */
static const char *gnu_strerror_text(char *text, char *buffer) { (void)buffer; return text ? text : "Unknown error"; }
static const char *xsi_strerror_text(int rc, char *buffer) { return rc == 0 ? buffer : "Unknown error"; }

const char *ie_errno_text(int error) {
    static __thread char buffer[128];
    if (error == IE_FILE_MISSING) error = ENOENT;
    if (error == IE_FILE_LOCKED) error = EWOULDBLOCK;
    buffer[0] = 0;
    return _Generic(strerror_r(error, buffer, sizeof buffer),
                    char *: gnu_strerror_text, int: xsi_strerror_text)(strerror_r(error, buffer, sizeof buffer), buffer);
}
