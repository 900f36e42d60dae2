/* Host safety of a durable engine (issue 20): a log that stops taking writes, and the lock.
 *
 *   - a call whose record cannot be written (the file size limit, RLIMIT_FSIZE, reached) answers
 *     InternalFailureException; every later state-changing call is refused even once the disk
 *     takes writes again, reads still answer, and a reopen shows exactly the logged calls
 *   - a tick whose record cannot be written returns -IOTEVENTS_INTERNAL_FAILURE, and so does
 *     every later tick that would change state
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
#include <unistd.h>

#include "iotevents.h"
#include "../c/test_files.h"

static int passed, failed;
static const char *models;

static void check(int ok, const char *what) {
    if (ok) passed++;
    else { failed++; fprintf(stderr, "FAIL %s\n", what); }
}

static iotevents_engine *open_dir(const char *dir, char **error) {
    char config[4400];
    snprintf(config, sizeof config, "{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,\"stateDirectory\":\"%s\"}", dir);
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
static long counter(iotevents_engine *engine) {
    char *response = NULL;
    long n = -1;
    if (call(engine, "DescribeDetector", "{\"detectorModelName\":\"counter\",\"keyValue\":\"d0\"}", &response) == 0) {
        json_t *doc = json_loads(response, 0, NULL);
        json_t *vars = json_object_get(json_object_get(json_object_get(doc, "detector"), "state"), "variables");
        for (size_t i = 0; i < json_array_size(vars); i++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(vars, i), "name")), "n"))
                n = atol(json_string_value(json_object_get(json_array_get(vars, i), "value")));
        json_decref(doc);
    }
    iotevents_free(response);
    return n;
}

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
    snprintf(dir, sizeof dir, "%s/calls", work);
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

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODELS_DIR WORK_DIR\n", argv[0]); return 2; }
    models = argv[1];
    mkdir(argv[2], 0700);
    signal(SIGXFSZ, SIG_IGN); /* a write beyond RLIMIT_FSIZE fails with EFBIG instead */
    log_stops_taking_calls(argv[2]);
    log_stops_taking_ticks(argv[2]);
    lock_unlinked(argv[2]);
    printf("host safety: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
