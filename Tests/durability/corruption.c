/* Damaged state directories and what opening them gives (include/iotevents.h, "Durable state"):
 *
 *   - the log cut at every byte of its last record: the torn record is dropped, the state is
 *     that of the calls before it; cut after it, the state is complete
 *   - zeros after the last record (a tail the crash never wrote): dropped
 *   - a flipped bit in the last record: dropped like a torn write; in any earlier record, in
 *     the log header or in the snapshot: the open fails with InternalFailureException ("corrupt")
 *   - beside a snapshot, a log deleted, emptied, zero-filled, cut at the start, with its first
 *     record removed, two records swapped, a record removed from the middle, or an older log:
 *     the open fails, naming the problem (each record carries its log's epoch and a sequence
 *     number; the log is always present once a directory has been opened)
 *   - a log of format 1 (records without epoch and sequence) is read and replaced
 *   - a missing snapshot under a later log, a log or snapshot of a newer format version, a
 *     file that is not a log: the open fails, naming the problem
 *   - a logged call that fails when replayed: the open fails naming the record (its number,
 *     offset and operation), even as the last record
 *   - a snapshot with valid checksums but a value out of range (a detector's state index, a
 *     queued timer's id, a de-duplication time): the open fails naming it, no crash
 *   - a crash between writing a snapshot and starting the next log: the old log is recognised
 *     as covered, nothing is applied twice
 *   - reopened with other limits: the calls replay under the limits they ran under, then the
 *     state moves over; a model the new limits refuse fails the open, naming it
 *
 * Each damaged directory is a copy of a template written by a child process that made its calls
 * and then died without closing (so they are all still in the log).
 *
 *   corruption MODELS_DIR WORK_DIR        prints "corruption: N passed, 0 failed"
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iotevents.h"
#include "../c/test_files.h"
#include "detector_counter.h"

enum { CALLS = 12, DEVICES = 3 };
static int passed, failed;
static const char *models;

static void check(int ok, const char *what) {
    if (ok) passed++;
    else { failed++; fprintf(stderr, "FAIL %s\n", what); }
}

static void write_file(const char *path, const char *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size) { perror(path); exit(2); }
    fclose(f);
}

static void copy_dir(const char *from, const char *to) {
    char command[8192];
    snprintf(command, sizeof command, "rm -rf '%s' && cp -r '%s' '%s'", to, from, to);
    if (system(command) != 0) exit(2);
}

static const char *extra_config = ""; /* more configuration keys, with a leading comma */

static iotevents_engine *open_dir(const char *dir, char **error) {
    char config[4400];
    snprintf(config, sizeof config, "{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,\"stateDirectory\":\"%s\"%s}", dir, extra_config);
    return iotevents_open(config, error);
}

static void must(iotevents_engine *engine, const char *op, const char *request) {
    char *response = NULL;
    if (iotevents_call(engine, op, request, &response) != 0) { fprintf(stderr, "%s: %s\n", op, response); exit(2); }
    iotevents_free(response);
}

static void reading(iotevents_engine *engine, int i) {
    char request[256];
    snprintf(request, sizeof request,
             "{\"messages\":[{\"messageId\":\"m%d\",\"inputName\":\"Reading\",\"payload\":{\"id\":\"d%d\"}}]}", i, i % DEVICES);
    must(engine, "BatchPutMessage", request);
}

/* A child makes `first`..`last` readings (creating the models when `create`) and dies unclosed. */
static void calls_then_crash(const char *dir, int create, int first, int last, int close_first) {
    pid_t pid = fork();
    if (pid == 0) {
        iotevents_engine *engine = open_dir(dir, NULL);
        if (!engine) _exit(3);
        if (create) {
            char *input = test_read_file(models, "input.json"), *model = test_read_file(models, "counter-model.json");
            must(engine, "CreateInput", input);
            must(engine, "CreateDetectorModel", model);
        }
        for (int i = first; i <= last; i++) reading(engine, i);
        if (close_first) iotevents_close(engine); /* compacts: a snapshot, an empty log */
        raise(SIGKILL); /* dies as a crash would: no exit handlers, nothing flushed */
    }
    int status;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) { fprintf(stderr, "template child failed\n"); exit(2); }
}

