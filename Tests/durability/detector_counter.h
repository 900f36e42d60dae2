/* The counter variable n of detector `key` of the durability tests' model "counter"
 * (Tests/durability/counter-model.json), read with DescribeDetector; -1 when it cannot be read. */
#ifndef DETECTOR_COUNTER_H
#define DETECTOR_COUNTER_H
#include "iotevents.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline long test_detector_counter(iotevents_engine *engine, const char *key) {
    char request[256], *response = NULL;
    long n = -1;
    snprintf(request, sizeof request, "{\"detectorModelName\":\"counter\",\"keyValue\":\"%s\"}", key);
    if (iotevents_call(engine, "DescribeDetector", request, &response) == 0) {
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

#endif
