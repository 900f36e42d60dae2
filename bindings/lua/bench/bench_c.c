/*
 * bench_c.c -- the C baseline of make bench-lua: the same workload as bench.lua, through
 * iotevents_call directly. CALLS BatchPutMessage requests of 10 messages each on the heartbeat
 * model, over 1,000 device keys; the request text is formatted per call, as a C host would.
 *
 *   bench_c MODELS_DIR CALLS   ->  prints "CALLS SECONDS" (process CPU time)
 */
#define _POSIX_C_SOURCE 200809L
#include <iotevents.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *read_file(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    if (text == NULL || fread(text, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    text[n] = '\0';
    fclose(f);
    return text;
}

static void call_or_die(iotevents_engine *e, const char *op, const char *request) {
    char *response = NULL;
    int status = iotevents_call(e, op, request, &response);
    if (status != IOTEVENTS_OK || strstr(response, "errorCode") != NULL) {
        fprintf(stderr, "%s failed (%d): %s\n", op, status, response);
        exit(1);
    }
    iotevents_free(response);
}

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s MODELS_DIR CALLS\n", argv[0]);
        return 2;
    }
    long calls = atol(argv[2]);
    char *error = NULL;
    iotevents_engine *e = iotevents_open("{\"clock\":\"manual\",\"startTimeMillis\":1700000000000}", &error);
    if (e == NULL) {
        fprintf(stderr, "open: %s\n", error);
        return 1;
    }
    char *input = read_file(argv[1], "heartbeat-input.json");
    char *model = read_file(argv[1], "heartbeat.json");
    call_or_die(e, "CreateInput", input);
    call_or_die(e, "CreateDetectorModel", model);
    free(input);
    free(model);

    static char request[4096];
    double start = cpu_seconds();
    for (long i = 0; i < calls; i++) {
        size_t n = (size_t)snprintf(request, sizeof request, "{\"messages\":[");
        for (int j = 0; j < 10; j++) {
            long id = i * 10 + j;
            n += (size_t)snprintf(request + n, sizeof request - n,
                                  "%s{\"messageId\":\"m%ld\",\"inputName\":\"Heartbeat\","
                                  "\"payload\":{\"deviceId\":\"dev-%ld\",\"battery\":%ld}}",
                                  j ? "," : "", id, id % 1000, id % 100);
        }
        snprintf(request + n, sizeof request - n, "]}");
        call_or_die(e, "BatchPutMessage", request);
    }
    double seconds = cpu_seconds() - start;
    iotevents_close(e);
    printf("%ld %.6f\n", calls, seconds);
    return 0;
}