/* "n0,n1,n2": each device's counter, "-" for a device that does not exist. */
static void fingerprint(iotevents_engine *engine, char *out, size_t cap) {
    size_t used = 0;
    for (int d = 0; d < DEVICES; d++) {
        char key[16];
        snprintf(key, sizeof key, "d%d", d);
        long n = test_detector_counter(engine, key);
        used += (size_t)snprintf(out + used, cap - used, "%s%s", d ? "," : "", n < 0 ? "-" : "");
        if (n >= 0) used += (size_t)snprintf(out + used, cap - used, "%ld", n);
    }
}

/* The counters after readings 0..last (the template's calls). */
static void expected(int last, char *out, size_t cap) {
    long n[DEVICES] = {0};
    for (int i = 0; i <= last; i++) n[i % DEVICES]++;
    size_t used = 0;
    for (int d = 0; d < DEVICES; d++) {
        used += (size_t)snprintf(out + used, cap - used, "%s", d ? "," : "");
        used += n[d] ? (size_t)snprintf(out + used, cap - used, "%ld", n[d]) : (size_t)snprintf(out + used, cap - used, "-");
    }
}

/* Opens dir; checks it opens with `want` counters, or fails with an error containing `error_part`. */
static void expect_open(const char *dir, const char *want, const char *error_part, const char *what) {
    char *error = NULL;
    iotevents_engine *engine = open_dir(dir, &error);
    char got[256] = "";
    if (engine) {
        fingerprint(engine, got, sizeof got);
        iotevents_close(engine);
    }
    char label[512];
    if (want) {
        snprintf(label, sizeof label, "%s: want %s, got %s (%s)", what, want, engine ? got : "no engine", error ? error : "");
        check(engine && !strcmp(got, want), label);
    } else {
        snprintf(label, sizeof label, "%s: want an error with '%s', got %s", what, error_part, engine ? got : (error ? error : "?"));
        check(!engine && error && strstr(error, "InternalFailureException") && strstr(error, error_part), label);
    }
    iotevents_free(error);
}

/* Offsets of the records of a log file: offsets[0..count). */
static int record_offsets(const char *log, size_t size, size_t *offsets, int cap) {
    size_t at = 24; /* the header; a frame is length, its checksum, the body's checksum, body */
    int count = 0;
    while (at + 12 <= size && count < cap) {
        uint32_t length = (uint32_t)(unsigned char)log[at] | (uint32_t)(unsigned char)log[at + 1] << 8 |
                          (uint32_t)(unsigned char)log[at + 2] << 16 | (uint32_t)(unsigned char)log[at + 3] << 24;
        offsets[count++] = at;
        at += 12 + length;
    }
    return count;
}

static uint32_t crc32c(const unsigned char *p, size_t n) {
    uint32_t crc = 0xFFFFFFFFu;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = crc & 1 ? 0x82F63B78u ^ (crc >> 1) : crc >> 1;
    }
    return crc ^ 0xFFFFFFFFu;
}

static void put_u32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static void put_u64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i)); }

/* Gives the framed record at `record` (length bytes, format 2) the sequence number `sequence`,
 * with a body checksum to match: a well-formed record, only not where it belongs. */
static void renumber(char *record, size_t length, uint64_t sequence) {
    unsigned char *r = (unsigned char *)record;
    put_u64(r + 12 + 8, sequence);
    put_u32(r + 8, crc32c(r + 12, length - 12));
}

/* The snapshot `snapshot` with the u32 at `at` set to `value` and its checksum made to match:
 * a snapshot that passes every check but the ones on what its values mean. */
static void write_patched_snapshot_bytes(const char *path, const char *snapshot, size_t size, size_t at, uint64_t value, int width) {
    unsigned char *copy = malloc(size);
    memcpy(copy, snapshot, size);
    if (width == 8) put_u64(copy + at, value);
    else put_u32(copy + at, (uint32_t)value);
    uint32_t crc = crc32c(copy + 8, 20); /* the header's fields, then the body */
    crc = ~crc;
    for (size_t i = 32; i < size; i++) {
        crc ^= copy[i];
        for (int k = 0; k < 8; k++) crc = crc & 1 ? 0x82F63B78u ^ (crc >> 1) : crc >> 1;
    }
    put_u32(copy + 28, ~crc);
    write_file(path, (const char *)copy, size);
    free(copy);
}

static void write_patched_snapshot(const char *path, const char *snapshot, size_t size, size_t at, uint32_t value) {
    write_patched_snapshot_bytes(path, snapshot, size, at, value, 4);
}

