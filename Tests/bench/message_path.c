/* The message path against the JSON work any implementation of it must do (issue 25): CALLS
 * BatchPutMessage calls of 10 messages over KEYS keys of examples/models heartbeat.json and
 * threshold.json (messages alternate Heartbeat and Temperature; temperatures cycle through 60..95,
 * so detectors change state and some messages send an sns action to a no-op handler).
 *
 *   message_path engine|baseline MODELS_DIR CALLS KEYS small|large|heartbeat [wall]
 *
 * small: ~50-byte payloads, base64 as boto3 sends them. large: ~1 KB payloads, every other one
 * base64, the others as JSON objects (the engine accepts both). heartbeat: the requests of
 * Tests/bench/heartbeat_workload.c byte for byte (every message a Heartbeat of dev-(n % KEYS)).
 * wall: prints the messages per second of the measured phase (clock_gettime; the throughput row
 * of Tests/bench/report.sh) instead of leaving it to callgrind.
 * engine:   iotevents_call for each request.
 * baseline: what the engine cannot avoid: parse the request with jansson, decode each base64
 *           payload and parse it (object payloads come parsed), read the two attributes, build
 *           and dump the (empty) error-entry response.
 * Requests are written first; CALLS calls then warm up (with KEYS <= 10 x CALLS every key gets
 * its detectors), and
 * the same number more are measured: under callgrind, --toggle-collect=measured_calls counts
 * just those (Tests/bench/message_path.sh divides by the messages).
 * MESSAGE_PATH_LOGGING=ERROR|INFO|DEBUG (engine mode): a log handler that only counts the
 * records' bytes, and PutLoggingOptions at that level (Tests/bench/logging.sh); unset or "handler"
 * with no level: the handler alone, logging left disabled.
 */
#define _POSIX_C_SOURCE 200809L
#include "iotevents.h"
#include "../c/test_files.h"
#include "bench_support.h"
#include "json_baseline.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REQUEST_BYTES = 24000 };

static void batch_request(char *buffer, long call, long keys, int large) {
    static char pad[901];
    memset(pad, 'x', 900);
    size_t used = (size_t)snprintf(buffer, REQUEST_BYTES, "{\"messages\":[");
    for (int m = 0; m < 10; m++) {
        long n = call * 10 + m;
        char payload[1200], encoded[1700];
        int heartbeat = m % 2 == 0;
        if (heartbeat)
            snprintf(payload, sizeof payload, "{\"deviceId\":\"dev-%ld\",\"battery\":%ld%s%s%s}", n % keys, n % 100,
                     large ? ",\"pad\":\"" : "", large ? pad : "", large ? "\"" : "");
        else
            snprintf(payload, sizeof payload, "{\"sensorId\":\"s-%ld\",\"celsius\":%ld%s%s%s}", n % keys, 60 + (n / 10) % 36,
                     large ? ",\"pad\":\"" : "", large ? pad : "", large ? "\"" : "");
        const char *input = heartbeat ? "Heartbeat" : "Temperature";
        if (large && m % 4 >= 2) {
            used += (size_t)snprintf(buffer + used, REQUEST_BYTES - used,
                                     "%s{\"messageId\":\"%ld\",\"inputName\":\"%s\",\"payload\":%s}", m ? "," : "", n, input, payload);
        } else {
            base64(payload, encoded);
            used += (size_t)snprintf(buffer + used, REQUEST_BYTES - used,
                                     "%s{\"messageId\":\"%ld\",\"inputName\":\"%s\",\"payload\":\"%s\"}", m ? "," : "", n, input, encoded);
        }
    }
    snprintf(buffer + used, REQUEST_BYTES - used, "]}");
}

static size_t log_bytes;
static void count_log(const char *log_json, void *payload) {
    (void)payload;
    log_bytes += strlen(log_json);
}

static void ignore_action(const char *action_json, void *payload) {
    (void)payload;
    baseline_sink += (long)strlen(action_json);
}

static void run_calls(iotevents_engine *engine, const char *requests, long first, long count) {
    for (long call = first; call < first + count; call++) {
        if (engine) must(engine, "BatchPutMessage", requests + call * REQUEST_BYTES);
        else message_baseline(requests + call * REQUEST_BYTES);
    }
}

/* The measured phase: callgrind collects only inside this function. */
__attribute__((noinline)) void measured_calls(iotevents_engine *engine, const char *requests, long first, long count) {
    run_calls(engine, requests, first, count);
}

int main(int argc, char **argv) {
    if (argc != 6 && !(argc == 7 && strcmp(argv[6], "wall") == 0)) {
        fprintf(stderr, "usage: %s engine|baseline MODELS_DIR CALLS KEYS small|large|heartbeat [wall]\n", argv[0]);
        return 2;
    }
    int engine_mode = strcmp(argv[1], "engine") == 0;
    long calls = atol(argv[3]), keys = atol(argv[4]);
    int large = strcmp(argv[5], "large") == 0, heartbeat = strcmp(argv[5], "heartbeat") == 0;
    char *requests = malloc((size_t)(2 * calls) * REQUEST_BYTES);
    if (!requests) return 1;
    for (long call = 0; call < 2 * calls; call++) {
        if (heartbeat) heartbeat_request(requests + call * REQUEST_BYTES, REQUEST_BYTES, call, keys);
        else batch_request(requests + call * REQUEST_BYTES, call, keys, large);
    }
    unbase64_init();
    iotevents_engine *engine = NULL;
    if (engine_mode) {
        char *error = NULL;
        engine = iotevents_open("{\"clock\":\"manual\",\"startTimeMillis\":1700000000000,"
                                                  "\"limits\":{\"maxPayloadBytes\":2048}}", &error);
        if (!engine) { fprintf(stderr, "open: %s\n", error); return 1; }
        iotevents_set_action_handler(engine, ignore_action, NULL);
        const char *files[] = {"heartbeat-input.json", "threshold-input.json", "heartbeat.json", "threshold.json"};
        for (int i = 0; i < 4; i++) {
            char *text = test_read_file(argv[2], files[i]);
            must(engine, i < 2 ? "CreateInput" : "CreateDetectorModel", text);
            free(text);
        }
        const char *logging = getenv("MESSAGE_PATH_LOGGING");
        if (logging && *logging) {
            iotevents_set_log_handler(engine, count_log, NULL);
            if (strcmp(logging, "handler") != 0) {
                char options[200];
                snprintf(options, sizeof options, "{\"loggingOptions\":{\"roleArn\":\"arn:aws:iam::123456789012:role/l\","
                         "\"level\":\"%s\",\"enabled\":true}}", logging);
                must(engine, "PutLoggingOptions", options);
            }
        }
    }
    run_calls(engine, requests, 0, calls);
    double start = bench_seconds();
    measured_calls(engine, requests, calls, calls);
    double seconds = bench_seconds() - start;
    if (argc == 7) printf("%.0f\n", (double)calls * 10 / seconds);
    if (engine) iotevents_close(engine);
    free(requests);
    return baseline_sink == -1;
}
