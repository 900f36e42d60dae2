"""iotevents_snapshot / iotevents_restore (Engine.snapshot, Engine(snapshot=...), Engine.restore):
a restored engine answers the data API as the original does and acts exactly as it would have
(the same action documents, actionExecutionIds included, timers due at the same instants); a
snapshot that is damaged, cut short or not one is refused with a clear error, changing nothing."""
import base64
import ctypes
import json
import tempfile
import unittest

import iotevents

T0 = 1700000000000
ROLE = "arn:aws:iam::123456789012:role/r"
TANK = {"inputName": "Tank", "inputDefinition": {"attributes": [{"jsonPath": "id"}, {"jsonPath": "level"}]}}
# A detector with a variable, a timer that re-arms itself and an action with the default payload
# (which carries actionExecutionId), so equal futures mean equal counters and deadlines.
WATCH = {
    "detectorModelName": "watch", "key": "id", "roleArn": ROLE,
    "detectorModelDefinition": {"initialStateName": "Idle", "states": [
        {"stateName": "Idle", "onInput": {
            "events": [{"eventName": "count", "condition": "true",
                        "actions": [{"setVariable": {"variableName": "n", "value": "$variable.n + 1"}}]}],
            "transitionEvents": [{"eventName": "high", "condition": "$input.Tank.level > 50", "nextState": "High",
                                  "actions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:high"}}]}]}},
        {"stateName": "High",
         "onEnter": {"events": [{"eventName": "arm", "condition": "true",
                                 "actions": [{"setTimer": {"timerName": "again", "seconds": 90}}]}]},
         "onInput": {
             "events": [{"eventName": "count", "condition": "true",
                         "actions": [{"setVariable": {"variableName": "n", "value": "$variable.n + 1"}}]}],
             "transitionEvents": [
                 {"eventName": "repeat", "condition": "timeout(\"again\")", "nextState": "High",
                  "actions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:still"}}]},
                 {"eventName": "low", "condition": "$input.Tank.level < 20", "nextState": "Idle"}]}}]},
    "detectorModelDescription": "d",
}
WATCH["detectorModelDefinition"]["states"][0]["onEnter"] = {
    "events": [{"eventName": "init", "condition": "isUndefined($variable.n)",
                "actions": [{"setVariable": {"variableName": "n", "value": "0"}}]}]}
LOW = {
    "alarmModelName": "low", "key": "id", "roleArn": ROLE, "severity": 2,
    "alarmRule": {"simpleRule": {"inputProperty": "$input.Tank.level", "comparisonOperator": "LESS", "threshold": "10"}},
    "alarmEventActions": {"alarmActions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:alarm"}}]},
    "alarmCapabilities": {"acknowledgeFlow": {"enabled": True}},
}


def put(engine, messages):
    for start in range(0, len(messages), 10):
        engine.call("BatchPutMessage", {"messages": [
            {"messageId": mid, "inputName": "Tank", "payload": {"id": key, "level": level}}
            for mid, key, level in messages[start:start + 10]]})


def build():
    engine = iotevents.Engine(clock="manual", start_time_millis=T0)
    engine.call("CreateInput", TANK)
    engine.call("CreateDetectorModel", WATCH)
    engine.call("CreateAlarmModel", LOW)
    put(engine, [("m%d" % i, "k%d" % (i % 7), (i * 37) % 100) for i in range(40)])
    engine.tick(T0 + 30_000)
    engine.call("BatchSnoozeAlarm", {"snoozeActionRequests": [
        {"requestId": "s", "alarmModelName": "low", "keyValue": "k3", "snoozeDuration": 120}]})
    return engine


def views(engine):
    """Everything the data API shows, plus the next deadline."""
    data = {"detectors": engine.call("ListDetectors", {"detectorModelName": "watch"}),
            "alarms": engine.call("ListAlarms", {"alarmModelName": "low"}),
            "next": engine.next_deadline()}
    for key in ["k%d" % i for i in range(7)]:
        data["d-" + key] = engine.call("DescribeDetector", {"detectorModelName": "watch", "keyValue": key})
        data["a-" + key] = engine.call("DescribeAlarm", {"alarmModelName": "low", "keyValue": key})
    return data


def future(engine):
    """The same later calls and ticks on any engine; returns its action documents."""
    seen = []
    engine.on_action(seen.append)
    put(engine, [("f%d" % i, "k%d" % (i % 9), (i * 53) % 100) for i in range(30)])
    # A message id the snapshot's de-duplication window remembers is still ignored.
    put(engine, [("m3", "k3", 99)])
    for step in range(1, 8):
        engine.tick(T0 + 30_000 + step * 60_000)
    engine.on_action(None)
    return seen


