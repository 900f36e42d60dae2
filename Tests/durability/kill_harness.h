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

#endif
