"""At-least-once delivery of actions (include/iotevents.h, "Durable state"): a process killed
after a call or tick was logged and before the action handler had been handed all of its actions
gets them handed over, in order and byte for byte the same, by the first handler set after
reopening. Each crash is a child process that leaves with os._exit inside its action handler."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import iotevents

START = 1700000000000
INPUT = {"inputName": "Beat", "inputDefinition": {"attributes": [{"jsonPath": "id"}]}}
# A beat publishes two actions and arms a 60 s watchdog; its expiry publishes a third.
MODEL = {
    "detectorModelName": "hb", "key": "id", "roleArn": "arn:aws:iam::123456789012:role/r",
    "detectorModelDefinition": {"initialStateName": "On", "states": [
        {"stateName": "On", "onInput": {
            "events": [{"eventName": "beat", "condition": "currentInput(\"Beat\")", "actions": [
                {"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:beat"}},
                {"iotTopicPublish": {"mqttTopic": "'beats'"}},
                {"setTimer": {"timerName": "wd", "seconds": 60}}]}],
            "transitionEvents": [{"eventName": "silent", "condition": "timeout(\"wd\")", "nextState": "Off",
                                  "actions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:off"}}]}]}},
        {"stateName": "Off"}]},
}
BEAT = {"messages": [{"messageId": "1", "inputName": "Beat", "payload": {"id": "d"}}]}
# The same beat in a call whose log record is over 4 KiB: messages of an input no model reads.
PAD = {"inputName": "Pad", "inputDefinition": {"attributes": [{"jsonPath": "pad"}]}}
BIG_BEAT = {"messages": BEAT["messages"] + [
    {"messageId": "pad%d" % i, "inputName": "Pad", "payload": {"pad": "x" * 900}} for i in range(5)]}

# The child: sets up the detector, then runs STEP with a handler that prints each action document
# and dies (exit 9) at action number DIE (from 1; 0: never, then it is killed after the step).
CHILD = """
import json, os, sys
sys.path[:0] = %r
import iotevents
from test_action_redelivery import INPUT, MODEL, BEAT, BIG_BEAT, PAD, START
directory, step, die, log_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
e = iotevents.Engine(state_directory=directory, clock="manual", start_time_millis=START, snapshot_log_bytes=log_bytes)
e.call("CreateInput", INPUT)
e.call("CreateInput", PAD)
e.call("CreateDetectorModel", MODEL)
if step == "tick":
    e.call("BatchPutMessage", BEAT)
count = [0]
def handler(action):
    count[0] += 1
    print(json.dumps(action), flush=True)
    if count[0] == die:
        os._exit(9)
e.on_action(handler)
if step == "tick":
    e.tick(START + 61000)
else:
    e.call("BatchPutMessage", BIG_BEAT if step == "big call" else BEAT)