/* Opens dir in a child (an older library trapped on such a directory: the test must survive it)
 * and sends a message and a describe when it opens; passes when the open fails naming `part`. */
static void expect_refused_in_child(const char *dir, const char *part, const char *what) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        char *error = NULL;
        iotevents_engine *engine = open_dir(dir, &error);
        if (engine) {
            char got[256];
            reading(engine, 99);
            fingerprint(engine, got, sizeof got);
            _exit(5);
        }
        _exit(error && strstr(error, "InternalFailureException") && strstr(error, part) ? 0 : (fprintf(stderr, "%s\n", error ? error : "?"), 6));
    }
    int status = 0;
    waitpid(pid, &status, 0);
    char label[512];
    snprintf(label, sizeof label, "%s: want an error with '%s', got %s", what, part,
             WIFSIGNALED(status) ? "a crash" : WEXITSTATUS(status) == 5 ? "an engine" : "another error");
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, label);
}

/* `log` (format 2) rewritten in format 1, as an older libiotevents wrote it: records without
 * their epoch and sequence number. */
static void write_format_1(const char *path, const char *log, size_t size, const size_t *offsets, int records) {
    unsigned char *out = malloc(size);
    memcpy(out, log, 24);
    put_u32(out + 8, 1);
    put_u32(out + 20, crc32c(out + 8, 12));
    size_t used = 24;
    for (int r = 0; r < records; r++) {
        size_t end = r + 1 < records ? offsets[r + 1] : size, body = end - offsets[r] - 12 - 16;
        unsigned char *frame = out + used;
        memcpy(frame + 12, log + offsets[r] + 12 + 16, body);
        put_u32(frame, (uint32_t)body);
        put_u32(frame + 4, crc32c(frame, 4));
        put_u32(frame + 8, crc32c(frame + 12, body));
        used += 12 + body;
    }
    write_file(path, (const char *)out, used);
    free(out);
}

/* Writes `path` as the header of `log` followed by its records `order` (indexes into `offsets`,
 * -1 terminated), in that order, unchanged. */
