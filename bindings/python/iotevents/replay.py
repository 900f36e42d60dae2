"""`iotevents replay`: messages a fleet sent, replayed on a manual clock that follows their
timestamps, and a transcript of what the engine did with them.

The messages are JSON Lines: `inputName`, `payload` (a JSON object, or base64 text as in a
BatchPutMessage request), optional `timestamp` (epoch ms; a message without one is sent at the
previous one's time) and optional `messageId` (default `replay-<line>`). Before each message the
clock moves to its timestamp one due expiry at a time, so a timer between two messages fires at
its own due time and its effects are stamped with it.

The transcript has one entry per thing that happened, in order: a detector or alarm `created`,
a `transition` (state from -> to), a `variable` set to a new value, an `action` the engine handed
to the host, a message `error`. Within one message or one expiry, the changes of each detector
come first, then the actions, in the order the engine ran them. Detectors are watched through the public API: after a message,
those of the models that read its input (ListInputRoutings) and its key (DescribeDetector); after
an expiry, those whose timers were due (DescribeDetector reports their timers)."""
import base64
import difflib
import heapq
import json
import sys
import time
from typing import IO, Any, Dict, Iterable, Iterator, List, Optional, Set, Tuple

from .engine import Engine
from .errors import ClientError

Entry = Dict[str, Any]


