"""The Engine over the built library: IOTEVENTS_LIBRARY names it (make python-test sets it)."""
import json
import os
import resource
import signal
import tempfile
import unittest

import iotevents

INPUT = {"inputName": "Beat", "inputDefinition": {"attributes": [{"jsonPath": "id"}]}}
MODEL = {
    "detectorModelName": "hb", "key": "id", "roleArn": "arn:aws:iam::123456789012:role/r",
    "detectorModelDefinition": {"initialStateName": "On", "states": [
        {"stateName": "On", "onInput": {
            "events": [{"eventName": "arm", "condition": "currentInput(\"Beat\")",
                        "actions": [{"setTimer": {"timerName": "t", "seconds": 60}}]}],
            "transitionEvents": [{"eventName": "off", "condition": "timeout(\"t\")", "nextState": "Off",
                                  "actions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:x"}}]}]}},
        {"stateName": "Off"}]},
}


class EngineTest(unittest.TestCase):
    def test_calls_timers_and_actions(self):
        seen = []
        with iotevents.Engine(clock="manual", start_time_millis=1700000000000) as engine:
            engine.on_action(seen.append)
            engine.call("CreateInput", INPUT)
            engine.call("CreateDetectorModel", MODEL)
            engine.call("BatchPutMessage", {"messages": [{"messageId": "1", "inputName": "Beat", "payload": {"id": "d"}}]})
            self.assertEqual(engine.next_deadline(), 1700000060000)
            self.assertEqual(engine.tick(1700000060000), 1)
            self.assertIsNone(engine.next_deadline())
            d = engine.call("DescribeDetector", {"detectorModelName": "hb", "keyValue": "d"})
            self.assertEqual(d["detector"]["state"]["stateName"], "Off")
        self.assertEqual([a["type"] for a in seen], ["sns"])
        self.assertEqual(seen[0]["source"]["stateName"], "On")

    def test_a_tick_that_cannot_be_logged_raises(self):
        # The log may not grow (RLIMIT_FSIZE): iotevents_tick returns -7, tick raises.
        with tempfile.TemporaryDirectory() as directory:
            state = os.path.join(directory, "state")
            with iotevents.Engine(clock="manual", start_time_millis=1700000000000, state_directory=state) as engine:
                engine.call("CreateInput", INPUT)
                previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                previous_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
                resource.setrlimit(resource.RLIMIT_FSIZE, (os.path.getsize(os.path.join(state, "log")), previous_limit[1]))
                try:
                    with self.assertRaises(iotevents.ClientError) as caught:
                        engine.tick(1700000001000)
                finally:
                    resource.setrlimit(resource.RLIMIT_FSIZE, previous_limit)
                    signal.signal(signal.SIGXFSZ, previous_handler)
                self.assertEqual(caught.exception.response["Error"]["Code"], "InternalFailureException")

    def test_errors_have_the_boto3_shape(self):
        with iotevents.Engine(clock="manual") as engine:
            with self.assertRaises(iotevents.ClientError) as caught:
                engine.call("DescribeInput", {"inputName": "nope"})
            error = caught.exception.response["Error"]
            self.assertEqual(error["Code"], "ResourceNotFoundException")
            self.assertIn("nope", error["Message"])
            self.assertEqual(type(caught.exception).__name__, "ResourceNotFoundException")

    def test_bad_configuration_and_closed_engine(self):
        with self.assertRaises(iotevents.ClientError):
            iotevents.Engine(clock="sundial")
        with self.assertRaises(TypeError):
            iotevents.Engine(colour="blue")
        engine = iotevents.Engine(clock="manual")
        engine.close()
        engine.close()
        with self.assertRaises(ValueError):
            engine.tick()

    def test_state_directory_survives_close(self):
        import tempfile
        with tempfile.TemporaryDirectory() as directory:
            config = dict(clock="manual", start_time_millis=1700000000000, state_directory=directory)
            with iotevents.Engine(**config) as engine:
                engine.call("CreateInput", INPUT)
                engine.call("CreateDetectorModel", MODEL)
                engine.call("BatchPutMessage", {"messages": [{"messageId": "1", "inputName": "Beat", "payload": {"id": "d"}}]})
                with self.assertRaises(iotevents.ClientError) as caught:  # one engine per directory
                    iotevents.Engine(**config)
                self.assertEqual(caught.exception.response["Error"]["Code"], "ResourceInUseException")
            with iotevents.Engine(**config) as engine:
                self.assertEqual(engine.next_deadline(), 1700000060000)
                self.assertEqual(engine.tick(1700000060000), 1)
            with iotevents.Engine(**config) as engine:
                d = engine.call("DescribeDetector", {"detectorModelName": "hb", "keyValue": "d"})
                self.assertEqual(d["detector"]["state"]["stateName"], "Off")

    def test_a_timer_of_a_deleted_detector_version_does_not_block_reopening(self):
        """BatchUpdateDetector may set a timer the model never names (it is added to the version's
        timer names); UpdateDetectorModel then deletes the detector (semantics §2.9) and the new
        version names no such timer. The timer's queue entry is stale: a snapshot taken after the
        update must leave it out, and the state directory must reopen (it did not: every call then
        answered InternalFailureException)."""
        with tempfile.TemporaryDirectory() as directory:
            config = dict(clock="manual", start_time_millis=1700000000000, state_directory=directory,
                          snapshot_log_bytes=4096)
            with iotevents.Engine(**config) as engine:
                engine.call("CreateInput", INPUT)
                engine.call("CreateDetectorModel", MODEL)
                engine.call("BatchPutMessage", {"messages": [{"messageId": "1", "inputName": "Beat", "payload": {"id": "d"}}]})
                engine.call("BatchUpdateDetector", {"detectors": [{"messageId": "u", "detectorModelName": "hb", "keyValue": "d",
                    "state": {"stateName": "On", "variables": [], "timers": [{"name": "extra", "seconds": 600}]}}]})
                update = {k: v for k, v in MODEL.items() if k != "key"}
                engine.call("UpdateDetectorModel", update)
                for i in range(40):  # past 4096 bytes of log: a snapshot is taken after the update
                    engine.call("BatchPutMessage", {"messages": [
                        {"messageId": "m%d" % i, "inputName": "Beat", "payload": {"id": "e%d" % i}}]})
            with iotevents.Engine(**config) as engine:
                listed = engine.call("ListDetectors", {"detectorModelName": "hb", "maxResults": 250})
                self.assertEqual(len(listed["detectorSummaries"]), 40)
                self.assertEqual(engine.next_deadline(), 1700000060000)

    def test_a_crash_keeps_every_timer_deadline(self):
        """Reopening after a crash replays the logged calls at the instants they ran: a timer a
        message set keeps its deadline. (Replayed at the reopening's time, every deadline moved
        later by the downtime: a watchdog fired late by as long as the process was down.)"""
        import subprocess
        import sys
        import time
        child = """
import os, sys
sys.path[:0] = %r
import iotevents
from test_engine import INPUT, MODEL
e = iotevents.Engine(state_directory=sys.argv[1], timer_thread=False)
e.call("CreateInput", INPUT)
e.call("CreateDetectorModel", MODEL)
e.call("BatchPutMessage", {"messages": [{"messageId": "1", "inputName": "Beat", "payload": {"id": "d"}}]})
print(e.next_deadline(), flush=True)
os._exit(9)
""" % [os.path.dirname(os.path.abspath(__file__)), os.path.dirname(os.path.dirname(os.path.abspath(iotevents.__file__)))]
        with tempfile.TemporaryDirectory() as directory:
            ran = subprocess.run([sys.executable, "-c", child, directory], capture_output=True, text=True,
                                 timeout=60, cwd=os.path.dirname(os.path.abspath(__file__)))
            self.assertEqual(ran.returncode, 9, ran.stderr)
            deadline = int(ran.stdout)
            time.sleep(1.2)  # down for a while: the log is replayed at a later wall-clock time
            with iotevents.Engine(state_directory=directory, timer_thread=False) as engine:
                self.assertEqual(engine.next_deadline(), deadline)

    def test_the_timer_thread_waits_for_the_handler_after_reopening(self):
        """A state directory reopened after a timer fell due: the timer thread fires nothing
        before the host's first use of the engine, so the expiry's action reaches the handler the
        host sets after opening (fired at once, it was dropped: no handler yet)."""
        import threading
        import time
        model = json.loads(json.dumps(MODEL))
        model["detectorModelDefinition"]["states"][0]["onInput"]["events"][0]["actions"][0]["setTimer"]["seconds"] = 1
        with tempfile.TemporaryDirectory() as directory:
            config = dict(state_directory=directory, limits={"minTimerSeconds": 1})
            with iotevents.Engine(**config) as engine:
                engine.call("CreateInput", INPUT)
                engine.call("CreateDetectorModel", model)
                engine.call("BatchPutMessage", {"messages": [{"messageId": "1", "inputName": "Beat", "payload": {"id": "d"}}]})
            time.sleep(1.2)  # the timer falls due while the engine is closed
            seen, arrived = [], threading.Event()
            with iotevents.Engine(timer_thread=True, **config) as engine:
                time.sleep(0.3)  # a thread that fired at once has fired by now
                engine.on_action(lambda action: (seen.append(action), arrived.set()))
                self.assertTrue(arrived.wait(10), "the overdue expiry's action never reached the handler")
        self.assertEqual([a["type"] for a in seen], ["sns"])

    def test_every_configuration_key_of_the_header(self):
        # The keys iotevents.h documents for iotevents_open, each accepted under its Python name.
        import re
        header = os.path.join(os.path.dirname(__file__), "..", "..", "..", "include", "iotevents.h")
        with open(header) as f:
            block = f.read().split("keys are all optional:")[1].split("An unknown key")[0]
        keys = re.findall(r'^ \*   "(\w+)"', block, re.M)
        self.assertIn("snapshotLogBytes", keys)
        snake = {re.sub(r"(?<!^)(?=[A-Z])", "_", k).lower(): k for k in keys}
        self.assertEqual(iotevents.Engine._KEYS, snake)
        with tempfile.TemporaryDirectory() as directory:
            config = dict(clock="manual", start_time_millis=1700000000000, state_directory=directory,
                          durability="groupCommit", group_commit_millis=5, snapshot_log_bytes=4096,
                          input_projection="payload", alarm_notifications="always",
                          alarm_rejected_actions="ignore", region="eu-west-1", account_id="210987654321",
                          timer_thread=False, limits={"maxInputs": 3})
            with iotevents.Engine(**config) as engine:
                engine.call("CreateInput", INPUT)
                engine.call("CreateDetectorModel", MODEL)
                for i in range(40):  # past 4096 bytes of log: a snapshot is taken
                    engine.call("BatchPutMessage", {"messages": [
                        {"messageId": str(i), "inputName": "Beat", "payload": {"id": "d%d" % i}}]})
            with iotevents.Engine(**config) as engine:
                listed = engine.call("ListDetectors", {"detectorModelName": "hb", "maxResults": 250})
                self.assertEqual(len(listed["detectorSummaries"]), 40)
                self.assertIn(":eu-west-1:210987654321:", engine.call("DescribeInput", {"inputName": "Beat"})
                              ["input"]["inputConfiguration"]["inputArn"])
        # Values are the library's to check: out of range is its error, naming the key.
        for bad in (dict(group_commit_millis=0), dict(snapshot_log_bytes=10), dict(durability="never")):
            with self.assertRaises(iotevents.ClientError) as caught:
                iotevents.Engine(clock="manual", **bad)
            self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidRequestException")

    def test_sitewise_values_survive_close(self):
        """BatchPutAssetPropertyValue is logged and replayed: a threshold sent before a restart
        still serves the values sent after it (the alarm keeps it, semantics §5.1)."""
        import tempfile
        ref = "$sitewise.assetModel.`5f0c2a1e-0000-4000-8000-00000000aa01`.`%s`.propertyValue.value"
        temperature, threshold = "5f0c2a1e-0000-4000-8000-0000000000a1", "5f0c2a1e-0000-4000-8000-0000000000a2"
        boiler = "b01e0000-0000-4000-8000-000000000001"
        put = lambda engine, prop, value, t: engine.call("BatchPutAssetPropertyValue", {"entries": [
            {"entryId": "e", "assetId": boiler, "propertyId": prop,
             "propertyValues": [{"value": value, "timestamp": {"timeInSeconds": t}}]}]})
        with tempfile.TemporaryDirectory() as directory:
            config = dict(clock="manual", start_time_millis=1700000000000, state_directory=directory)
            with iotevents.Engine(**config) as engine:
                engine.call("CreateAlarmModel", {
                    "alarmModelName": "BoilerTempAlarm", "roleArn": "arn:aws:iam::123456789012:role/r",
                    "alarmRule": {"simpleRule": {"inputProperty": ref % temperature, "comparisonOperator": "GREATER",
                                                 "threshold": ref % threshold}},
                    "alarmCapabilities": {"initializationConfiguration": {"disabledOnInitialization": False}}})
                self.assertEqual(put(engine, threshold, {"integerValue": 80}, 1700000000), {"errorEntries": []})
            with iotevents.Engine(**config) as engine:
                put(engine, temperature, {"doubleValue": 85.5}, 1700000001)
            with iotevents.Engine(**config) as engine:
                alarm = engine.call("DescribeAlarm", {"alarmModelName": "BoilerTempAlarm", "keyValue": boiler})["alarm"]
                self.assertEqual(alarm["alarmState"]["stateName"], "ACTIVE")

    def test_raw_call_and_version(self):
        with iotevents.Engine(clock="manual") as engine:
            status, text = engine.call_raw("ListInputs", "{}")
            self.assertEqual((status, json.loads(text)), (0, {"inputSummaries": []}))
            status, text = engine.call_raw("ListInputs", "{")
            self.assertEqual(status, 1)
            self.assertRegex(engine.version, r"^\d+\.\d+\.\d+$")


if __name__ == "__main__":
    unittest.main()
