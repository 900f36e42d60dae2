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

    def test_threads_killed_mid_stream_lose_no_action(self):
        # Four threads, one device each, make calls concurrently; the process dies inside the
        # handler at a random action, when other threads may be between their call's record
        # and their handler, or inside it: several records unconfirmed at once, confirmed out
        # of log order before. Per device, the actions seen then and handed over after are
        # every reading's, in order.
        import random
        here = os.path.dirname(os.path.abspath(__file__))
        child = THREADED_CHILD % [here, os.path.dirname(os.path.dirname(os.path.abspath(iotevents.__file__)))]
        rng = random.Random(27)
        for attempt in range(10):
            with tempfile.TemporaryDirectory() as directory:
                die = rng.randrange(20, 600)
                ran = subprocess.run([sys.executable, "-c", child, directory, str(die), MODELS], capture_output=True, text=True,
                                     timeout=120, cwd=here)
                self.assertEqual(ran.returncode, 9, ran.stderr)
                streams = {}
                for line in ran.stdout.splitlines():
                    key, n = line.split()
                    streams.setdefault(key, []).append(int(n))
                config = dict(state_directory=directory, clock="manual", start_time_millis=START)
                with iotevents.Engine(**config) as engine:
                    again = []
                    engine.on_action(again.append)
                    for action in again:
                        state = json.loads(action["payload"])["payload"]["state"]
                        streams.setdefault(action["source"]["keyValue"], []).append(int(state["variables"]["n"]))
                    for key in ["t%d" % t for t in range(4)]:
                        described = engine.call("DescribeDetector", {"detectorModelName": "reporter", "keyValue": key})
                        n = int(described["detector"]["state"]["variables"][0]["value"])
                        last = 0
                        for value in streams.get(key, []):
                            if value <= last:
                                continue  # a duplicate
                            self.assertEqual(value, last + 1, "%s: %s" % (key, streams[key]))
                            last = value
                        self.assertEqual(last, n, "%s: %d readings, actions up to %d" % (key, n, last))

    def test_a_later_call_handed_over_first_does_not_confirm_an_earlier_one(self):
        # Thread "slow" is inside its handler (its call logged, its action not yet seen) when
        # the main thread's later call has had its action handed over and confirmed; then the
        # process dies. The slow call's action comes on reopening, the fast one's does not.
        here = os.path.dirname(os.path.abspath(__file__))
        child = ORDER_CHILD % [here, os.path.dirname(os.path.dirname(os.path.abspath(iotevents.__file__)))]
        with tempfile.TemporaryDirectory() as directory:
            ran = subprocess.run([sys.executable, "-c", child, directory, MODELS], capture_output=True, text=True,
                                 timeout=60, cwd=here)
            self.assertEqual(ran.returncode, 9, ran.stderr)
            self.assertEqual(ran.stdout.split(), ["fast"])
            again = redelivered(directory)
            self.assertEqual([a["source"]["keyValue"] for a in again], ["slow"])


# The child of the test above.
ORDER_CHILD = """
import json, os, sys, threading
sys.path[:0] = %r
import iotevents
directory, models = sys.argv[1], sys.argv[2]
e = iotevents.Engine(state_directory=directory, clock="manual", start_time_millis=1700000000000)
e.call("CreateInput", json.load(open(os.path.join(models, "input.json"))))
e.call("CreateDetectorModel", json.load(open(os.path.join(models, "redelivery-model.json"))))
entered, never = threading.Event(), threading.Event()
def handler(action):
    if action["source"]["keyValue"] == "slow":
        entered.set()
        never.wait()
    else:
        os.write(1, b"fast\\n")
e.on_action(handler)
def reading(key):
    e.call("BatchPutMessage", {"messages": [{"messageId": key, "inputName": "Reading", "payload": {"id": key}}]})
threading.Thread(target=reading, args=("slow",), daemon=True).start()
entered.wait(30)
reading("fast")
os._exit(9)
"""


# The threaded child: four threads, 150 readings each for their own device, until the handler
# dies (exit 9) at action number DIE, before seeing it. Each action is one write of "device n"
# to stdout. The
# model counts readings in a variable n, which its actions' default payloads carry.
MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Tests", "durability")
THREADED_CHILD = """
import json, os, sys, threading
sys.path[:0] = %r
import iotevents
directory, die, models = sys.argv[1], int(sys.argv[2]), sys.argv[3]
e = iotevents.Engine(state_directory=directory, clock="manual", start_time_millis=1700000000000)
e.call("CreateInput", json.load(open(os.path.join(models, "input.json"))))
e.call("CreateDetectorModel", json.load(open(os.path.join(models, "redelivery-model.json"))))
lock = threading.Lock()
count = [0]
def handler(action):
    with lock:
        count[0] += 1
        if count[0] == die:
            os._exit(9)  # before this action is seen: only a redelivery can bring it
    state = json.loads(action["payload"])["payload"]["state"]
    os.write(1, ("%%s %%d\\n" %% (action["source"]["keyValue"], state["variables"]["n"])).encode())
e.on_action(handler)
def send(t):
    for i in range(150):
        e.call("BatchPutMessage", {"messages": [{"messageId": "t%%d-%%d" %% (t, i), "inputName": "Reading", "payload": {"id": "t%%d" %% t}}]})
threads = [threading.Thread(target=send, args=(t,)) for t in range(4)]
for t in threads: t.start()
for t in threads: t.join()
os._exit(8)
"""


if __name__ == "__main__":
    unittest.main()
