/* Model load: instructions of CreateDetectorModel (counted by callgrind with
 * --toggle-collect=measured_creates; Tests/bench/report.sh divides by COPIES). The model of
 * MODEL_FILE is created once first (first-use costs, not counted), then COPIES more times under
 * other names (detectorModelName with a suffix -0, -1, ...), each a whole request document as a
 * client would send it (limits.maxDetectorModels and maxModelsPerInput raised to 1000 for them).
 * INPUT_FILE..., when given, are created first (CreateInput).
 *   model_load MODEL_FILE COPIES [INPUT_FILE...] */
#define _POSIX_C_SOURCE 200809L
#include "iotevents.h"
#include "bench_support.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* Not inlined: callgrind counts from its entry to its return. */
__attribute__((noinline)) void measured_creates(iotevents_engine *engine, char **requests, int count) {
    for (int i = 0; i < count; i++) must(engine, "CreateDetectorModel", requests[i]);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s MODEL_FILE COPIES [INPUT_FILE...]\n", argv[0]); return 2; }
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
    must(engine, "CreateDetectorModel", text);
    measured_creates(engine, requests, copies);
    for (int i = 0; i < copies; i++) free(requests[i]);
    free(requests);
    free(text);
    json_decref(model);
    iotevents_close(engine);
    return 0;
}
