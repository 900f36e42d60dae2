/* Timers across a restart with the system clock: three detectors arm timers of 3, 1 and 2
 * seconds (only a message arms: an expiry re-evaluates the events with the retained input
 * values, so the conditions test currentInput), the engine is closed at once, the process is
 * "down" for 4 seconds, and the engine is reopened. The expiries that fell due meanwhile must
 * all fire, in due order (1 s, 2 s, 3 s), on the first iotevents_tick after opening, and not
 * before it; a timer still in the future must not. The timers' remembered durations come back
 * too: a resetTimer after the restart re-arms with the duration set before it.
 *
 *   downtime STATE_DIR          prints "downtime: N passed, 0 failed"
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "iotevents.h"

static int passed, failed;
static void check(int ok, const char *what) {
    if (ok) passed++;
    else { failed++; fprintf(stderr, "FAIL %s\n", what); }
}

static const char *INPUT = "{\"inputName\":\"Delay\",\"inputDefinition\":{\"attributes\":[{\"jsonPath\":\"id\"},{\"jsonPath\":\"seconds\"},{\"jsonPath\":\"op\"}]}}";
static const char *MODEL =
    "{\"detectorModelName\":\"later\",\"key\":\"id\",\"roleArn\":\"arn:aws:iam::123456789012:role/r\","
    "\"detectorModelDefinition\":{\"initialStateName\":\"Waiting\",\"states\":["
    "{\"stateName\":\"Waiting\",\"onInput\":{\"events\":["
    "{\"eventName\":\"arm\",\"condition\":\"currentInput(\\\"Delay\\\") && $input.Delay.op == 'set'\",\"actions\":[{\"setTimer\":{\"timerName\":\"t\",\"durationExpression\":\"$input.Delay.seconds\"}}]},"
    "{\"eventName\":\"again\",\"condition\":\"currentInput(\\\"Delay\\\") && $input.Delay.op == 'reset'\",\"actions\":[{\"resetTimer\":{\"timerName\":\"t\"}}]}],"
    "\"transitionEvents\":[{\"eventName\":\"due\",\"condition\":\"timeout(\\\"t\\\")\",\"nextState\":\"Fired\","
    "\"actions\":[{\"sns\":{\"targetArn\":\"arn:aws:sns:us-east-1:123456789012:due\"}}]}]}},"
    "{\"stateName\":\"Fired\"}]}}";

static char order[256];
static void on_action(const char *action, void *payload) {
    (void)payload;
    const char *key = strstr(action, "\"keyValue\":\"");
    if (key) strncat(order, key + 12, 2), strcat(order, " ");
}

static iotevents_engine *open_dir(const char *dir) {
    char config[4200], *error = NULL;
    snprintf(config, sizeof config, "{\"clock\":\"system\",\"stateDirectory\":\"%s\",\"limits\":{\"minTimerSeconds\":1}}", dir);
    iotevents_engine *e = iotevents_open(config, &error);
    if (!e) { fprintf(stderr, "open: %s\n", error); exit(1); }
    return e;
}

static void put(iotevents_engine *e, const char *key, int seconds, const char *op) {
    char request[512], *response = NULL;
    static int n;
    snprintf(request, sizeof request, "{\"messages\":[{\"messageId\":\"m%d\",\"inputName\":\"Delay\",\"payload\":{\"id\":\"%s\",\"seconds\":%d,\"op\":\"%s\"}}]}",
             ++n, key, seconds, op);
    if (iotevents_call(e, "BatchPutMessage", request, &response) != 0 || !strstr(response, "[]")) { fprintf(stderr, "%s\n", response); exit(1); }
    iotevents_free(response);
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s STATE_DIR\n", argv[0]); return 2; }
    char command[4200];
    snprintf(command, sizeof command, "rm -rf '%s'", argv[1]);
    if (system(command) != 0) return 2;
    iotevents_engine *e = open_dir(argv[1]);
    char *response = NULL;
    iotevents_call(e, "CreateInput", INPUT, &response);
    iotevents_free(response);
    iotevents_call(e, "CreateDetectorModel", MODEL, &response);
    iotevents_free(response);
    long long armed = now_ms();
    put(e, "k1", 3, "set");
    put(e, "k2", 1, "set");
    put(e, "k3", 2, "set");
    put(e, "k4", 60, "set");
    iotevents_close(e);

    sleep(4); /* the process is down while k2, k3 and k1 fall due */

    e = open_dir(argv[1]);
    iotevents_set_action_handler(e, on_action, NULL);
    long long deadline = iotevents_next_deadline(e);
    check(deadline >= armed + 1000 && deadline <= armed + 1500, "the earliest deadline is k2's, 1 s after arming");
    check(order[0] == '\0', "nothing fires before the first tick");
    long long fired = iotevents_tick(e, -1);
    check(fired == 3, "the first tick fires the three expiries that fell due");
    check(!strcmp(order, "k2 k3 k1 "), order);
    long long next = iotevents_next_deadline(e);
    check(next >= armed + 60000 && next <= armed + 60600, "k4's timer, still in the future, stays armed");
    check(iotevents_tick(e, -1) == 0, "nothing more is due");

    /* remembered durations: k4 was set with 60 s; a resetTimer after a restart re-arms 60 s */
    iotevents_close(e);
    e = open_dir(argv[1]);
    long long before_reset = now_ms();
    put(e, "k4", 0, "reset");
    next = iotevents_next_deadline(e);
    check(next >= before_reset + 60000 && next <= before_reset + 61000, "resetTimer re-arms with the 60 s remembered across the restart");
    iotevents_close(e);
    printf("downtime: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
