/* What the kill harnesses share (crash_harness.c, redelivery.c): a repeatable random sequence,
 * a fatal failure, the durable engine they open, and the child's pipe writes to the parent.
 * Each includes it after defining KILL_HARNESS_NAME and START. */
#ifndef KILL_HARNESS_H
#define KILL_HARNESS_H
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "iotevents.h"

static uint64_t rng;

/* xorshift64: the same seed gives the same kill points on every machine. */
static uint64_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int below(int n) { return (int)(next_random() % (uint64_t)n); }

static void fail(const char *what, const char *detail) {
    fprintf(stderr, KILL_HARNESS_NAME ": FAIL %s %s\n", what, detail ? detail : "");
    exit(1);
}

/* A manual-clock engine on `dir`, snapshotting every `snapshot_log_bytes` of log. */
static iotevents_engine *open_durable_engine(const char *dir, int group_commit, long snapshot_log_bytes, char **error) {
    char config[4200];
    snprintf(config, sizeof config,
             "{\"clock\":\"manual\",\"startTimeMillis\":%lld,\"stateDirectory\":\"%s\",\"durability\":\"%s\","
             "\"snapshotLogBytes\":%ld}",
             (long long)START, dir, group_commit ? "groupCommit" : "always", snapshot_log_bytes);
    return iotevents_open(config, error);
}

/* The child's line to the parent, whole (a short write is retried); a broken pipe ends the child. */
static void say(int fd, const char *line) {
    size_t n = strlen(line);
    while (n > 0) {
        ssize_t w = write(fd, line, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) _exit(3);
        line += w;
        n -= (size_t)w;
    }
}

/* The child of kill run `run`: what it does until killed, writing its lines to `fd`. */
typedef void (*kill_child_fn)(const char *models, const char *dir, int run, int group_commit, int64_t now, int fd);

/* Forks the child of run `run` (its random sequence its own, from the run's number) and waits for
 * its "READY" line: it has the directory and is about to work. Returns its pid; *read_fd is the
 * parent's end of the pipe. */
static pid_t start_child(kill_child_fn child, const char *models, const char *dir, int run, int group_commit, int64_t now,
                         int *read_fd) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) fail("pipe", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) fail("fork", strerror(errno));
    if (pid == 0) {
        close(pipe_fds[0]);
        rng ^= (uint64_t)run * 0x9E3779B97F4A7C15u;
        child(models, dir, run, group_commit, now, pipe_fds[1]);
        _exit(0);
    }
    close(pipe_fds[1]);
    char ready[6] = {0};
    if (read(pipe_fds[0], ready, 6) != 6 || strncmp(ready, "READY\n", 6)) fail("child", "did not get ready");
    *read_fd = pipe_fds[0];
    return pid;
}

#endif
