/* detector_demo.c -- run the heartbeat detector model (examples/models/heartbeat*.json) against a
 * scripted stream of messages, on a manual clock, and watch two devices go Offline and Online;
 * then the boiler alarm model (examples/models/boiler*.json): an operator acknowledges and
 * snoozes an overpressure alarm.
 *
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/detector_demo.c -o /tmp/detector-demo \
 *      -Lbuild/standard -liotevents -Wl,-rpath,$PWD/build/standard
 *   /tmp/detector-demo examples/models
 *
 * The script: dev-1 and dev-2 send a heartbeat at t=0 and t=100 s; dev-1 also at t=200 s. The
 * clock then moves in 50 s steps up to t=700 s: each device goes Offline 300 s after its last
 * heartbeat (dev-2 at 400 s, dev-1 at 500 s). At t=750 s dev-2 comes back Online.
 *
 * The alarm script: boiler b-7 reads 6 bar (NORMAL), 9.5 bar (ACTIVE: the alarm action publishes
 * and the operator is notified), the operator acknowledges (ACKNOWLEDGED), the pressure falls
 * (NORMAL), rises again (ACTIVE), the operator snoozes it for 10 minutes (SNOOZE_DISABLED: readings
 * are ignored), and when the snooze runs out it is NORMAL again.
 *
 * Everything the library returns is a JSON document; this program parses none of it with a JSON
 * library, it only picks out a few string members with strstr (good enough for a demo). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iotevents.h>

#define START_MILLIS INT64_C(1700000000000)

/* ---------------------------------------------------------------------------------------------
 * Tiny helpers
 * ------------------------------------------------------------------------------------------- */

/* Finds the string member "key":"..." at or after `from` and copies its value to out, undoing the
 * \" and \\ escapes (other escapes are copied as they are). Returns out, or "?" when absent. */
static const char *string_member(const char *from, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *p = from ? strstr(from, pattern) : NULL;
    if (p == NULL || size == 0) return "?";
    p += strlen(pattern);
    size_t n = 0;
    while (*p != '\0' && *p != '"' && n + 1 < size) {
        if (p[0] == '\\' && (p[1] == '"' || p[1] == '\\')) p++;
        out[n++] = *p++;
    }
    out[n] = '\0';
    return out;
}

/* Reads a whole file into a malloc'd, NUL-terminated string, or returns NULL. */
static char *read_file(const char *dir, const char *name) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return NULL;
    }
    char *text = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)) != NULL) {
        size_t got = fread(text, 1, (size_t)size, f);
        text[got] = '\0';
    }
    fclose(f);
    if (text == NULL) fprintf(stderr, "%s: cannot read\n", path);
    return text;
}

/* Runs one operation. On success returns the response document (free it with iotevents_free);
 * on failure prints the status and the error document and returns NULL. */
static char *call(iotevents_engine *engine, const char *operation, const char *request) {
    char *response = NULL;
    int status = iotevents_call(engine, operation, request, &response);
    if (status != IOTEVENTS_OK) {
        fprintf(stderr, "%s failed: %s: %s\n", operation, iotevents_strerror(status),
                response ? response : "(no document)");
        iotevents_free(response);
        return NULL;
    }
    return response;
}

/* Same as call() for operations whose response we do not need. Returns 0 on success. */
static int call_ok(iotevents_engine *engine, const char *operation, const char *request) {
    char *response = call(engine, operation, request);
    iotevents_free(response);
    return response ? 0 : -1;
}

/* ---------------------------------------------------------------------------------------------
 * The action handler: the library calls it once per executed external action (sns,
 * iotTopicPublish, ...), after the engine's lock is released. action_json is only valid during
 * the call. Here we print the action type, where it came from, and its payload.
 * ------------------------------------------------------------------------------------------- */

static void on_action(const char *action_json, void *user) {
    int *count = user;
    char type[64], state[130], event[130], payload[2048];
    const char *source = strstr(action_json, "\"source\":{");
    ++*count;
    if (strstr(action_json, "\"alarmModelName\"") != NULL) {
        /* Alarm actions name the alarm's new state; their source has no event. */
        printf("    action #%d %s  alarm now %s\n", *count,
               string_member(action_json, "type", type, sizeof type),
               string_member(source, "stateName", state, sizeof state));
        return;
    }
    printf("    action #%d %s  from %s/%s  payload %s\n", *count,
           string_member(action_json, "type", type, sizeof type),
           string_member(source, "stateName", state, sizeof state),
           string_member(source, "eventName", event, sizeof event),
           string_member(action_json, "payload", payload, sizeof payload));
}

