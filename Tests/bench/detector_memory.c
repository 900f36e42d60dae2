/* Memory per detector: an engine with the heartbeat model (examples/models), then N devices send
 * a heartbeat each (10 a call), so N detectors exist, each Online with its 300 s watchdog and two
 * variables. Prints, per detector, the growth of the process's resident memory (VmRSS of
 * /proc/self/status) and of malloc's bytes in use (mallinfo2: uordblks + hblkhd) from before the
 * first message to after the last, and the seconds the N messages took.
 * The messageId de-duplication window is held to 1 entry (limits.maxDedupEntries), so that its
 * ~100 bytes per remembered message are not counted as the detectors'.
 *   detector_memory MODELS_DIR N        prints "rss_bytes heap_bytes seconds" */
#define _POSIX_C_SOURCE 200809L
#define _GNU_SOURCE
#include "iotevents.h"
#include "bench_support.h"
#include "../hardening/hostile.h" /* rss_kib, heap_in_use */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODELS_DIR N\n", argv[0]); return 2; }
    long n = atol(argv[2]);
    iotevents_engine *engine = heartbeat_engine(argv[1], "{\"maxDetectorsPerModel\":100000000,\"maxDedupEntries\":1}");
    heartbeat_detectors(engine, n, 10); /* a first batch (other devices): first-use allocations */
    long rss = rss_kib() * 1024, heap = heap_in_use();
    double start = bench_seconds();
    heartbeat_detectors(engine, 0, n);
    double seconds = bench_seconds() - start;
    printf("%.0f %.0f %.2f\n", (double)(rss_kib() * 1024 - rss) / (double)n, (double)(heap_in_use() - heap) / (double)n, seconds);
    iotevents_close(engine);
    return 0;
}
