/* Host safety of a durable engine (issue 20): a log that stops taking writes, and the lock.
 *
 *   - a call whose record cannot be written (the file size limit, RLIMIT_FSIZE, reached) answers
 *     InternalFailureException; every later state-changing call is refused even once the disk
 *     takes writes again, reads still answer, and a reopen shows exactly the logged calls
 *     (with durability "always" and "groupCommit")
 *   - the timer thread, its expiry refused, sleeps instead of spinning
 *   - a tick whose record cannot be written returns -IOTEVENTS_INTERNAL_FAILURE, and so does
 *     every later tick that would change state
 *   - BatchUpdateDetector setting a timer with the manual clock at INT64_MAX: no overflow trap
 *   - a compaction that wrote its snapshot but could not start the next log: later calls are
 *     refused (the next open discards a log its snapshot covers), every acknowledged call stays
 *   - <dir>/lock unlinked while an engine has the directory (a stale-lock cleaner): a second
 *     open of the directory still gets ResourceInUseException
 *
 *   host_safety MODELS_DIR WORK_DIR        prints "host safety: N passed, 0 failed"
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iotevents.h"
#include "../c/test_files.h"
#include "detector_counter.h"

static int passed, failed;
static const char *models;

static void check(int ok, const char *what) {
    if (ok) passed++;
    else { failed++; fprintf(stderr, "FAIL %s\n", what); }
}

static const char *durability = "always";
static const char *extra_config = ""; /* more configuration keys, with a leading comma */

static iotevents_engine *open_dir(const char *dir, char **error) {
    char config[4400];
    snprintf(config, sizeof config, "{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,\"stateDirectory\":\"%s\",\"durability\":\"%s\"%s}",
             dir, durability, extra_config);
    return iotevents_open(config, error);
}

static int call(iotevents_engine *engine, const char *op, const char *request, char **response) {
    *response = NULL;
    return iotevents_call(engine, op, request, response);
}

static void must(iotevents_engine *engine, const char *op, const char *request) {
    char *response = NULL;
    if (call(engine, op, request, &response) != 0) { fprintf(stderr, "%s: %s\n", op, response); exit(2); }
    iotevents_free(response);
}

static int reading(iotevents_engine *engine, int i, char **response) {
    char request[256];
    snprintf(request, sizeof request,
             "{\"messages\":[{\"messageId\":\"m%d\",\"inputName\":\"Reading\",\"payload\":{\"id\":\"d0\"}}]}", i);
    return call(engine, "BatchPutMessage", request, response);
}

/* The counter n of detector d0, or -1 when it does not exist. */
static long counter(iotevents_engine *engine) { return test_detector_counter(engine, "d0"); }

static iotevents_engine *fresh_engine(const char *dir) {
    char command[4200];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    if (system(command) != 0) exit(2);
    char *error = NULL;
    iotevents_engine *engine = open_dir(dir, &error);
    if (!engine) { fprintf(stderr, "open %s: %s\n", dir, error); exit(2); }
    char *input = test_read_file(models, "input.json"), *model = test_read_file(models, "counter-model.json");
    must(engine, "CreateInput", input);
    must(engine, "CreateDetectorModel", model);
    free(input);
    free(model);
    return engine;
}

/* No file may grow beyond its size now: the next append to the log fails (EFBIG). */
static void limit_files_to(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) { perror(path); exit(2); }
    struct rlimit limit = {(rlim_t)st.st_size, RLIM_INFINITY};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) { perror("setrlimit"); exit(2); }
}

static void unlimit_files(void) {
    struct rlimit limit = {RLIM_INFINITY, RLIM_INFINITY};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) { perror("setrlimit"); exit(2); }
}