/* ---------------------------------------------------------------------------------------------
 * The scripted stream
 * ------------------------------------------------------------------------------------------- */

static const char *const devices[] = {"dev-1", "dev-2"};
#define DEVICE_COUNT (sizeof devices / sizeof devices[0])

/* Sends one heartbeat of `device` on the Heartbeat input. Returns 0 on success. */
static int heartbeat(iotevents_engine *engine, const char *device, int battery) {
    static unsigned message_number; /* message ids must be unique for 5 minutes (de-duplication) */
    char request[256];
    snprintf(request, sizeof request,
             "{\"messages\":[{\"messageId\":\"msg-%u\",\"inputName\":\"Heartbeat\","
             "\"payload\":{\"deviceId\":\"%s\",\"battery\":%d}}]}",
             ++message_number, device, battery);
    char *response = call(engine, "BatchPutMessage", request);
    if (response == NULL) return -1;
    /* A per-message failure (unknown input, bad key, ...) is an entry in the response, not a
     * failed call: an empty list means every message was accepted. */
    int ok = strstr(response, "\"BatchPutMessageErrorEntries\":[]") != NULL;
    if (!ok) fprintf(stderr, "BatchPutMessage rejected a message: %s\n", response);
    iotevents_free(response);
    return ok ? 0 : -1;
}

/* Moves the manual clock to START + seconds; due timers fire now (and their actions print). */
static int advance_to(iotevents_engine *engine, int seconds) {
    int64_t fired = iotevents_tick(engine, START_MILLIS + (int64_t)seconds * 1000);
    if (fired < 0) {
        fprintf(stderr, "iotevents_tick failed: %s\n", iotevents_strerror((int)-fired));
        return -1;
    }
    return 0;
}

/* Prints "t=+400s  dev-1 Online  dev-2 Offline" from DescribeDetector responses. */
static int print_states(iotevents_engine *engine, int seconds) {
    printf("t=+%ds", seconds);
    for (size_t i = 0; i < DEVICE_COUNT; i++) {
        char request[128], state[130];
        snprintf(request, sizeof request,
                 "{\"detectorModelName\":\"deviceHeartbeat\",\"keyValue\":\"%s\"}", devices[i]);
        char *response = call(engine, "DescribeDetector", request);
        if (response == NULL) return -1;
        printf("  %s %s", devices[i], string_member(response, "stateName", state, sizeof state));
        iotevents_free(response);
    }
    printf("\n");
    return 0;
}

/* Creates the input and the detector model, then plays the script. Returns 0 on success. */
static int run(iotevents_engine *engine, const char *models_dir) {
    char *input = read_file(models_dir, "heartbeat-input.json");
    char *model = read_file(models_dir, "heartbeat.json");
    int rc = -1;
    if (input == NULL || model == NULL) goto done;
    if (call_ok(engine, "CreateInput", input) != 0) goto done;
    if (call_ok(engine, "CreateDetectorModel", model) != 0) goto done;

    for (int t = 0; t <= 700; t += 50) {
        if (advance_to(engine, t) != 0) goto done;
        int battery = 100 - t / 50;
        if (t <= 200 && t % 100 == 0 && heartbeat(engine, "dev-1", battery) != 0) goto done;
        if (t <= 100 && t % 100 == 0 && heartbeat(engine, "dev-2", battery) != 0) goto done;
        if (print_states(engine, t) != 0) goto done;
    }
    /* dev-2 comes back. */
    if (advance_to(engine, 750) != 0) goto done;
    if (heartbeat(engine, "dev-2", 80) != 0) goto done;
    if (print_states(engine, 750) != 0) goto done;
    rc = 0;
done:
    free(input);
    free(model);
    return rc;
}

/* ---------------------------------------------------------------------------------------------
 * The alarm
 * ------------------------------------------------------------------------------------------- */