class SnapshotTest(unittest.TestCase):
    def test_restored_engine_answers_and_acts_as_the_original(self):
        with build() as original:
            text = original.snapshot()
            self.assertIsInstance(text, str)
            self.assertNotIn("\n", text)
            before = views(original)
            self.assertIsNotNone(before["next"], "the fixture must leave a timer pending")
            with iotevents.Engine(clock="manual", snapshot=text) as restored:
                self.assertEqual(views(restored), before)
                self.assertEqual(restored.call("ListDetectorModels", {}), original.call("ListDetectorModels", {}))
                self.assertEqual(restored.call("DescribeInput", {"inputName": "Tank"}),
                                 original.call("DescribeInput", {"inputName": "Tank"}))
                theirs, ours = future(original), future(restored)
                self.assertGreater(len([a for a in ours if a["source"].get("eventName") == "repeat"]), 3)
                self.assertEqual(ours, theirs)
                self.assertEqual(views(restored), views(original))
                # A snapshot of the restored engine restores the same state again.
                self.assertEqual(views(iotevents.Engine(clock="manual", snapshot=restored.snapshot())), views(restored))

    def test_restore_replaces_the_state_of_an_engine_in_use(self):
        with build() as original, iotevents.Engine(clock="manual", start_time_millis=T0) as other:
            other.call("CreateInput", {"inputName": "Other", "inputDefinition": {"attributes": [{"jsonPath": "x"}]}})
            other.restore(original.snapshot())
            self.assertEqual([i["inputName"] for i in other.call("ListInputs", {})["inputSummaries"]], ["Tank"])
            self.assertEqual(views(other), views(original))

    def test_bad_snapshots_are_refused_and_change_nothing(self):
        with build() as original:
            text = original.snapshot()
            raw = base64.b64decode(text)
            flipped = bytearray(raw)
            flipped[len(raw) // 2] ^= 0x40
            newer = bytearray(raw)
            newer[8] = 9
            cases = {
                "not base64": ("this is not a snapshot!", "not base64"),
                "empty": ("", "does not start with the snapshot header"),
                "truncated": (base64.b64encode(raw[:len(raw) - 10]).decode(), "truncated"),
                "truncated header": (base64.b64encode(raw[:12]).decode(), "does not start with the snapshot header"),
                "flipped bit": (base64.b64encode(bytes(flipped)).decode(), "checksum"),
                "newer version": (base64.b64encode(bytes(newer)).decode(), "format version 9"),
                "other bytes": (base64.b64encode(b"IOTEVSNP" + raw[8:]).decode(), "snapshot header"),
            }
            with iotevents.Engine(clock="manual", start_time_millis=T0) as target:
                target.call("CreateInput", TANK)
                for name, (bad, words) in cases.items():
                    with self.subTest(name):
                        with self.assertRaises(iotevents.errors.ClientError) as caught:
                            target.restore(bad)
                        error = caught.exception.response["Error"]
                        self.assertEqual(error["Code"], "InvalidRequestException")
                        self.assertIn(words, error["Message"])
                        self.assertIn("snapshot", error["Message"].lower())
                        # Refused whole: the engine still has its own state.
                        self.assertEqual(target.call("ListDetectorModels", {})["detectorModelSummaries"], [])
                        self.assertEqual(len(target.call("ListInputs", {})["inputSummaries"]), 1)
                with self.assertRaises(TypeError):
                    target.restore(raw)  # type: ignore[arg-type]
            with self.assertRaises(iotevents.errors.ClientError):
                iotevents.Engine(clock="manual", snapshot="garbage")

    def test_a_model_the_limits_refuse_names_it(self):
        with build() as original:
            with self.assertRaises(iotevents.errors.ClientError) as caught:
                iotevents.Engine(clock="manual", limits={"maxStatesPerModel": 1}, snapshot=original.snapshot())
            message = caught.exception.response["Error"]["Message"]
            self.assertIn("watch", message)

    def test_null_arguments_are_errors_not_crashes(self):
        with iotevents.Engine(clock="manual") as engine:
            lib = engine._lib
            out = ctypes.c_void_p()
            self.assertEqual(lib.iotevents_snapshot(None, ctypes.byref(out)), 1)
            self.assertIn("NULL", json.loads(iotevents._library.take_string(lib, out.value))["message"])
            self.assertEqual(lib.iotevents_snapshot(engine._handle, None), 0)
            self.assertEqual(lib.iotevents_restore(None, b"x", ctypes.byref(out)), 1)
            self.assertIn("NULL", json.loads(iotevents._library.take_string(lib, out.value))["message"])
            self.assertEqual(lib.iotevents_restore(engine._handle, None, ctypes.byref(out)), 1)
            self.assertIn("The snapshot is NULL", json.loads(iotevents._library.take_string(lib, out.value))["message"])
            self.assertEqual(lib.iotevents_restore(engine._handle, None, None), 1)

    def test_a_durable_engine_refuses_a_restore(self):
        with build() as original, tempfile.TemporaryDirectory() as d:
            with iotevents.Engine(clock="manual", state_directory=d + "/s") as durable:
                with self.assertRaises(iotevents.errors.ClientError) as caught:
                    durable.restore(original.snapshot())
                self.assertIn("stateDirectory", caught.exception.response["Error"]["Message"])


if __name__ == "__main__":
    unittest.main()
