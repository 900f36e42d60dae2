"""Action callbacks from the library's timer thread, and the package without botocore."""
import os
import subprocess
import sys
import threading
import unittest

import iotevents

from test_engine import INPUT

MODEL = {
    "detectorModelName": "quick", "key": "id", "roleArn": "arn:aws:iam::123456789012:role/r",
    "detectorModelDefinition": {"initialStateName": "On", "states": [
        {"stateName": "On", "onInput": {
            "events": [{"eventName": "arm", "condition": "currentInput(\"Beat\")",
                        "actions": [{"setTimer": {"timerName": "t", "seconds": 1}}]}],
            "transitionEvents": [{"eventName": "off", "condition": "timeout(\"t\")", "nextState": "Off",
                                  "actions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:x"}}]}]}},
        {"stateName": "Off"}]},
}


class TimerThreadTest(unittest.TestCase):
    def test_callback_arrives_from_the_timer_thread(self):
        fired = threading.Event()
        threads = []

        def on_action(action):
            threads.append((threading.get_ident(), action["source"]["stateName"]))
            fired.set()

        with iotevents.Engine(clock="system", timer_thread=True, limits={"minTimerSeconds": 1}) as engine:
            engine.on_action(on_action)
            engine.call("CreateInput", INPUT)
            engine.call("CreateDetectorModel", MODEL)
            engine.call("BatchPutMessage", {"messages": [{"messageId": "1", "inputName": "Beat", "payload": {"id": "d"}}]})
            # Waiting with the GIL released lets the library's thread call back into Python.
            self.assertTrue(fired.wait(10), "the timer thread did not fire within 10 s")
        self.assertEqual(len(threads), 1)
        self.assertNotEqual(threads[0][0], threading.get_ident())
        self.assertEqual(threads[0][1], "On")


class WithoutBotocoreTest(unittest.TestCase):
    def test_errors_keep_the_boto3_shape(self):
        script = r'''
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "botocore" or name.startswith("botocore."):
            raise ImportError("blocked")
sys.meta_path.insert(0, Block())
import iotevents
with iotevents.Engine(clock="manual") as engine:
    client = engine.client("iotevents")
    try:
        client.describe_input(inputName="nope")
    except client.exceptions.ResourceNotFoundException as e:
        assert e.response["Error"]["Code"] == "ResourceNotFoundException", e.response
        assert isinstance(e, iotevents.ClientError)
        assert "botocore" not in sys.modules
        print("ok", type(e).__mro__[1].__module__)
'''
        env = dict(os.environ)
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.split(), ["ok", "iotevents.errors"])


if __name__ == "__main__":
    unittest.main()