static void log_stops_taking_calls(const char *work) {
    char dir[4096], log[4200];
    snprintf(dir, sizeof dir, "%s/calls-%s", work, durability);
    snprintf(log, sizeof log, "%s/log", dir);
    iotevents_engine *engine = fresh_engine(dir);
    char *response;
    for (int i = 0; i < 3; i++) {
        check(reading(engine, i, &response) == 0, "a reading before the failure");
        iotevents_free(response);
    }
    limit_files_to(log);
    int status = reading(engine, 3, &response);
    check(status == IOTEVENTS_INTERNAL_FAILURE && response && strstr(response, "InternalFailureException"),
          "a call whose record cannot be written answers InternalFailureException");
    iotevents_free(response);
    unlimit_files();
    status = reading(engine, 4, &response);
    check(status == IOTEVENTS_INTERNAL_FAILURE && response && strstr(response, "reopened"),
          "later state-changing calls are refused once a record could not be written");
    iotevents_free(response);
    status = call(engine, "CreateInput", "{\"inputName\":\"Other\",\"inputDefinition\":{\"attributes\":[{\"jsonPath\":\"x\"}]}}", &response);
    check(status == IOTEVENTS_INTERNAL_FAILURE, "a control-plane call is refused too");
    iotevents_free(response);
    check(iotevents_tick(engine, 1700000100000) == -IOTEVENTS_INTERNAL_FAILURE, "a tick that would change state is refused");
    check(counter(engine) >= 3, "reads still answer");
    iotevents_close(engine);
    char *error = NULL;
    engine = open_dir(dir, &error);
    check(engine != NULL, "the directory reopens after the failure");
    if (engine) {
        check(counter(engine) == 3, "reopened, the state is the logged calls': the failed call is not there");
        check(reading(engine, 5, &response) == 0, "reopened, the engine takes calls again");
        iotevents_free(response);
        iotevents_close(engine);
    }
    iotevents_free(error);
}

static void log_stops_taking_ticks(const char *work) {
    char dir[4096], log[4200];
    snprintf(dir, sizeof dir, "%s/ticks", work);
    snprintf(log, sizeof log, "%s/log", dir);
    iotevents_engine *engine = fresh_engine(dir);
    check(iotevents_tick(engine, 1700000001000) == 0, "a tick that moves the manual clock");
    limit_files_to(log);
    check(iotevents_tick(engine, 1700000002000) == -IOTEVENTS_INTERNAL_FAILURE,
          "a tick whose record cannot be written returns -IOTEVENTS_INTERNAL_FAILURE");
    unlimit_files();
    check(iotevents_tick(engine, 1700000003000) == -IOTEVENTS_INTERNAL_FAILURE, "and so does the next tick");
    check(iotevents_tick(engine, -1) == 0, "a tick that changes nothing is not a failure");
    iotevents_close(engine);
}

static void lock_unlinked(const char *work) {
    char dir[4096], lock[4200];
    snprintf(dir, sizeof dir, "%s/lock", work);
    snprintf(lock, sizeof lock, "%s/lock", dir);
    iotevents_engine *first = fresh_engine(dir);
    unlink(lock); /* a stale-lock cleaner */
    char *error = NULL;
    iotevents_engine *second = open_dir(dir, &error);
    check(!second && error && strstr(error, "ResourceInUseException"),
          "a second open after <dir>/lock was unlinked is ResourceInUseException");
    if (second) iotevents_close(second);
    iotevents_free(error);
    iotevents_close(first);
    error = NULL;
    second = open_dir(dir, &error);
    check(second != NULL, "once the first engine is closed the directory opens");
    if (second) iotevents_close(second);
    iotevents_free(error);
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* The timer thread, once the engine refuses state changes, sleeps rather than spin on an
 * expiry that is due but can never be logged. */
static void timer_thread_sleeps_while_refused(const char *work) {
    char dir[4096], log[4200], config[4600];
    snprintf(dir, sizeof dir, "%s/timer-thread", work);
    snprintf(log, sizeof log, "%s/log", dir);
    snprintf(config, sizeof config, "{\"timerThread\":true,\"limits\":{\"minTimerSeconds\":1},\"stateDirectory\":\"%s\"}", dir);
    char command[4200];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    if (system(command) != 0) exit(2);
    char *error = NULL;
    iotevents_engine *engine = iotevents_open(config, &error);
    if (!engine) { fprintf(stderr, "open %s: %s\n", dir, error); exit(2); }
    char *input = test_read_file(models, "input.json");
    must(engine, "CreateInput", input);
    free(input);
    must(engine, "CreateDetectorModel",
         "{\"detectorModelName\":\"blink\",\"roleArn\":\"arn:aws:iam::123456789012:role/r\",\"detectorModelDefinition\":"
         "{\"initialStateName\":\"A\",\"states\":[{\"stateName\":\"A\",\"onInput\":{\"events\":[{\"eventName\":\"arm\","
         "\"condition\":\"currentInput(\\\"Reading\\\")\",\"actions\":[{\"setTimer\":{\"timerName\":\"t\",\"seconds\":1}}]}]}}]}}");
    char *response;
    check(reading(engine, 0, &response) == 0, "a reading arms a 1-second timer");
    iotevents_free(response);
    limit_files_to(log);
    check(reading(engine, 1, &response) == IOTEVENTS_INTERNAL_FAILURE, "the next reading cannot be logged");
    iotevents_free(response);
    usleep(1500 * 1000); /* the timer falls due, and its expiry is refused */
    double before = cpu_seconds();
    usleep(1000 * 1000);
    double used = cpu_seconds() - before;
    char label[160];
    snprintf(label, sizeof label, "the timer thread sleeps while the engine refuses (%.2f s of CPU in 1 s)", used);
    check(used < 0.3, label);
    unlimit_files();
    iotevents_close(engine);
}

/* The manual clock ticked to the end of time, then BatchUpdateDetector sets a timer: its
 * deadline saturates (an older library overflowed and trapped). In a child, to survive that. */
static void timer_set_at_the_end_of_time(const char *work) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/end-of-time", work);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        iotevents_engine *engine = fresh_engine(dir);
        char *response;
        if (reading(engine, 0, &response) != 0) _exit(3);
        iotevents_free(response);
        if (iotevents_tick(engine, INT64_MAX) < 0) _exit(4);
        int status = call(engine, "BatchUpdateDetector",
                          "{\"detectors\":[{\"messageId\":\"u1\",\"detectorModelName\":\"counter\",\"keyValue\":\"d0\","
                          "\"state\":{\"stateName\":\"Active\",\"variables\":[],\"timers\":[{\"name\":\"idle\",\"seconds\":60}]}}]}",
                          &response);
        iotevents_free(response);
        if (status != 0) _exit(5);
        if (iotevents_tick(engine, INT64_MAX) < 0) _exit(6);
        iotevents_close(engine);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a timer set by BatchUpdateDetector at the end of time: no trap");
}

