"""Finding and loading libiotevents.so, and the C signatures of its ABI (include/iotevents.h)."""
import ctypes
import os

#: The action handler's C type: void (*)(const char *action_json, void *payload).
ACTION_FN = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)


def _candidates(path):
    """Where the library may be, in the order the package documents: an explicit path, then
    $IOTEVENTS_LIBRARY, then a copy bundled in the package, then the soname."""
    if path:
        yield path
        return
    env = os.environ.get("IOTEVENTS_LIBRARY")
    if env:
        yield env
        return
    bundled = os.path.join(os.path.dirname(__file__), "lib", "libiotevents.so.0")
    if os.path.exists(bundled):
        yield bundled
    yield "libiotevents.so.0"


def load(path=None):
    """Loads the library with ctypes.CDLL (which releases the GIL during calls, so callbacks from
    the library's timer thread cannot deadlock) and declares every function used."""
    errors = []
    for candidate in _candidates(path):
        try:
            lib = ctypes.CDLL(candidate)
        except OSError as e:
            errors.append("%s: %s" % (candidate, e))
            continue
        _declare(lib)
        return lib
    raise OSError("cannot load libiotevents: " + "; ".join(errors))


def _declare(lib):
    # Strings the library returns are c_void_p so that they can be handed back to iotevents_free.
    lib.iotevents_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.iotevents_open.restype = ctypes.c_void_p
    lib.iotevents_close.argtypes = [ctypes.c_void_p]
    lib.iotevents_close.restype = None
    lib.iotevents_call.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.iotevents_call.restype = ctypes.c_int
    lib.iotevents_tick.argtypes = [ctypes.c_void_p, ctypes.c_int64]
    lib.iotevents_tick.restype = ctypes.c_int64
    lib.iotevents_next_deadline.argtypes = [ctypes.c_void_p]
    lib.iotevents_next_deadline.restype = ctypes.c_int64
    lib.iotevents_set_action_handler.argtypes = [ctypes.c_void_p, ACTION_FN, ctypes.c_void_p]
    lib.iotevents_set_action_handler.restype = None
    lib.iotevents_set_log_handler.argtypes = [ctypes.c_void_p, ACTION_FN, ctypes.c_void_p]
    lib.iotevents_set_log_handler.restype = None
    lib.iotevents_counters.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.iotevents_counters.restype = ctypes.c_int
    lib.iotevents_snapshot.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.iotevents_snapshot.restype = ctypes.c_int
    lib.iotevents_restore.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.iotevents_restore.restype = ctypes.c_int
    lib.iotevents_free.argtypes = [ctypes.c_void_p]
    lib.iotevents_free.restype = None
    lib.iotevents_version_string.argtypes = []
    lib.iotevents_version_string.restype = ctypes.c_char_p


def take_string(lib, pointer):
    """The text of a string the library returned, which is then freed."""
    if not pointer:
        return None
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        lib.iotevents_free(pointer)
