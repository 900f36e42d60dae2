/* A ListDetectors page filtered by state, at a scale: KEYS devices of examples/models/heartbeat.json
 * go Offline (their watchdog fires), then the first 100 come back Online; the measured calls
 * (measured_pages, counted by callgrind's --toggle-collect) ask 10 times for the Online page of
 * 100 and 10 times for an unfiltered page of 100. One filtered page is asked for before them:
 * the model's first filtered listing builds its state index (one pass over the keys). Run by
 * Tests/bench/listing.sh at two scales: the instructions of a page must not grow with the
 * detectors in other states.
 *   listing MODELS_DIR KEYS */
#define _POSIX_C_SOURCE 200809L
#include "iotevents.h"
#include "../c/test_files.h"
#include "bench_support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Not inlined: callgrind counts from its entry to its return. */
__attribute__((noinline)) void measured_pages(iotevents_engine *engine) {
    for (int i = 0; i < 10; i++) {
        must(engine, "ListDetectors", "{\"detectorModelName\":\"deviceHeartbeat\",\"stateName\":\"Online\",\"maxResults\":100}");
        must(engine, "ListDetectors", "{\"detectorModelName\":\"deviceHeartbeat\",\"maxResults\":100}");
    }
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODELS_DIR KEYS\n", argv[0]); return 2; }
    long keys = atol(argv[2]);
    iotevents_engine *engine = heartbeat_engine(argv[1], "{\"maxDetectorsPerModel\":10000000}");
    heartbeat_detectors(engine, 0, keys);
    /* Every watchdog fires: all Offline (a tick fires at most maxEvaluationsPerCall of them). */
    while (iotevents_tick(engine, 1700000000000 + 301000) > 0) {}
    must(engine, "ListDetectors", "{\"detectorModelName\":\"deviceHeartbeat\",\"stateName\":\"Online\",\"maxResults\":1}");
    heartbeat_detectors(engine, 0, 100); /* the first 100 are Online again: the index follows them */
    measured_pages(engine);
    iotevents_close(engine);
    return 0;
}
