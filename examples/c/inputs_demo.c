/* The main example until detector models arrive: open an engine, create inputs, list them.
 *   make demo */
#include <stdio.h>
#include <stdlib.h>

#include "iotevents.h"

static int run(iotevents_engine *engine, const char *operation, const char *request) {
    char *response = NULL;
    int status = iotevents_call(engine, operation, request, &response);
    printf("%s -> %s\n  %s\n", operation, status == IOTEVENTS_OK ? "OK" : iotevents_strerror(status), response);
    iotevents_free(response);
    return status;
}

int main(void) {
    char *error = NULL;
    iotevents_engine *engine = iotevents_open("{\"clock\": \"manual\", \"startTimeMillis\": 1700000000000}", &error);
    if (engine == NULL) {
        fprintf(stderr, "iotevents_open failed: %s\n", error);
        iotevents_free(error);
        return 1;
    }
    printf("libiotevents %s\n", iotevents_version_string());
    run(engine, "CreateInput",
        "{\"inputName\": \"HeartbeatInput\", \"inputDescription\": \"device heartbeats\","
        " \"inputDefinition\": {\"attributes\": [{\"jsonPath\": \"deviceId\"}, {\"jsonPath\": \"battery\"}]}}");
    run(engine, "CreateInput",
        "{\"inputName\": \"TemperatureInput\", \"inputDefinition\": {\"attributes\": [{\"jsonPath\": \"sensor.id\"},"
        " {\"jsonPath\": \"sensor.`value C`\"}]}, \"tags\": [{\"key\": \"site\", \"value\": \"plant-7\"}]}");
    /* Bad input gets a clear error, never a crash. */
    run(engine, "CreateInput", "{\"inputName\": \"9lives\", \"inputDefinition\": {\"attributes\": [{\"jsonPath\": \"x\"}]}}");
    run(engine, "ListInputs", "{\"maxResults\": 1}");
    run(engine, "ListInputs", "{}");
    run(engine, "ListTagsForResource",
        "{\"resourceArn\": \"arn:aws:iotevents:us-east-1:123456789012:input/TemperatureInput\"}");
    iotevents_close(engine);
    return 0;
}
