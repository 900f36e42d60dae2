/* Model load: instructions of CreateDetectorModel (counted by callgrind with
 * --toggle-collect=measured_creates; Tests/bench/report.sh divides by COPIES). The model of
 * MODEL_FILE is created once first (first-use costs, not counted), then COPIES more times under
 * other names (detectorModelName with a suffix -0, -1, ...), each a whole request document as a
 * client would send it (limits.maxDetectorModels and maxModelsPerInput raised to 1000 for them).
 * INPUT_FILE..., when given, are created first (CreateInput).
 * baseline: the JSON work any implementation must do for the same requests with the same
 * jansson build instead (parse each request, copy and dump the response the engine gave the
 * first create), as make bench's DescribeInput row does.
 *   model_load engine|baseline MODEL_FILE COPIES [INPUT_FILE...] */
#define _POSIX_C_SOURCE 200809L
#include "iotevents.h"
#include "bench_support.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long sink;

/* Not inlined: callgrind counts from its entry to its return. With a `response`, the baseline. */
__attribute__((noinline)) void measured_creates(iotevents_engine *engine, char **requests, int count, json_t *response) {
    for (int i = 0; i < count; i++) {
        if (!response) { must(engine, "CreateDetectorModel", requests[i]); continue; }
        json_t *parsed = json_loads(requests[i], JSON_REJECT_DUPLICATES, NULL), *copy = json_deep_copy(response);
        char *text = json_dumps(copy, JSON_COMPACT | JSON_REAL_PRECISION(15));
        sink += (long)strlen(text) + (long)json_object_size(parsed);
        free(text);
        json_decref(copy);
        json_decref(parsed);
    }
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s engine|baseline MODEL_FILE COPIES [INPUT_FILE...]\n", argv[0]); return 2; }
    int baseline = strcmp(argv[1], "baseline") == 0;
    argv++;
    argc--;
    int copies = atoi(argv[2]);
    char *error = NULL;
    iotevents_engine *engine = iotevents_open("{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,"
                                              "\"limits\":{\"maxDetectorModels\":1000,\"maxModelsPerInput\":1000}}", &error);
    if (!engine) { fprintf(stderr, "open: %s\n", error); return 1; }
    for (int i = 3; i < argc; i++) {
        char *input = test_read_path(argv[i], NULL);
        if (!input) { perror(argv[i]); return 2; }
        must(engine, "CreateInput", input);
        free(input);
    }
    char *text = test_read_path(argv[1], NULL);
    if (!text) { perror(argv[1]); return 2; }
    json_t *model = json_loads(text, 0, NULL);
    const char *name = json_string_value(json_object_get(model, "detectorModelName"));
    if (!name) { fprintf(stderr, "%s: no detectorModelName\n", argv[1]); return 2; }
    char **requests = malloc((size_t)copies * sizeof *requests), renamed[256];
    snprintf(renamed, sizeof renamed, "%s", name);
    for (int i = 0; i < copies; i++) {
        char copy_name[300];
        snprintf(copy_name, sizeof copy_name, "%.200s-%d", renamed, i);
        json_object_set_new(model, "detectorModelName", json_string(copy_name));
        requests[i] = json_dumps(model, JSON_COMPACT);
    }
    char *first = NULL;
    if (iotevents_call(engine, "CreateDetectorModel", text, &first) != IOTEVENTS_OK) { fprintf(stderr, "%s\n", first); return 1; }
    json_t *response = baseline ? json_loads(first, 0, NULL) : NULL;
    iotevents_free(first);
    measured_creates(engine, requests, copies, response);
    json_decref(response);
    for (int i = 0; i < copies; i++) free(requests[i]);
    free(requests);
    free(text);
    json_decref(model);
    iotevents_close(engine);
    return sink == -1;
}