def read_messages(lines: Iterable[str]) -> Iterator[Tuple[int, Dict[str, Any]]]:
    """(line number, message) for every non-blank line; ValueError naming the line otherwise."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            message = json.loads(line)
        except ValueError as error:
            raise ValueError("line %d: not JSON: %s" % (number, error)) from None
        if not isinstance(message, dict) or not isinstance(message.get("inputName"), str):
            raise ValueError("line %d: a message needs an inputName (a string)" % number)
        if not isinstance(message.get("payload"), (dict, str)):
            raise ValueError("line %d: payload must be a JSON object or base64 text" % number)
        timestamp = message.get("timestamp")
        if timestamp is not None and (not isinstance(timestamp, int) or isinstance(timestamp, bool)):
            raise ValueError("line %d: timestamp must be an integer (epoch ms)" % number)
        yield number, message


def _path_value(payload: Any, path: str) -> Optional[str]:
    """The detector key a payload gives for a key path such as `motor.id` (None when absent)."""
    value = payload
    for segment in path.replace("`", "").split("."):
        if not isinstance(value, dict) or segment not in value:
            return None
        value = value[segment]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value)


class _Watched:
    """What the transcript last saw of one detector or alarm."""

    __slots__ = ("state", "variables")

    def __init__(self, state: str, variables: Dict[str, str]) -> None:
        self.state = state
        self.variables = variables


class Replayer:
    """Replays messages on `engine` (opened with the manual clock) and collects the transcript."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.transcript: List[Entry] = []
        self._time = 0
        # Engine time minus message time (see replay()); the transcript shows message times.
        self.offset = 0
        # The latest time the state directory shows (creations and updates, epoch ms).
        self.state_time = 0
        self._actions: List[Dict[str, Any]] = []
        self._seen: Dict[Tuple[str, str, str], _Watched] = {}  # (kind, model, key) -> last seen
        # (timer deadline, kind, model, key or "", keyed): the detectors to look at after an expiry
        self._due: List[Tuple[int, str, str, str, bool]] = []
        self._timers: Dict[Tuple[str, str, str], Set[int]] = {}  # deadlines each detector has now
        self._routes: Dict[str, List[Tuple[str, str, Optional[str]]]] = {}
        engine.on_action(self._actions.append)
        self._watch_existing()

    # -- the models and their keys ----------------------------------------------------------------

    def _pages(self, operation: str, request: Dict[str, Any], member: str) -> Iterator[Dict[str, Any]]:
        token = None
        while True:
            page = self.engine.call(operation, dict(request, **({"nextToken": token} if token else {})))
            yield from page.get(member, [])
            token = page.get("nextToken")
            if not token:
                return

    def _model_key(self, kind: str, name: str) -> Optional[str]:
        if kind == "detector":
            model = self.engine.call("DescribeDetectorModel", {"detectorModelName": name})
            key = model["detectorModel"]["detectorModelConfiguration"].get("key")
        else:
            key = self.engine.call("DescribeAlarmModel", {"alarmModelName": name}).get("key")
        return str(key) if key else None

    def _routes_of(self, input_name: str) -> List[Tuple[str, str, Optional[str]]]:
        """(kind, model name, key path) of every model that reads `input_name`."""
        if input_name not in self._routes:
            routes = []
            try:
                routed = list(self._pages("ListInputRoutings", {
                    "inputIdentifier": {"iotEventsInputIdentifier": {"inputName": input_name}}}, "routedResources"))
            except ClientError:
                routed = []  # no such input: BatchPutMessage reports it
            for resource in routed:
                kind = "alarm" if ":alarmModel/" in resource.get("arn", "") else "detector"
                routes.append((kind, resource["name"], self._model_key(kind, resource["name"])))
            self._routes[input_name] = routes
        return self._routes[input_name]

    @property
    def queued_timer_checks(self) -> int:
        """Deadlines queued for a look: those still to come (bounded by the timers running and
        the resets within one timer's duration, not by the messages sent)."""
        return len(self._due)

    def begin(self, start: int, first_message: Optional[int]) -> bool:
        """Sets the clock for messages that start at `first_message` (epoch ms). A state
        directory's clock never goes back: when it already shows a later time (models imported
        today, a fleet's log from before the shutdown), the messages run shifted forward by
        `offset`, their intervals kept, and are reported at their own times. True when shifted."""
        if first_message is not None and first_message < self.state_time:
            self.offset = self.state_time - first_message + 1000
        self._time = start + self.offset
        return self.offset > 0

    def _saw(self, summary: Dict[str, Any]) -> None:
        for member in ("creationTime", "lastUpdateTime"):
            if isinstance(summary.get(member), (int, float)):
                self.state_time = max(self.state_time, int(round(summary[member] * 1000)))

    def _watch_existing(self) -> None:
        """What the state directory already holds, so that only changes are reported, and the
        latest time it shows."""
        for found in self._pages("ListInputs", {}, "inputSummaries"):
            self._saw(found)
        for kind, Kind in (("detector", "Detector"), ("alarm", "Alarm")):
            for model in self._pages("List%sModels" % Kind, {}, "%sModelSummaries" % kind):
                self._saw(model)
                name = model["%sModelName" % kind]
                for summary in self._pages("List%ss" % Kind, {"%sModelName" % kind: name}, "%sSummaries" % kind):
                    self._saw(summary)
                    self._look(kind, name, summary.get("keyValue"), report=False)

    # -- looking at one detector or alarm ---------------------------------------------------------

    def _queue_timers(self, model: str, key: Optional[str], timers: List[Dict[str, Any]]) -> None:
        """Remembers when the detector's running timers are due, queueing each deadline once: a
        timer reset by every message would otherwise leave an entry (and a look) per message."""
        identity = ("detector", model, key or "")
        due = {int(round(timer["timestamp"] * 1000)) for timer in timers}
        for deadline in due - self._timers.get(identity, set()):
            heapq.heappush(self._due, (deadline, "detector", model, key or "", key is not None))
        self._timers[identity] = due

    def _look(self, kind: str, model: str, key: Optional[str], report: bool = True) -> None:
        request: Dict[str, Any] = {("detectorModelName" if kind == "detector" else "alarmModelName"): model}
        if key is not None:
            request["keyValue"] = key
        try:
            if kind == "detector":
                found = self.engine.call("DescribeDetector", request)["detector"]
                state = found["state"]["stateName"]
                variables = {v["name"]: v["value"] for v in found["state"].get("variables", [])}
                self._queue_timers(model, key, found["state"].get("timers", []))
            else:
                found = self.engine.call("DescribeAlarm", request)["alarm"]
                state = found["alarmState"]["stateName"]
                variables = {}
        except ClientError:
            return  # not created (the message did not reach it), or deleted
        identity = (kind, model, key or "")
        before = self._seen.get(identity)
        self._seen[identity] = _Watched(state, variables)
        if not report:
            return
        where = {"kind": kind, "model": model, "key": key}
        if before is None:
            self._emit(dict(where, event="created", state=state))
        elif before.state != state:
            self._emit(dict(where, event="transition", **{"from": before.state, "to": state}))
        old = before.variables if before else {}
        for name in sorted(variables):
            if old.get(name) != variables[name]:
                self._emit(dict(where, event="variable", name=name, value=variables[name], previous=old.get(name)))

    def _emit(self, entry: Entry) -> None:
        self.transcript.append(dict(entry, time=self._time - self.offset))

    def _flush_actions(self) -> None:
        for action in self._actions:
            source = action.get("source", {})
            alarm = "alarmModelName" in source
            self._emit({
                "event": "action", "kind": "alarm" if alarm else "detector",
                "model": source.get("alarmModelName" if alarm else "detectorModelName"),
                "key": source.get("keyValue"), "type": action.get("type"), "state": source.get("stateName"),
                "eventName": source.get("eventName"), "action": action.get("action"),
                "payload": action.get("payload"), "error": action.get("error"),
            })
        del self._actions[:]

    # -- time and messages ------------------------------------------------------------------------

    def advance(self, time: int) -> None:
        """Moves the clock to `time`, one due expiry at a time, reporting what each changed."""
        while True:
            deadline = self.engine.next_deadline()
            if deadline is None or deadline > time:
                break
            self._time = max(self._time, deadline)
            while self.engine.tick(deadline) > 0:
                pass
            while self._due and self._due[0][0] <= deadline:
                due, kind, model, key, keyed = heapq.heappop(self._due)
                if due in self._timers.get((kind, model, key), ()):  # else reset or re-armed since
                    self._look(kind, model, key if keyed else None)
            self._flush_actions()
        self._time = max(self._time, time)
        self.engine.tick(time)
        # What is still queued up to `time` was reset or re-armed (the engine fired the rest above):
        # dropped, so the queue holds only deadlines to come, not one entry per message ever sent.
        while self._due and self._due[0][0] <= time:
            heapq.heappop(self._due)
        self._flush_actions()

    def send(self, number: int, message: Dict[str, Any]) -> None:
        """One message, at its timestamp, as a BatchPutMessage of one."""
        if message.get("timestamp") is not None:
            self.advance(message["timestamp"] + self.offset)
        payload = message["payload"]
        encoded = base64.b64encode(json.dumps(payload).encode()).decode() if isinstance(payload, dict) else payload
        entry: Dict[str, Any] = {"messageId": str(message.get("messageId", "replay-%d" % number)),
                                 "inputName": message["inputName"], "payload": encoded,
                                 "timestamp": {"timeInMillis": self._time}}
        try:
            response = self.engine.call("BatchPutMessage", {"messages": [entry]})
            errors = response.get("BatchPutMessageErrorEntries", [])
        except ClientError as refused:
            detail = refused.response["Error"]
            errors = [{"messageId": entry["messageId"], "errorCode": detail["Code"], "errorMessage": detail["Message"]}]
        for failure in errors:
            self._emit({"event": "error", "messageId": failure.get("messageId"), "code": failure.get("errorCode"),
                        "message": failure.get("errorMessage")})
        decoded: Any = payload
        if isinstance(payload, str):
            try:
                decoded = json.loads(base64.b64decode(payload))
            except ValueError:
                decoded = None
        for kind, model, key_path in self._routes_of(message["inputName"]):
            key = _path_value(decoded, key_path) if key_path else None
            if key_path and key is None:
                continue  # the message named no key of this model: it reached no detector
            self._look(kind, model, key)
        self._flush_actions()