/* Sends one pressure reading of boiler b-7. */
static int pressure(iotevents_engine *engine, double bar) {
    static unsigned message_number;
    char request[256];
    snprintf(request, sizeof request,
             "{\"messages\":[{\"messageId\":\"bar-%u\",\"inputName\":\"BoilerPressure\","
             "\"payload\":{\"boilerId\":\"b-7\",\"bar\":%.1f}}]}",
             ++message_number, bar);
    return call_ok(engine, "BatchPutMessage", request);
}

/* An operator action on b-7's alarm: "Acknowledge" or "Snooze" (with a duration and a note). */
static int operator_action(iotevents_engine *engine, const char *action, const char *extra) {
    static unsigned request_number;
    char operation[64], request[512];
    snprintf(operation, sizeof operation, "Batch%sAlarm", action);
    snprintf(request, sizeof request,
             "{\"%c%sActionRequests\":[{\"requestId\":\"op-%u\",\"alarmModelName\":\"boilerOverpressure\","
             "\"keyValue\":\"b-7\"%s}]}",
             action[0] - 'A' + 'a', action + 1, ++request_number, extra);
    char *response = call(engine, operation, request);
    if (response == NULL) return -1;
    /* A refused action (say, acknowledging an alarm that is not active) is an error entry. */
    int ok = strcmp(response, "{}") == 0;
    if (!ok) fprintf(stderr, "%s refused: %s\n", operation, response);
    iotevents_free(response);
    return ok ? 0 : -1;
}

static int print_alarm(iotevents_engine *engine, const char *what) {
    char state[64];
    char *response = call(engine, "DescribeAlarm", "{\"alarmModelName\":\"boilerOverpressure\",\"keyValue\":\"b-7\"}");
    if (response == NULL) return -1;
    printf("%-34s b-7 %s\n", what, string_member(response, "stateName", state, sizeof state));
    iotevents_free(response);
    return 0;
}

static int run_alarm(iotevents_engine *engine, const char *models_dir) {
    char *input = read_file(models_dir, "boiler-input.json");
    char *model = read_file(models_dir, "boiler-alarm.json");
    int rc = -1;
    if (input == NULL || model == NULL) goto done;
    if (call_ok(engine, "CreateInput", input) != 0) goto done;
    if (call_ok(engine, "CreateAlarmModel", model) != 0) goto done;
    printf("\nboiler alarm (overpressure above 8 bar)\n");
    if (pressure(engine, 6.0) != 0 || print_alarm(engine, "6.0 bar") != 0) goto done;
    if (pressure(engine, 9.5) != 0 || print_alarm(engine, "9.5 bar") != 0) goto done;
    if (operator_action(engine, "Acknowledge", ",\"note\":\"on my way\"") != 0 ||
        print_alarm(engine, "operator acknowledges") != 0) goto done;
    if (pressure(engine, 7.0) != 0 || print_alarm(engine, "7.0 bar") != 0) goto done;
    if (pressure(engine, 9.0) != 0 || print_alarm(engine, "9.0 bar") != 0) goto done;
    if (operator_action(engine, "Snooze", ",\"snoozeDuration\":600,\"note\":\"valve work\"") != 0 ||
        print_alarm(engine, "operator snoozes it for 600 s") != 0) goto done;
    if (pressure(engine, 9.9) != 0 || print_alarm(engine, "9.9 bar while snoozed") != 0) goto done;
    if (advance_to(engine, 750 + 600) != 0 || print_alarm(engine, "600 s later") != 0) goto done;
    rc = 0;
done:
    free(input);
    free(model);
    return rc;
}

int main(int argc, char **argv) {
    const char *models_dir = argc > 1 ? argv[1] : "examples/models";

    /* A manual clock: time moves only when we call iotevents_tick, so the run is repeatable. */
    char *error = NULL;
    iotevents_engine *engine =
        iotevents_open("{\"clock\":\"manual\",\"startTimeMillis\":1700000000000}", &error);
    if (engine == NULL) {
        fprintf(stderr, "iotevents_open failed: %s\n", error ? error : "(no document)");
        iotevents_free(error);
        return 1;
    }
    printf("libiotevents %s, heartbeat model from %s\n", iotevents_version_string(), models_dir);

    int actions = 0;
    iotevents_set_action_handler(engine, on_action, &actions);
    int rc = run(engine, models_dir);
    if (rc == 0) rc = run_alarm(engine, models_dir);
    if (rc == 0) printf("%d actions\n", actions);

    iotevents_close(engine);
    return rc == 0 ? 0 : 1;
}
