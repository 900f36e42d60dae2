"""The engine: one iotevents_engine handle, its calls, its clock and its action handler."""
import ctypes
import json
import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, Literal, Optional, Tuple, overload

from . import _library, errors
from ._operations import CONFIG_KEYS

if TYPE_CHECKING:
    from ._operations import IoTEventsClient, IoTEventsDataClient, IoTSiteWiseClient
    from .client import Client


class Engine:
    """An embedded IoT Events engine.

    Keyword arguments become the configuration document of iotevents_open, with Python names
    for the keys (every key the header lists, from the generated table _operations.CONFIG_KEYS):
    clock ("system" or "manual"), start_time_millis, timer_thread, state_directory, durability
    ("always" or "groupCommit"), group_commit_millis, snapshot_log_bytes, input_projection,
    alarm_notifications, alarm_rejected_actions, region, account_id, limits (a dict with the
    library's own key names). The library checks the values. `library` is an explicit path to
    libiotevents.so. `snapshot`: text from Engine.snapshot(), the state the engine starts with.
    """

    _KEYS = {name: spec["key"] for name, spec in CONFIG_KEYS.items()}

    def __init__(self, library: Optional[str] = None, snapshot: Optional[str] = None, **config: Any) -> None:
        self._lib = _library.load(library)
        document = {}
        for name, value in config.items():
            if name not in self._KEYS:
                raise TypeError("Engine() got an unexpected keyword argument %r" % name)
            document[self._KEYS[name]] = value
        error = ctypes.c_void_p()
        handle = self._lib.iotevents_open(json.dumps(document).encode("utf-8"), ctypes.byref(error))
        text = _library.take_string(self._lib, error.value)
        if not handle:
            raise errors.from_document(json.loads(text) if text else {}, "Open")
        self._handle = handle
        self.region = config.get("region", "us-east-1")
        self._callback = None  # the CFUNCTYPE object must outlive its registration
        self._log_callback = None
        self._handler_lock = threading.Lock()
        if snapshot is not None:
            try:
                self.restore(snapshot)
            except BaseException:
                self.close()
                raise

    # -- lifetime -------------------------------------------------------------------------------

    def close(self) -> None:
        """Closes the engine; later calls raise ValueError. Closing twice is harmless."""
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            self._lib.iotevents_close(handle)
        self._callback = None
        self._log_callback = None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> bool:
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _live(self):
        if not self._handle:
            raise ValueError("the engine is closed")
        return self._handle

    # -- calls ----------------------------------------------------------------------------------

    def call_raw(self, operation: str, request_json: str) -> Tuple[int, Optional[str]]:
        """Runs one operation on a JSON text; returns (status, response JSON text)."""
        response = ctypes.c_void_p()
        status = self._lib.iotevents_call(self._live(), operation.encode("utf-8"),
                                          request_json.encode("utf-8"), ctypes.byref(response))
        return status, _library.take_string(self._lib, response.value)

    def call(self, operation: str, request: Dict[str, Any]) -> Dict[str, Any]:
        """Runs one operation on a request dict (wire form: base64 payloads, epoch seconds);
        returns the response dict or raises client.exceptions.<Code>."""
        status, text = self.call_raw(operation, json.dumps(request))
        document = json.loads(text) if text else {}
        if status != 0:
            raise errors.from_document(document, operation)
        return document

    # -- snapshots -------------------------------------------------------------------------------

    def snapshot(self) -> str:
        """The whole state as text (iotevents_snapshot): Engine(snapshot=text) or restore(text)
        gives an engine that answers and acts as this one would from here on."""
        out = ctypes.c_void_p()
        status = self._lib.iotevents_snapshot(self._live(), ctypes.byref(out))
        text = _library.take_string(self._lib, out.value)
        if status != 0:
            raise errors.from_document(json.loads(text) if text else {}, "Snapshot")
        return text or ""

    def restore(self, snapshot: str) -> None:
        """Replaces the whole state with a snapshot's (iotevents_restore); a snapshot that is
        not one, damaged or cut short raises InvalidRequestException and changes nothing."""
        if not isinstance(snapshot, str):
            raise TypeError("snapshot must be the str that Engine.snapshot() returned, not %s"
                            % type(snapshot).__name__)
        error = ctypes.c_void_p()
        status = self._lib.iotevents_restore(self._live(), snapshot.encode("utf-8"), ctypes.byref(error))
        text = _library.take_string(self._lib, error.value)
        if status != 0:
            raise errors.from_document(json.loads(text) if text else {}, "Restore")

    # -- time -----------------------------------------------------------------------------------

    def tick(self, now_millis: int = -1) -> int:
        """Moves the clock (epoch ms; -1 = now) and fires what is due, up to the engine's
        maxEvaluationsPerCall evaluations (the rest stay due: tick again while next_deadline() is
        at or before now); returns how many fired.
        Raises client.exceptions.<Code> when the library returns -status (a durable engine whose
        log cannot be written answers -IOTEVENTS_INTERNAL_FAILURE): a failure is never silent."""
        fired = self._lib.iotevents_tick(self._live(), int(now_millis))
        if fired < 0:
            status = -fired
            code = errors.CODES[status - 1] if status <= len(errors.CODES) else "InternalFailureException"
            raise errors.from_document({"__type": code, "message": "iotevents_tick returned -%d (%s)"
                                        % (status, code)}, "Tick")
        return fired

    def next_deadline(self) -> Optional[int]:
        """Epoch ms of the next expiry, or None."""
        deadline = self._lib.iotevents_next_deadline(self._live())
        return None if deadline < 0 else deadline

    # -- actions --------------------------------------------------------------------------------

    def on_action(self, callback: Optional[Callable[[Dict[str, Any]], Any]]) -> None:
        """Calls callback(action_dict) for every action document, on the thread that caused it
        (the timer thread for expiries it fires). None removes the handler. An exception in the
        callback is printed and swallowed: it cannot unwind through the library. With
        state_directory, the first on_action after opening first calls callback, before it
        returns, with the actions of calls and ticks a killed process had not finished handing
        over (at least once, in their original order; iotevents.h, "Durable state")."""
        fn = _c_callback(callback)
        self._lib.iotevents_set_action_handler(self._live(), fn, None)
        self._callback = fn if callback is not None else None

    # -- logging and counters -------------------------------------------------------------------

    def on_log(self, callback: Optional[Callable[[Dict[str, Any]], Any]]) -> None:
        """Calls callback(record_dict) for every log record the logging options ask for
        (PutLoggingOptions: enabled, level ERROR/INFO/DEBUG, detectorDebugOptions; the header's
        "Logging and counters" lists the records), on the thread that caused it, a call's records
        before its actions. None removes the handler, and the engine then writes no records.
        An exception in the callback is printed and swallowed, as for on_action."""
        fn = _c_callback(callback)
        self._lib.iotevents_set_log_handler(self._live(), fn, None)
        self._log_callback = fn if callback is not None else None

    def log_to(self, logger: Optional[Any] = None) -> None:
        """Sends the engine's log records to the `logging` module: logger "iotevents" (or the
        one given), levels mapped (ERROR, INFO, DEBUG), the message the record's logMessage, the
        whole record in the LogRecord's `iotevents` attribute. The logging options still decide
        what is written: PutLoggingOptions with enabled true."""
        from .logs import LoggingBridge
        self.on_log(LoggingBridge(logger))

    def counters(self) -> Dict[str, Any]:
        """The engine's counters since it was opened (iotevents_counters): messages accepted,
        duplicates, error entries by type, evaluations, transitions, actions by type, failed
        actions by reason, timers fired, detectors, alarms by state, log records by level, and
        the state directory's log and snapshot bytes."""
        out = ctypes.c_void_p()
        status = self._lib.iotevents_counters(self._live(), ctypes.byref(out))
        text = _library.take_string(self._lib, out.value)
        document = json.loads(text) if text else {}
        if status != 0:
            raise errors.from_document(document, "Counters")
        return document

    # For type checkers: each service's client is a Protocol of _operations.pyi (generated), whose
    # methods take the request's members as typed keyword arguments.
    @overload
    def client(self, service: Literal["iotevents"]) -> "IoTEventsClient": ...
    @overload
    def client(self, service: Literal["iotevents-data"]) -> "IoTEventsDataClient": ...
    @overload
    def client(self, service: Literal["iotsitewise"]) -> "IoTSiteWiseClient": ...
    @overload
    def client(self, service: str) -> "Client": ...

    def client(self, service: str) -> Any:
        """A boto3-shaped client: "iotevents-data", "iotevents", or "iotsitewise" (the engine's
        BatchPutAssetPropertyValue only, which feeds SiteWise-sourced alarm models)."""
        from .client import Client
        return Client(self, service)

    @property
    def library_path(self) -> str:
        """The library this engine runs on, as it was loaded (a path, or the soname)."""
        return self._lib._name

    @property
    def version(self) -> str:
        return self._lib.iotevents_version_string().decode("ascii")


def _c_callback(callback: Optional[Callable[[Dict[str, Any]], Any]]) -> Any:
    """The C function pointer for a handler taking one JSON document (an action or a log
    record): the document decoded, an exception printed and swallowed (it cannot unwind through
    the library's C frames). None gives the NULL pointer, which removes the handler. The caller
    keeps the object alive while it is registered."""
    if callback is None:
        return _library.ACTION_FN()

    def trampoline(document_json: bytes, _payload: Any) -> None:
        try:
            callback(json.loads(document_json.decode("utf-8")))
        except Exception:  # never let an exception reach the C frame
            import traceback
            traceback.print_exc()

    return _library.ACTION_FN(trampoline)
