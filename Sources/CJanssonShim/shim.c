/* Intentionally empty: SwiftPM needs one C file per C target; everything is in the header. */
#include "CJanssonShim.h"