def text_line(entry: Entry) -> str:
    """One transcript entry as a line of text."""
    seconds, millis = divmod(entry["time"], 1000)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%03dZ" % millis
    who = "%s[%s]" % (entry.get("model"), entry.get("key") or "") if entry.get("model") else ""
    event = entry["event"]
    if event == "transition":
        what = "%s -> %s" % (entry["from"], entry["to"])
    elif event == "created":
        what = "in %s" % entry["state"]
    elif event == "variable":
        what = "$variable.%s = %s" % (entry["name"], entry["value"])
    elif event == "action":
        what = "%s (%s%s)" % (entry["type"], entry["state"], ", %s" % entry["eventName"] if entry.get("eventName") else "")
        if entry.get("error"):
            what += " failed: %s" % entry["error"]
    else:
        what = "message %s refused: %s: %s" % (entry.get("messageId"), entry.get("code"), entry.get("message"))
    return "%s  %-10s %s%s" % (stamp, event, who + "  " if who else "", what)


def json_line(entry: Entry) -> str:
    return json.dumps({k: v for k, v in entry.items() if v is not None}, sort_keys=True)


def replay(state_directory: str, messages: IO[str], out: IO[str], text: bool = False,
           start_time_millis: Optional[int] = None, progress: Optional[IO[str]] = None,
           entries: Optional[List[Entry]] = None) -> List[str]:
    """Replays `messages` into the engine kept in `state_directory`; writes the transcript to
    `out` (text or JSON Lines) and returns its lines; the entries themselves are appended to
    `entries` when given (for a timeline)."""
    pending = list(read_messages(messages))
    first = next((m["timestamp"] for _, m in pending if m.get("timestamp") is not None), None)
    start = start_time_millis if start_time_millis is not None else first
    # groupCommit: a replay is re-runnable, and syncing the log after every message would bound
    # it to the disk's flush rate (~140 messages/s here); the close writes everything.
    config: Dict[str, Any] = {"clock": "manual", "state_directory": state_directory, "durability": "groupCommit"}
    if start is not None:
        config["start_time_millis"] = start
    lines: List[str] = []
    with Engine(**config) as engine:
        replayer = Replayer(engine)
        if replayer.begin(start or 0, first):
            sys.stderr.write("iotevents replay: the state directory's clock is past the first message; the engine runs "
                             "%d ms ahead of the messages' times (the transcript shows their own times)\n" % replayer.offset)
        written = 0
        for count, (number, message) in enumerate(pending, 1):
            replayer.send(number, message)
            for entry in replayer.transcript[written:]:
                if entries is not None:
                    entries.append(entry)
                line = text_line(entry) if text else json_line(entry)
                lines.append(line)
                out.write(line + "\n")
            written = len(replayer.transcript)
            if progress is not None and (count % 1000 == 0 or count == len(pending)):
                progress.write("\rreplayed %d of %d messages" % (count, len(pending)))
                progress.flush()
        if progress is not None:
            progress.write("\n")
    return lines


def compare(lines: List[str], expected_path: str, err: Optional[IO[str]] = None) -> bool:
    """Whether the transcript is the recorded one; prints a unified diff of the first differences."""
    with open(expected_path, encoding="utf-8") as f:
        expected = [line.rstrip("\n") for line in f if line.strip()]
    if expected == lines:
        return True
    diff = list(difflib.unified_diff(expected, lines, expected_path, "replay", lineterm="", n=1))
    (err or sys.stderr).write("\n".join(diff[:40]) + "\n")
    return False
