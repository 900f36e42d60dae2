"""One stream message into one engine: the step every partition and every replay takes, and the
single-engine reference run too, so that they cannot differ.

The engine's clock is manual and follows the stream: before a message runs, the clock moves to
the time the stream stored it (which fires, in due order, every expiry due by then), and the
message runs at that instant. Timers that fall due between messages fire at ticks, which are
messages too (TICK_INPUT, published by the partition's owner into its own subject): the clock
moves only at the stream's times, in the stream's order, so replaying the same log from the same
snapshot gives the same state and the same actions."""
import base64
import json
from typing import Any, Dict, List, Optional

from ..engine import Engine


def open_engine(config: Dict[str, Any], snapshot: Optional[str] = None) -> Engine:
    """An Engine from a configuration in the library's key names (iotevents_open's)."""
    python_names = {key: name for name, key in Engine._KEYS.items()}
    arguments = {}
    for key, value in config.items():
        if key not in python_names:
            raise ValueError("engine.%s: not a key of the iotevents_open configuration" % key)
        arguments[python_names[key]] = value
    return Engine(snapshot=snapshot, **arguments)


def stream_millis(reply_subject: str) -> int:
    """The stream's timestamp (epoch ms) of a JetStream message, from its ack subject
    ($JS.ACK[.domain.hash].<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ns>.<pending>):
    exact, unlike a float of seconds."""
    return int(reply_subject.split(".")[-2]) // 1_000_000


def batch_request(input_name: str, payload: bytes, message_id: str) -> str:
    """The BatchPutMessage request of one message: a JSON object payload is passed as it is (the
    engine takes an object as the decoded payload), anything else as base64 (which the engine
    reports as an error entry when it is not JSON)."""
    text = payload.decode("utf-8", "replace").strip()
    if text.startswith("{"):
        try:
            json.loads(text)
            body = text
        except ValueError:
            body = json.dumps(base64.b64encode(payload).decode("ascii"))
    else:
        body = json.dumps(base64.b64encode(payload).decode("ascii"))
    return '{"messages":[{"messageId":%s,"inputName":%s,"payload":%s}]}' % (
        json.dumps(message_id), json.dumps(input_name), body)


def apply(engine: Engine, input_name: str, payload: bytes, sequence: int, millis: int) -> List[Dict[str, Any]]:
    """Runs one message (stream sequence `sequence`, stored at `millis`); returns the error
    entries the engine answered (a message it could not process is not retried: the same message
    would fail the same way on every replay)."""
    engine.tick(millis)
    status, text = engine.call_raw("BatchPutMessage", batch_request(input_name, payload, str(sequence)))
    document = json.loads(text) if text else {}
    if status != 0:
        return [{"messageId": str(sequence), "errorCode": document.get("__type", "Error"),
                 "errorMessage": document.get("message", "")}]
    entries: List[Dict[str, Any]] = document.get("BatchPutMessageErrorEntries", [])
    return entries


#: A tick: the partition's owner publishes one when an expiry is due and no message came.
TICK_INPUT = "_tick"


def apply_tick(engine: Engine, millis: int) -> None:
    """Moves the clock to the tick's stream time, firing what is due by then."""
    engine.tick(millis)
    # The tick runs at most maxEvaluationsPerCall evaluations: fire the rest at the same time.
    while True:
        deadline = engine.next_deadline()
        if deadline is None or deadline > millis or engine.tick(millis) == 0:
            break


#: Data API calls that change state travel through the stream like messages, as the input
#: "_call" (iotevents.in._call.<key>, so the server maps them to the key's partition): they are
#: then applied in order with the key's messages, replayed after a takeover, and run by the
#: single-engine reference exactly as by the partition. Operation -> its list member, the error
#: entries member of its response.
CALL_INPUT = "_call"
CALLS = {
    "BatchUpdateDetector": ("detectors", "batchUpdateDetectorErrorEntries"),
    "BatchDeleteDetector": ("detectors", "batchDeleteDetectorErrorEntries"),
    "BatchAcknowledgeAlarm": ("acknowledgeActionRequests", "errorEntries"),
    "BatchDisableAlarm": ("disableActionRequests", "errorEntries"),
    "BatchEnableAlarm": ("enableActionRequests", "errorEntries"),
    "BatchResetAlarm": ("resetActionRequests", "errorEntries"),
    "BatchSnoozeAlarm": ("snoozeActionRequests", "errorEntries"),
}


def apply_call(engine: Engine, payload: bytes, millis: int) -> str:
    """Runs a state-changing data API call that came through the stream, at its stream time;
    returns the reply document {"status": n, "body": {...}} as text."""
    engine.tick(millis)
    try:
        document = json.loads(payload)
        operation, request = document["operation"], document["request"]
        if operation not in CALLS or not isinstance(request, dict):
            raise ValueError("operation %r is not one of %s" % (operation, ", ".join(sorted(CALLS))))
    except (ValueError, KeyError, TypeError) as error:
        return json.dumps({"status": 1, "body": {"__type": "InvalidRequestException",
                                                   "message": "a _call message must be {\"operation\", \"request\"}: %s" % error}})
    status, text = engine.call_raw(operation, json.dumps(request))
    return '{"status":%d,"body":%s}' % (status, text or "{}")