static void write_records(const char *path, const char *log, size_t size, const size_t *offsets, int records, const int *order) {
    char *out = malloc(size);
    size_t used = 24;
    memcpy(out, log, 24);
    for (int k = 0; order[k] >= 0; k++) {
        int r = order[k];
        size_t end = r + 1 < records ? offsets[r + 1] : size;
        memcpy(out + used, log + offsets[r], end - offsets[r]);
        used += end - offsets[r];
    }
    write_file(path, out, used);
    free(out);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODELS_DIR WORK_DIR\n", argv[0]); return 2; }
    models = argv[1];
    const char *work = argv[2];
    char template_dir[4096], dir[4096], log_path[4200], snap_path[4200], want[256], before[256];
    snprintf(template_dir, sizeof template_dir, "%s/template", work);
    snprintf(dir, sizeof dir, "%s/damaged", work);
    snprintf(log_path, sizeof log_path, "%s/log", dir);
    snprintf(snap_path, sizeof snap_path, "%s/snapshot", dir);
    mkdir(work, 0700);
    char command[8300];
    snprintf(command, sizeof command, "rm -rf '%s'", template_dir);
    if (system(command) != 0) return 2;

    /* Template 1: every call still in the log (no snapshot). */
    calls_then_crash(template_dir, 1, 0, CALLS - 1, 0);
    expected(CALLS - 1, want, sizeof want);
    expected(CALLS - 2, before, sizeof before);
    copy_dir(template_dir, dir);
    expect_open(dir, want, NULL, "the intact log");

    size_t size;
    char *log = test_read_path(strcat(strcpy(log_path, template_dir), "/log"), &size);
    snprintf(log_path, sizeof log_path, "%s/log", dir);
    size_t offsets[64];
    int records = record_offsets(log, size, offsets, 64);
    check(records == CALLS + 2, "the template log holds its records");
    size_t last = offsets[records - 1];

    int cuts_ok = 1;
    for (size_t cut = last; cut < size; cut++) { /* torn at every byte of the last record */
        copy_dir(template_dir, dir);
        write_file(log_path, log, cut);
        int before_failed = failed;
        char what[128];
        snprintf(what, sizeof what, "the log cut at byte %zu of %zu", cut, size);
        expect_open(dir, before, NULL, what);
        if (failed != before_failed) cuts_ok = 0;
        /* and the engine goes on appending after the cut: the call can be made again */
    }
    check(cuts_ok, "every cut of the last record drops exactly that record");

    { /* zeros after the last record */
        char *padded = calloc(1, size + 4096);
        memcpy(padded, log, size);
        copy_dir(template_dir, dir);
        write_file(log_path, padded, size + 4096);
        expect_open(dir, want, NULL, "zeros after the last record");
        expect_open(dir, want, NULL, "reopened after the zeros were cut");
        free(padded);
    }
    { /* a flipped bit in the last record: torn */
        char *copy = malloc(size);
        memcpy(copy, log, size);
        copy[size - 3] ^= 0x10;
        copy_dir(template_dir, dir);
        write_file(log_path, copy, size);
        expect_open(dir, before, NULL, "a flipped bit in the last record");
        /* in every earlier record, in its length, its checksum or its body: corruption */
        int all_refused = 1;
        for (int r = 0; r < records - 1; r++) {
            size_t spots[3] = {offsets[r] + 1, offsets[r] + 9, offsets[r] + 16}; /* length, body checksum, body */
            for (int k = 0; k < 3; k++) {
                memcpy(copy, log, size);
                copy[spots[k]] ^= 0x04;
                copy_dir(template_dir, dir);
                write_file(log_path, copy, size);
                int before_failed = failed;
                char what[128];
                snprintf(what, sizeof what, "a flipped bit at byte %zu (record %d)", spots[k], r);
                expect_open(dir, NULL, "corrupt", what);
                if (failed != before_failed) all_refused = 0;
            }
        }
        check(all_refused, "a flipped bit in any record but the last is refused");
        memcpy(copy, log, size);
        copy[2] ^= 0x01;
        copy_dir(template_dir, dir);
        write_file(log_path, copy, size);
        expect_open(dir, NULL, "not a libiotevents state log", "a flipped bit in the log's magic");
        memcpy(copy, log, size);
        copy[12] ^= 0x01; /* the epoch */
        copy_dir(template_dir, dir);
        write_file(log_path, copy, size);
        expect_open(dir, NULL, "header checksum", "a flipped bit in the log's epoch");
        memcpy(copy, log, size);
        copy[8] = 9; /* format version 9 */
        copy_dir(template_dir, dir);
        write_file(log_path, copy, size);
        expect_open(dir, NULL, "newer libiotevents", "a log of a newer format version");
        free(copy);
    }
    { /* a logged call that fails when replayed (here: CreateDetectorModel again, as the last
       * record): the open fails naming the record, even though it is the last one */
        size_t length = offsets[2] - offsets[1];
        char *copy = malloc(size + length);
        memcpy(copy, log, size);
        memcpy(copy + size, log + offsets[1], length);
        renumber(copy + size, length, (uint64_t)records + 1);
        copy_dir(template_dir, dir);
        write_file(log_path, copy, size + length);
        char record_name[64];
        snprintf(record_name, sizeof record_name, "log record %d of %d (at byte %zu", records + 1, records + 1, size);
        expect_open(dir, NULL, record_name, "a last record that fails when replayed: its number and offset");
        expect_open(dir, NULL, "CreateDetectorModel) failed when replayed", "a last record that fails when replayed: its operation");
        free(copy);
    }
    /* Reopened with other limits: the log replays under the configuration it was written under,
     * then the state moves to the new one; a model the new limits refuse fails the open. */
    copy_dir(template_dir, dir);
    extra_config = ",\"limits\":{\"maxDetectorsPerModel\":2}";
    expect_open(dir, want, NULL, "reopened with a lower maxDetectorsPerModel");
    copy_dir(template_dir, dir);
    extra_config = ",\"limits\":{\"maxStatesPerModel\":1}";
    expect_open(dir, NULL, "detector model counter version 1", "reopened with limits that refuse its model");
    extra_config = "";
    expect_open(dir, want, NULL, "the refused directory, opened with its own limits again");

    copy_dir(template_dir, dir);
    write_file(log_path, "not a log at all, just some text", 32);
    expect_open(dir, NULL, "not a libiotevents state log", "a file that is not a log");

    /* Template 2: compacted (snapshot covering epoch 1), then more calls in the epoch 2 log. */
    char compacted[4096];
    snprintf(compacted, sizeof compacted, "%s/compacted", work);
    copy_dir(template_dir, compacted);
    calls_then_crash(compacted, 0, CALLS, CALLS, 1);          /* one more call, then a closing compaction */
    calls_then_crash(compacted, 0, CALLS + 1, CALLS + 4, 0);  /* three more, left in the log */
    expected(CALLS + 4, want, sizeof want);
    copy_dir(compacted, dir);
    expect_open(dir, want, NULL, "a snapshot and the log after it");
    copy_dir(compacted, dir);
    unlink(snap_path);
    expect_open(dir, NULL, "snapshot it continues is missing", "the snapshot deleted");

    /* The log beside a snapshot, damaged as a whole or record by record: every acknowledged call
     * after the snapshot would be lost silently, so the open fails. */
    {
        char compacted_log[4200];
        size_t clog_size;
        snprintf(compacted_log, sizeof compacted_log, "%s/log", compacted);
        char *clog = test_read_path(compacted_log, &clog_size);
        size_t coffsets[16];
        int crecords = clog ? record_offsets(clog, clog_size, coffsets, 16) : 0;
        check(crecords == 4, "the compacted template's log holds its four records");
        copy_dir(compacted, dir);
        unlink(log_path);
        expect_open(dir, NULL, "but no log", "the log deleted beside its snapshot");
        copy_dir(compacted, dir);
        write_file(log_path, "", 0);
        expect_open(dir, NULL, "the file is empty", "the log emptied");
        char *zeros = calloc(1, clog_size);
        copy_dir(compacted, dir);
        write_file(log_path, zeros, clog_size);
        expect_open(dir, NULL, "nothing but zeros", "the log zero-filled");
        free(zeros);
        copy_dir(compacted, dir);
        write_file(log_path, clog + 30, clog_size - 30);
        expect_open(dir, NULL, "not a libiotevents state log", "the log cut at the start (its header gone)");
        if (crecords == 4) {
            copy_dir(compacted, dir);
            write_records(log_path, clog, clog_size, coffsets, crecords, (const int[]){1, 2, 3, -1});
            expect_open(dir, NULL, "first records are missing", "the log's first record removed (the header kept)");
            copy_dir(compacted, dir);
            write_records(log_path, clog, clog_size, coffsets, crecords, (const int[]){0, 2, 1, 3, -1});
            expect_open(dir, NULL, "missing or out of order", "two records swapped");
            copy_dir(compacted, dir);
            write_records(log_path, clog, clog_size, coffsets, crecords, (const int[]){0, 1, 3, -1});
            expect_open(dir, NULL, "missing or out of order", "a record removed from the middle");
            copy_dir(compacted, dir);
            write_records(log_path, clog, clog_size, coffsets, crecords, (const int[]){0, 1, 2, -1});
            expected(CALLS + 3, before, sizeof before);
            expect_open(dir, before, NULL, "the last record removed (indistinguishable from a call never made)");
        }
        if (crecords == 4) { /* a log of format 1 is read, then replaced by a snapshot and a format-3 log */
            copy_dir(compacted, dir);
            write_format_1(log_path, clog, clog_size, coffsets, crecords);
            expected(CALLS + 4, want, sizeof want);
            expect_open(dir, want, NULL, "a log of format 1 (an older libiotevents)");
            size_t upgraded_size = 0;
            char *upgraded = test_read_path(log_path, &upgraded_size);
            check(upgraded && upgraded_size >= 24 && upgraded[8] == 3, "the format-1 log was replaced by a format-3 log");
            free(upgraded);
            expect_open(dir, want, NULL, "the upgraded directory reopened");
        }
        if (crecords == 4 && clog[8] == 3) { /* format 2 (no delivery markers): read, then replaced likewise */
            copy_dir(compacted, dir);
            unsigned char *format_2 = malloc(clog_size);
            memcpy(format_2, clog, clog_size);
            format_2[8] = 2;
            put_u32(format_2 + 20, crc32c(format_2 + 8, 12));
            write_file(log_path, (char *)format_2, clog_size);
            free(format_2);
            expected(CALLS + 4, want, sizeof want);
            expect_open(dir, want, NULL, "a log of format 2 (an older libiotevents)");
            size_t upgraded_size = 0;
            char *upgraded = test_read_path(log_path, &upgraded_size);
            check(upgraded && upgraded_size >= 24 && upgraded[8] == 3, "the format-2 log was replaced by a format-3 log");
            free(upgraded);
        }
        copy_dir(compacted, dir);
        char older[8400];
        snprintf(older, sizeof older, "cp '%s/log' '%s'", template_dir, log_path); /* epoch 2 beside a snapshot of 3 */
        if (system(older) != 0) return 2;
        expect_open(dir, NULL, "the log is older than its snapshot", "a log older than the snapshot's epoch");
        free(clog);
    }

    size_t snap_size;
    char snap_source[4200];
    snprintf(snap_source, sizeof snap_source, "%s/snapshot", compacted);
    char *snapshot = test_read_path(snap_source, &snap_size);
    check(snapshot && snap_size > 32, "the compacted template has a snapshot");
    if (snapshot) {
        char *copy = malloc(snap_size);
        int all_refused = 1;
        for (size_t at = 0; at < snap_size; at += snap_size / 40 + 1) {
            memcpy(copy, snapshot, snap_size);
            copy[at] ^= 0x20;
            copy_dir(compacted, dir);
            write_file(snap_path, copy, snap_size);
            int before_failed = failed;
            char what[128];
            snprintf(what, sizeof what, "a flipped bit at byte %zu of the snapshot", at);
            expect_open(dir, NULL, at >= 8 && at < 12 ? "newer libiotevents" : "corrupt", what);
            if (failed != before_failed) all_refused = 0;
        }
        check(all_refused, "a flipped bit anywhere in the snapshot is refused");
        copy_dir(compacted, dir);
        write_file(snap_path, snapshot, snap_size - 1);
        expect_open(dir, NULL, "corrupt", "a truncated snapshot");
        memcpy(copy, snapshot, snap_size);
        copy[8] = 7;
        copy_dir(compacted, dir);
        write_file(snap_path, copy, snap_size);
        expect_open(dir, NULL, "newer libiotevents", "a snapshot of a newer format version");
        free(copy);
        /* Valid checksums, values out of range: the detector's state index, a queued timer's id */
        const char *key = memmem(snapshot + 32, snap_size - 32, "\x02\0\0\0d0", 6);
        check(key != NULL, "the snapshot holds detector d0");
        if (key) {
            copy_dir(compacted, dir);
            write_patched_snapshot(snap_path, snapshot, snap_size, (size_t)(key - snapshot) + 6, 7);
            expect_refused_in_child(dir, "detector 'd0' of detector model counter is in state index 7, out of range", "a detector's state index out of range");
        }
        const char *entry = memmem(snapshot + 32, snap_size - 32, "\x07\0\0\0counter\x02\0\0\0d0", 17);
        check(entry != NULL, "the snapshot holds a timer entry of d0");
        if (entry) {
            copy_dir(compacted, dir);
            write_patched_snapshot(snap_path, snapshot, snap_size, (size_t)(entry - snapshot) + 17, 5);
            expect_refused_in_child(dir, "timer id 5, out of range", "a queued timer's id out of range");
        }
        /* the oldest de-duplication entry's time (the window subtracts it from the clock) */
        const char *remembered = memmem(snapshot + 32, snap_size - 32, "\x02\0\0\0m0", 6);
        check(remembered != NULL, "the snapshot remembers a messageId");
        if (remembered) {
            copy_dir(compacted, dir);
            write_patched_snapshot_bytes(snap_path, snapshot, snap_size, (size_t)(remembered - snapshot) - 8, (uint64_t)INT64_MIN, 8);
            expect_refused_in_child(dir, "a de-duplication entry at time -9223372036854775808, out of range", "a de-duplication time out of range");
        }
    }

    /* A crash inside a compaction: the new snapshot is written, the old log not yet replaced. */
    {
        char inside[4096];
        snprintf(inside, sizeof inside, "%s/inside", work);
        copy_dir(template_dir, inside);                       /* log epoch 1 with every call */
        copy_dir(template_dir, dir);
        calls_then_crash(dir, 0, CALLS, CALLS - 1, 1);        /* no call: only the compaction of close */
        char snapshot_of_all[8400];
        snprintf(snapshot_of_all, sizeof snapshot_of_all, "cp '%s/snapshot' '%s/snapshot'", dir, inside);
        if (system(snapshot_of_all) != 0) return 2;
        copy_dir(inside, dir);
        expected(CALLS - 1, want, sizeof want);
        expect_open(dir, want, NULL, "a snapshot beside the log it covers");
        expect_open(dir, want, NULL, "that directory reopened");
    }

    free(log);
    free(snapshot);
    printf("corruption: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
