/* Counts heap allocations made by the calling thread, for tests that assert a code path does not
 * allocate. Linked into the test executable only: its malloc family wraps glibc's. */
#ifndef IOTEVENTS_ALLOCATION_COUNTER_H
#define IOTEVENTS_ALLOCATION_COUNTER_H
#include <stdint.h>

/* Starts counting on this thread from zero. */
void ie_test_allocations_start(void);
/* Stops counting on this thread and returns how many allocations it made since the start. */
uint64_t ie_test_allocations_stop(void);

#endif
