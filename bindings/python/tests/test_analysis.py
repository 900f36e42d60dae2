"""Detector model analysis through the binding (include/iotevents.h, docs/behaviour.md §8): the
boto3-shaped client's three generated calls round-trip, and every example model in
examples/models analyses with no ERROR result."""
import glob
import json
import os
import unittest

import iotevents

MODELS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "models")
START = 1700000000000


def example_models():
    """(model request, its inputs' create requests): an *-input.json file is an input."""
    inputs, models = [], []
    for path in sorted(glob.glob(os.path.join(MODELS, "*.json"))):
        with open(path) as f:
            document = json.load(f)
        (inputs if "inputName" in document else models).append((os.path.basename(path), document))
    return inputs, models


class AnalysisTest(unittest.TestCase):
    def test_start_describe_get_round_trip(self):
        with iotevents.Engine(clock="manual", start_time_millis=START) as engine:
            client = engine.client("iotevents")
            client.create_input(inputName="Temp", inputDefinition={"attributes": [{"jsonPath": "celsius"}]})
            definition = {"initialStateName": "A", "states": [
                {"stateName": "A", "onInput": {"events": [
                    {"eventName": "e", "condition": "$input.Temp.celsius > 'hot' || $input.Temp.celsius > 80",
                     "actions": [{"setVariable": {"variableName": "n", "value": "1"}}]}]}}]}
            started = client.start_detector_model_analysis(detectorModelDefinition=definition)
            analysis = started["analysisId"]
            self.assertEqual(client.describe_detector_model_analysis(analysisId=analysis)["status"], "RUNNING")
            self.assertEqual(client.describe_detector_model_analysis(analysisId=analysis)["status"], "COMPLETE")
            first = client.get_detector_model_analysis_results(analysisId=analysis, maxResults=1)
            self.assertEqual(len(first["analysisResults"]), 1)
            rest = client.get_detector_model_analysis_results(analysisId=analysis, nextToken=first["nextToken"])
            results = first["analysisResults"] + rest["analysisResults"]
            self.assertNotIn("nextToken", rest)
            self.assertEqual([(r["type"], r["level"]) for r in results],
                             [("data-type", "INFO"), ("data-type", "WARNING")])
            self.assertEqual(results[1]["locations"], [{"path": "states[0].onInput.events[0].condition"}])
            with self.assertRaises(client.exceptions.ResourceNotFoundException):
                client.describe_detector_model_analysis(analysisId="unknown")
            # No model was created by the analysis.
            self.assertEqual(client.list_detector_models()["detectorModelSummaries"], [])

    def test_every_example_model_analyses_without_error(self):
        inputs, models = example_models()
        self.assertTrue(models)
        for name, model in models:
            with self.subTest(model=name), iotevents.Engine(clock="manual", start_time_millis=START) as engine:
                for _, request in inputs:
                    engine.call("CreateInput", request)
                if "alarmRule" in model:
                    continue  # an alarm model: the analysis is of detector models
                analysis = engine.call("StartDetectorModelAnalysis",
                                       {"detectorModelDefinition": model["detectorModelDefinition"]})["analysisId"]
                results = engine.call("GetDetectorModelAnalysisResults", {"analysisId": analysis})["analysisResults"]
                errors = [r for r in results if r["level"] == "ERROR"]
                self.assertEqual(errors, [], name)
                # The model the analysis passes is one CreateDetectorModel accepts.
                engine.call("CreateDetectorModel", model)


if __name__ == "__main__":
    unittest.main()


def test_the_analyze_command_prints_a_table_and_fails_on_errors(tmp_path):
    """`iotevents analyze`: results as rows with their locations under them; exit 1 on an ERROR
    (the example without its input), 0 without, 2 for a file that holds no model."""
    from cli_support import run_cli
    model = os.path.join(MODELS, "threshold.json")
    status, out, _ = run_cli(["analyze", model, "--input", os.path.join(MODELS, "threshold-input.json")])
    assert status == 0, out
    lines = out.splitlines()
    assert lines[0].split() == ["LEVEL", "TYPE", "MESSAGE"]
    assert lines[1].startswith("INFO   supported-actions  sns actions")
    assert lines[2].strip() == "at states[0].onInput.transitionEvents[0].actions[1].sns"
    status, out, _ = run_cli(["analyze", model])
    assert status == 1
    assert "ERROR  referenced-resource  The input Temperature does not exist" in out
    bad = tmp_path / "bad.json"
    bad.write_text('{"inputName": "x"}')
    status, _, err = run_cli(["analyze", str(bad)])
    assert status == 2 and "no detectorModelDefinition" in err


def test_analyses_are_durable(tmp_path):
    """include/iotevents.h: with a state directory an analysis is logged (its start grows the
    log) and kept in snapshots, so a reopened directory answers for it (test_analysis_durable
    covers a process killed before any snapshot)."""
    state = str(tmp_path / "state")
    definition = {"initialStateName": "A", "states": [{"stateName": "A", "onInput": {"events": [
        {"eventName": "e", "condition": "currentInput(\"Temp\")"}]}}]}
    with iotevents.Engine(state_directory=state) as engine:
        engine.call("CreateInput", {"inputName": "Temp", "inputDefinition": {"attributes": [{"jsonPath": "c"}]}})
        log_size = os.path.getsize(os.path.join(state, "log"))
        analysis = engine.call("StartDetectorModelAnalysis", {"detectorModelDefinition": definition})["analysisId"]
        assert os.path.getsize(os.path.join(state, "log")) > log_size
        assert engine.call("DescribeDetectorModelAnalysis", {"analysisId": analysis})["status"] == "RUNNING"
        results = engine.call("GetDetectorModelAnalysisResults", {"analysisId": analysis})["analysisResults"]
    with iotevents.Engine(state_directory=state) as engine:
        assert engine.call("ListInputs", {})["inputSummaries"][0]["inputName"] == "Temp"
        assert engine.call("DescribeDetectorModelAnalysis", {"analysisId": analysis})["status"] == "COMPLETE"
        assert engine.call("GetDetectorModelAnalysisResults", {"analysisId": analysis})["analysisResults"] == results
