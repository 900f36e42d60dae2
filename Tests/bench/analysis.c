/* Detector model analysis: instructions of StartDetectorModelAnalysis on a model of 20 states and
 * 50 variables (AWS's quotas: the largest model a client can create), counted by callgrind with
 * --toggle-collect=measured_analyses; Tests/bench/analysis.sh divides by COPIES. The model is
 * generated here so its size is exact: state i sets about 50/20 variables from the previous
 * variable and the input, and moves on to state i+1 on a condition reading a variable and the
 * input. One analysis first (first-use costs, not counted), then COPIES more.
 *   analysis COPIES */
#define _POSIX_C_SOURCE 200809L
#include "iotevents.h"
#include "bench_support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STATES = 20, VARIABLES = 50 };

/* Appends to a growing buffer (the request is a few tens of KB). */
static void add(char **buf, size_t *len, size_t *cap, const char *text) {
    size_t n = strlen(text);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        if (!*buf) { perror("realloc"); exit(1); }
    }
    memcpy(*buf + *len, text, n + 1);
    *len += n;
}

static char *model_request(void) {
    char *buf = NULL, part[512];
    size_t len = 0, cap = 0;
    add(&buf, &len, &cap, "{\"detectorModelDefinition\":{\"initialStateName\":\"S0\",\"states\":[");
    for (int s = 0; s < STATES; s++) {
        snprintf(part, sizeof part, "%s{\"stateName\":\"S%d\",\"onInput\":{\"events\":[{\"eventName\":\"set\","
                 "\"condition\":\"$input.Temp.celsius > %d\",\"actions\":[", s ? "," : "", s, s);
        add(&buf, &len, &cap, part);
        int first = 1;
        for (int v = 0; v < VARIABLES; v++) {
            if (v % STATES != s) continue;
            snprintf(part, sizeof part, "%s{\"setVariable\":{\"variableName\":\"v%d\",\"value\":\"%s%d + $input.Temp.celsius\"}}",
                     first ? "" : ",", v, v ? "$variable.v" : "", v ? v - 1 : 0);
            add(&buf, &len, &cap, part);
            first = 0;
        }
        snprintf(part, sizeof part, "]}],\"transitionEvents\":[{\"eventName\":\"next\",\"condition\":"
                 "\"$variable.v%d > 10 && $input.Temp.celsius < 100\",\"nextState\":\"S%d\"}]}}", s, (s + 1) % STATES);
        add(&buf, &len, &cap, part);
    }
    add(&buf, &len, &cap, "]}}");
    return buf;
}

/* Not inlined: callgrind counts from its entry to its return. */
__attribute__((noinline)) void measured_analyses(iotevents_engine *engine, const char *request, int count) {
    for (int i = 0; i < count; i++) must(engine, "StartDetectorModelAnalysis", request);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s COPIES\n", argv[0]); return 2; }
    int copies = atoi(argv[1]);
    char *error = NULL;
    iotevents_engine *engine = iotevents_open("{\"clock\":\"manual\",\"startTimeMillis\":1700000000000}", &error);
    if (!engine) { fprintf(stderr, "open: %s\n", error); return 1; }
    must(engine, "CreateInput", "{\"inputName\":\"Temp\",\"inputDefinition\":{\"attributes\":[{\"jsonPath\":\"celsius\"}]}}");
    char *request = model_request();
    must(engine, "StartDetectorModelAnalysis", request);
    measured_analyses(engine, request, copies);
    /* The model must analyse with no ERROR, or the row would measure an error path. */
    char *results = NULL;
    if (iotevents_call(engine, "GetDetectorModelAnalysisResults",
                       "{\"analysisId\":\"00000000-0000-4000-8000-000000000001\"}", &results) != IOTEVENTS_OK
        || strstr(results, "\"ERROR\"")) {
        fprintf(stderr, "analysis: %s\n", results ? results : "(none)");
        return 1;
    }
    iotevents_free(results);
    free(request);
    iotevents_close(engine);
    return 0;
}
