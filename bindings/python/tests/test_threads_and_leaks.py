"""Eight threads on one engine, and no string the library returns left unfreed."""
import ctypes
import json
import os
import sys
import threading
import unittest

import iotevents

sys.path.insert(0, os.path.dirname(__file__))
from every_operation import START, model  # noqa: E402

THREADS, BATCHES, KEYS_PER_THREAD = 8, 100, 5


def heartbeat_engine():
    engine = iotevents.Engine(clock="manual", start_time_millis=START)
    control = engine.client("iotevents")
    control.create_input(**model("heartbeat-input.json"))
    control.create_detector_model(**model("heartbeat.json"))
    return engine


class ThreadsTest(unittest.TestCase):
    def test_eight_threads_share_one_engine(self):
        with heartbeat_engine() as engine:
            data = engine.client("iotevents-data")
            failures = []

            def worker(t):
                try:
                    for b in range(BATCHES):
                        messages = [{"messageId": "t%d-b%d-k%d" % (t, b, k), "inputName": "Heartbeat",
                                     "payload": json.dumps({"deviceId": "dev-%d-%d" % (t, k), "battery": b}).encode()}
                                    for k in range(KEYS_PER_THREAD)]
                        errors = data.batch_put_message(messages=messages)["BatchPutMessageErrorEntries"]
                        if errors:
                            failures.append(errors)
                except Exception as e:  # reported below, not lost in the thread
                    failures.append(repr(e))

            threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            self.assertEqual(failures, [])
            pages = data.get_paginator("list_detectors").paginate(detectorModelName="deviceHeartbeat")
            keys = [d["keyValue"] for d in pages.build_full_result()["detectorSummaries"]]
            self.assertEqual(len(keys), THREADS * KEYS_PER_THREAD)
            for key in keys:
                state = data.describe_detector(detectorModelName="deviceHeartbeat", keyValue=key)["detector"]["state"]
                variables = {v["name"]: v["value"] for v in state["variables"]}
                # every message of the key counted once: no lost or doubled updates
                self.assertEqual(variables["beats"], str(BATCHES), key)
                self.assertEqual(variables["battery"], str(BATCHES - 1), key)


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def bytes_in_use(libc):
    return libc.mallinfo2().uordblks + libc.mallinfo2().hblkhd


@unittest.skipUnless(sys.platform.startswith("linux"), "mallinfo2 is glibc's")
class NoLeakedStringsTest(unittest.TestCase):
    def test_responses_and_errors_are_freed(self):
        libc = ctypes.CDLL(None)
        if not hasattr(libc, "mallinfo2"):
            self.skipTest("glibc without mallinfo2")
        libc.mallinfo2.restype = _MallInfo2
        with heartbeat_engine() as engine:
            control, data = engine.client("iotevents"), engine.client("iotevents-data")
            size = len(engine.call_raw("DescribeDetectorModel", '{"detectorModelName": "deviceHeartbeat"}')[1])

            def round_of_calls(n):
                for i in range(n):
                    control.describe_detector_model(detectorModelName="deviceHeartbeat")  # a response
                    try:
                        control.describe_input(inputName="missing")  # an error document
                    except control.exceptions.ResourceNotFoundException:
                        pass
                    engine.call_raw("ListInputs", "not json")  # an error from call_raw

            round_of_calls(200)  # warm-up: caches, arenas
            before = bytes_in_use(libc)
            round_of_calls(2000)
            grown = bytes_in_use(libc) - before
        # Leaking only the describe responses would hold 2000 * size bytes.
        self.assertGreater(size, 1000)
        self.assertLess(grown, 2000 * size / 20, "malloc'd bytes grew by %d over 2000 rounds" % grown)


if __name__ == "__main__":
    unittest.main()
