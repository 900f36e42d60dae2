"""Logging (the log handler, PutLoggingOptions, the logging-module bridge) and the counters,
through the Python binding (issue 28). IOTEVENTS_LIBRARY names the library under test."""
import json
import logging
import tempfile
import unittest

import iotevents

INPUT = {"inputName": "T", "inputDefinition": {"attributes": [{"jsonPath": "id"}, {"jsonPath": "temp"}]}}
MODEL = {
    "detectorModelName": "thermo", "key": "id", "roleArn": "arn:aws:iam::123456789012:role/r",
    "detectorModelDefinition": {"initialStateName": "Normal", "states": [
        {"stateName": "Normal", "onInput": {"transitionEvents": [
            {"eventName": "tooHot", "condition": "$input.T.temp > 10", "nextState": "Hot",
             "actions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:hot"}}]}]}},
        {"stateName": "Hot"}]},
}
DEBUG = {"loggingOptions": {"roleArn": "arn:aws:iam::123456789012:role/logs", "level": "DEBUG", "enabled": True}}


def put(engine, key, temp, message_id):
    engine.call("BatchPutMessage", {"messages": [
        {"messageId": message_id, "inputName": "T", "payload": {"id": key, "temp": temp}}]})


def open_engine(**config):
    engine = iotevents.Engine(clock="manual", start_time_millis=1700000000000, **config)
    engine.call("CreateInput", INPUT)
    engine.call("CreateDetectorModel", MODEL)
    return engine


class LoggingTest(unittest.TestCase):
    def test_why_a_condition_did_not_fire(self):
        """The README's example: "temp": "20" is a String, so `$input.T.temp > 10` is Undefined,
        and the DEBUG summary says so."""
        records = []
        with open_engine() as engine:
            engine.on_log(records.append)
            engine.call("PutLoggingOptions", DEBUG)
            put(engine, "d", "20", "1")
            summary = [r for r in records if r["event"] == "evaluationSummary"][-1]
            self.assertEqual(summary["logMessage"], "Summary of message evaluation")
            self.assertEqual((summary["initialState"], summary["finalState"]), ("Normal", "Normal"))
            result = summary["conditionEvaluationResults"][0]
            self.assertEqual(result["result"], "Undefined")
            self.assertEqual(result["resultDetails"], '> cannot compare a String ("20") with an Integer (10)')
            put(engine, "d", 20, "2")
            self.assertIn("transition", [r["event"] for r in records])

    def test_an_attribute_the_input_does_not_declare(self):
        """With inputProjection "declared" a reference outside the input's attributes is
        Undefined, and the summary says so (with the default projection, that the message did
        not have it)."""
        for projection, why in (("declared", "$input.T.humidity is Undefined: the input T does not declare it"),
                                ("payload", "$input.T.humidity is Undefined: the last message on T did not have it")):
            records = []
            with open_engine(input_projection=projection) as engine:
                model = json.loads(json.dumps(MODEL))
                model["detectorModelName"] = "humid"
                model["detectorModelDefinition"]["states"][0]["onInput"]["transitionEvents"][0]["condition"] = \
                    "$input.T.humidity > 50"
                engine.call("CreateDetectorModel", model)
                engine.on_log(records.append)
                engine.call("PutLoggingOptions", DEBUG)
                put(engine, "h", 20, "1")
            summary = [r for r in records if r["event"] == "evaluationSummary" and r["detectorModelName"] == "humid"][-1]
            self.assertEqual(summary["conditionEvaluationResults"][0]["result"], "False")
            self.assertTrue(summary["conditionEvaluationResults"][0]["resultDetails"].startswith(why), summary)

    def test_nothing_is_written_without_a_handler_or_with_logging_off(self):
        with open_engine() as engine:
            engine.call("PutLoggingOptions", DEBUG)
            put(engine, "a", 20, "1")  # no handler: no records at all
            self.assertEqual(engine.counters()["logRecords"], {"ERROR": 0, "INFO": 0, "DEBUG": 0})
            records = []
            engine.on_log(records.append)
            engine.call("PutLoggingOptions", {"loggingOptions": dict(DEBUG["loggingOptions"], enabled=False)})
            put(engine, "b", 20, "2")
            self.assertEqual(records, [])
            engine.call("PutLoggingOptions", DEBUG)
            engine.on_log(None)
            put(engine, "c", 20, "3")
            self.assertEqual(records, [])

    def test_the_bridge_to_the_logging_module(self):
        logger = logging.getLogger("iotevents.test-bridge")
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        captured = []

        class Capture(logging.Handler):
            def emit(self, record):
                captured.append(record)

        logger.addHandler(Capture())
        with open_engine() as engine:
            engine.log_to(logger)
            engine.call("PutLoggingOptions", {"loggingOptions": dict(DEBUG["loggingOptions"], level="INFO")})
            put(engine, "k", 20, "1")
        self.assertEqual([(r.levelno, r.getMessage()) for r in captured],
                         [(logging.INFO, "thermo/k: Transition from Normal to Hot by event tooHot")])
        self.assertEqual(captured[0].iotevents["toState"], "Hot")

    def test_a_handler_may_re_enter_the_engine(self):
        seen = []
        with open_engine() as engine:
            def handler(record):
                if record["event"] == "transition":
                    state = engine.call("DescribeDetector", {"detectorModelName": "thermo", "keyValue": record["keyValue"]})
                    seen.append(state["detector"]["state"]["stateName"])
            engine.on_log(handler)
            engine.call("PutLoggingOptions", DEBUG)
            put(engine, "r", 20, "1")
        self.assertEqual(seen, ["Hot"])

    def test_counters_after_a_known_workload(self):
        with open_engine() as engine:
            put(engine, "a", 20, "1")
            put(engine, "a", 20, "1")  # a duplicate
            put(engine, "b", 5, "2")
            engine.call("BatchPutMessage", {"messages": [{"messageId": "x", "inputName": "Nope", "payload": {}}]})
            counters = engine.counters()
        self.assertEqual(counters["messagesAccepted"], 2)
        self.assertEqual(counters["duplicateMessages"], 1)
        self.assertEqual(counters["errorEntries"], {"ResourceNotFoundException": 1})
        self.assertEqual((counters["evaluations"], counters["transitions"], counters["detectors"]), (2, 1, 2))
        self.assertEqual(counters["actions"], {"sns": 1})
        self.assertNotIn("stateDirectory", counters)

    def test_options_are_durable_and_replay_writes_and_counts_nothing(self):
        with tempfile.TemporaryDirectory() as directory:
            with open_engine(state_directory=directory) as engine:
                engine.call("PutLoggingOptions", DEBUG)
                put(engine, "a", 20, "1")
            records = []
            with iotevents.Engine(clock="manual", start_time_millis=1700000000000, state_directory=directory) as engine:
                engine.on_log(records.append)
                counters = engine.counters()
                self.assertEqual((counters["messagesAccepted"], counters["evaluations"]), (0, 0))
                self.assertEqual(counters["detectors"], 1)
                self.assertGreater(counters["stateDirectory"]["snapshotBytes"], 0)
                self.assertEqual(records, [])  # the replay of the log wrote none
                put(engine, "b", 20, "2")  # the options came back with the state
                self.assertIn("evaluationSummary", [r["event"] for r in records])
                self.assertEqual(engine.call("DescribeLoggingOptions", {})["loggingOptions"]["level"], "DEBUG")


if __name__ == "__main__":
    unittest.main()
