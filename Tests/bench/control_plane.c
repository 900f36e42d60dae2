/* Control-plane benchmark: DescribeInput through the C ABI vs the JSON work any implementation of
 * it must do with the same jansson build (parse the request, build and dump the response).
 *   control_plane engine|baseline N
 * Run under callgrind by Tests/bench/run.sh, which subtracts a run with N = 0 (set-up cost). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "iotevents.h"

static const char *request = "{\"inputName\":\"In5\"}";

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    int n = atoi(argv[2]);
    int engine_mode = strcmp(argv[1], "engine") == 0;
    iotevents_engine *e = iotevents_open("{\"clock\":\"manual\",\"startTimeMillis\":1700000000123}", NULL);
    char *r = NULL;
    for (int i = 0; i < 10; i++) {
        char req[256];
        snprintf(req, sizeof req,
                 "{\"inputName\":\"In%d\",\"inputDescription\":\"bench\",\"inputDefinition\":{\"attributes\":[{\"jsonPath\":\"a.b\"},{\"jsonPath\":\"c\"}]}}", i);
        iotevents_call(e, "CreateInput", req, &r);
        iotevents_free(r);
    }
    /* The response the baseline must produce, obtained once. */
    iotevents_call(e, "DescribeInput", request, &r);
    json_t *response = json_loads(r, 0, NULL);
    iotevents_free(r);
    if (!response) return 1;
    for (int i = 0; i < n; i++) {
        if (engine_mode) {
            iotevents_call(e, "DescribeInput", request, &r);
            iotevents_free(r);
        } else {
            json_t *req = json_loads(request, JSON_REJECT_DUPLICATES, NULL);
            json_t *copy = json_deep_copy(response); /* building the response tree */
            char *text = json_dumps(copy, JSON_COMPACT | JSON_REAL_PRECISION(15));
            free(text);
            json_decref(copy);
            json_decref(req);
        }
    }
    json_decref(response);
    iotevents_close(e);
    return 0;
}