os._exit(9)
""" % [os.path.dirname(os.path.abspath(__file__)), os.path.dirname(os.path.dirname(os.path.abspath(iotevents.__file__)))]

CONFIG = dict(clock="manual", start_time_millis=START)


def crash(directory, step, die, log_bytes=4194304):
    """Runs the child; returns the action documents its handler was handed before it died."""
    ran = subprocess.run([sys.executable, "-c", CHILD, directory, step, str(die), str(log_bytes)],
                         capture_output=True, text=True, timeout=60, cwd=os.path.dirname(os.path.abspath(__file__)))
    assert ran.returncode == 9, ran.stderr
    return [json.loads(line) for line in ran.stdout.splitlines()]


def redelivered(directory, **config):
    """Reopens the directory and sets a handler: what it is handed before on_action returns."""
    seen = []
    with iotevents.Engine(state_directory=directory, **CONFIG, **config) as engine:
        engine.on_action(seen.append)
        handed = list(seen)
    return handed


class ActionRedeliveryTest(unittest.TestCase):
    def test_a_call_killed_inside_its_handler_has_its_actions_handed_over_on_reopening(self):
        with tempfile.TemporaryDirectory() as directory:
            before = crash(directory, "call", die=1)
            self.assertEqual([a["type"] for a in before], ["sns"])
            again = redelivered(directory)
            # Both actions, in order, the first byte for byte what the killed handler had (its
            # payload's actionExecutionId included): a host can drop the duplicate.
            self.assertEqual([a["type"] for a in again], ["sns", "iotTopicPublish"])
            self.assertEqual(again[0], before[0])
            self.assertIn("actionExecutionId", json.loads(again[0]["payload"])["payload"])
            self.assertEqual(again[1]["eventTime"], START)
            # Handed over once: after a clean close nothing comes again.
            self.assertEqual(redelivered(directory), [])

    def test_a_tick_killed_inside_its_handler_has_its_actions_handed_over_on_reopening(self):
        with tempfile.TemporaryDirectory() as directory:
            before = crash(directory, "tick", die=1)
            self.assertEqual([(a["type"], a["eventTime"]) for a in before], [("sns", START + 60000)])
            again = redelivered(directory)
            self.assertEqual(again, before)
            self.assertEqual(again[0]["action"]["targetArn"], "arn:aws:sns:us-east-1:123456789012:off")
            self.assertEqual(redelivered(directory), [])
            with iotevents.Engine(state_directory=directory, **CONFIG) as engine:
                d = engine.call("DescribeDetector", {"detectorModelName": "hb", "keyValue": "d"})
                self.assertEqual(d["detector"]["state"]["stateName"], "Off")

    def test_nothing_is_handed_over_again_once_the_handler_returned(self):
        # Killed after the handler had returned for every action (the delivery marker written,
        # not synced): the next open hands nothing over.
        with tempfile.TemporaryDirectory() as directory:
            self.assertEqual(len(crash(directory, "call", die=0)), 2)
            self.assertEqual(redelivered(directory), [])
        with tempfile.TemporaryDirectory() as directory:
            self.assertEqual(len(crash(directory, "tick", die=0)), 1)
            self.assertEqual(redelivered(directory), [])

    def test_actions_wait_for_a_handler_across_snapshots(self):
        # Reopened and closed without a handler: the close writes a snapshot and empties the
        # log; the snapshot keeps the actions, and the first handler set later is handed them.
        with tempfile.TemporaryDirectory() as directory:
            before = crash(directory, "call", die=2)
            with iotevents.Engine(state_directory=directory, **CONFIG) as engine:
                engine.call("ListDetectors", {"detectorModelName": "hb"})
            with iotevents.Engine(state_directory=directory, **CONFIG) as engine:
                engine.call("ListDetectors", {"detectorModelName": "hb"})
            self.assertEqual(redelivered(directory), before)
            self.assertEqual(redelivered(directory), [])

    def test_a_snapshot_taken_while_actions_are_being_handed_over_keeps_them(self):
        # snapshotLogBytes at its minimum: the call's own record triggers a compaction (the log
        # is emptied) before the handler is called; the process dies inside the handler.
        with tempfile.TemporaryDirectory() as directory:
            before = crash(directory, "big call", die=1, log_bytes=4096)
            self.assertLess(os.path.getsize(os.path.join(directory, "log")), 100)
            again = redelivered(directory, snapshot_log_bytes=4096)
            self.assertEqual([a["type"] for a in again], ["sns", "iotTopicPublish"])
            self.assertEqual(again[0], before[0])
            self.assertEqual(redelivered(directory, snapshot_log_bytes=4096), [])

    def test_redelivered_actions_come_before_new_ones(self):
        with tempfile.TemporaryDirectory() as directory:
            crash(directory, "call", die=1)
            seen = []
            with iotevents.Engine(state_directory=directory, **CONFIG) as engine:
                engine.on_action(seen.append)
                engine.tick(START + 61000)
            self.assertEqual([(a["type"], a["eventTime"]) for a in seen],
                             [("sns", START), ("iotTopicPublish", START), ("sns", START + 60000)])


if __name__ == "__main__":
    unittest.main()
