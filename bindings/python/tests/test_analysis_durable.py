"""Detector model analyses outlive the process with a state directory (include/iotevents.h,
"StartDetectorModelAnalysis"): closed cleanly (the snapshot holds them) or killed (the logged
start is replayed), the next process reads the same results under the same id."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import iotevents

HERE = os.path.dirname(os.path.abspath(__file__))
DEFINITION = json.load(open(os.path.join(HERE, "serve_cli", "analysis-definition.json")))
if "detectorModelDefinition" in DEFINITION:
    DEFINITION = DEFINITION["detectorModelDefinition"]


def results(engine, analysis_id):
    return engine.call("GetDetectorModelAnalysisResults", {"analysisId": analysis_id})["analysisResults"]


class DurableAnalysisTest(unittest.TestCase):
    def test_a_clean_close_keeps_the_analyses(self):
        with tempfile.TemporaryDirectory() as directory:
            with iotevents.Engine(state_directory=directory) as engine:
                first = engine.call("StartDetectorModelAnalysis", {"detectorModelDefinition": DEFINITION})["analysisId"]
                second = engine.call("StartDetectorModelAnalysis", {"detectorModelDefinition": DEFINITION})["analysisId"]
                before = results(engine, first)
                self.assertTrue(before)
            with iotevents.Engine(state_directory=directory) as engine:
                self.assertEqual(results(engine, first), before)
                self.assertEqual(results(engine, second), before)
                third = engine.call("StartDetectorModelAnalysis", {"detectorModelDefinition": DEFINITION})["analysisId"]
                self.assertNotIn(third, (first, second))  # ids go on counting after a reopen

    def test_a_killed_process_keeps_the_analyses_it_started(self):
        child = """
import os, sys, json
sys.path[:0] = %r
import iotevents
e = iotevents.Engine(state_directory=sys.argv[1])
d = json.loads(sys.argv[2])
r = e.call("StartDetectorModelAnalysis", {"detectorModelDefinition": d})
print(json.dumps([r["analysisId"], e.call("GetDetectorModelAnalysisResults", {"analysisId": r["analysisId"]})["analysisResults"]]), flush=True)
os._exit(9)
""" % [HERE, os.path.dirname(os.path.dirname(os.path.abspath(iotevents.__file__)))]
        with tempfile.TemporaryDirectory() as directory:
            ran = subprocess.run([sys.executable, "-c", child, directory, json.dumps(DEFINITION)],
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(ran.returncode, 9, ran.stderr)
            analysis_id, expected = json.loads(ran.stdout)
            with iotevents.Engine(state_directory=directory) as engine:
                self.assertEqual(results(engine, analysis_id), expected)
                status = engine.call("DescribeDetectorModelAnalysis", {"analysisId": analysis_id})["status"]
                self.assertIn(status, ("RUNNING", "COMPLETE"))


if __name__ == "__main__":
    unittest.main()