/* A compaction writes its snapshot but cannot start the next log (here <dir>/log.tmp is a
 * directory, so the log cannot be replaced): the snapshot covers the current log, which the next
 * open discards, so no call may be acknowledged into it. The engine is killed, not closed (a
 * close would compact again and hide the loss); every acknowledged call must survive. */
static void compaction_cannot_start_the_next_log(const char *work) {
    char dir[4096], blocker[4200];
    snprintf(dir, sizeof dir, "%s/compaction", work);
    snprintf(blocker, sizeof blocker, "%s/log.tmp", dir);
    int counts[2]; /* acknowledged, refused: from the child through a pipe */
    int channel[2];
    if (pipe(channel) != 0) { perror("pipe"); exit(2); }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        extra_config = ",\"snapshotLogBytes\":4096";
        iotevents_engine *engine = fresh_engine(dir);
        if (mkdir(blocker, 0700) != 0) _exit(2);
        int mine[2] = {0, 0};
        for (int i = 0; i < 80; i++) {
            char *response;
            int status = reading(engine, i, &response);
            if (status == 0) mine[0]++;
            else if (status == IOTEVENTS_INTERNAL_FAILURE) mine[1]++;
            iotevents_free(response);
        }
        if (write(channel[1], mine, sizeof mine) != (ssize_t)sizeof mine) _exit(2);
        raise(SIGKILL);
    }
    close(channel[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (read(channel[0], counts, sizeof counts) != (ssize_t)sizeof counts) { fprintf(stderr, "compaction child failed\n"); exit(2); }
    close(channel[0]);
    check(counts[1] > 0, "calls after a compaction that could not start the next log are refused");
    rmdir(blocker);
    char *error = NULL;
    iotevents_engine *engine = open_dir(dir, &error);
    check(engine != NULL, "the directory reopens after that compaction");
    if (engine) {
        char label[128];
        long n = counter(engine);
        snprintf(label, sizeof label, "every acknowledged call survives (%d acknowledged, %ld there)", counts[0], n);
        check(n == counts[0], label);
        iotevents_close(engine);
    }
    iotevents_free(error);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODELS_DIR WORK_DIR\n", argv[0]); return 2; }
    models = argv[1];
    mkdir(argv[2], 0700);
    signal(SIGXFSZ, SIG_IGN); /* a write beyond RLIMIT_FSIZE fails with EFBIG instead */
    log_stops_taking_calls(argv[2]);
    durability = "groupCommit";
    log_stops_taking_calls(argv[2]);
    durability = "always";
    log_stops_taking_ticks(argv[2]);
    timer_thread_sleeps_while_refused(argv[2]);
    timer_set_at_the_end_of_time(argv[2]);
    compaction_cannot_start_the_next_log(argv[2]);
    lock_unlinked(argv[2]);
    printf("host safety: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
