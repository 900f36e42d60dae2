"""The parts of iotevents.cluster that need no NATS server (make check-cluster runs the rest
against a real three-node cluster): settings checks, the partition assignment, the replay-stable
Nats-Msg-Id, a message's BatchPutMessage request, _call messages, the model bucket's reconcile."""
import json
import unittest

import iotevents
from iotevents.cluster import actions, feed, leases, models, names
from iotevents.cluster.settings import Settings

READING = {"inputName": "Reading", "inputDefinition": {"attributes": [{"jsonPath": "id"}]}}
METER = {"detectorModelName": "meter", "key": "id", "roleArn": "arn:aws:iam::123456789012:role/r",
         "detectorModelDefinition": {"initialStateName": "A", "states": [{"stateName": "A", "onInput": {"events": [
             {"eventName": "n", "condition": "currentInput(\"Reading\")", "actions": [
                 {"setVariable": {"variableName": "n", "value": "1"}},
                 {"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:t"}}]}]}}]}}


class SettingsTest(unittest.TestCase):
    def test_bad_values_name_the_member(self):
        for member, value in [("partitions", 0), ("replicas", "3"), ("lease_ttl", -1), ("snapshot_every_messages", 0),
                              ("tick_interval_millis", 5), ("engine", {"clock": "system"}), ("worker_id", "a.b")]:
            with self.subTest(member):
                with self.assertRaises(ValueError) as caught:
                    Settings(servers=["nats://x"], **{member: value})
                self.assertTrue(str(caught.exception).startswith(member.split("_")[0]), str(caught.exception))
        with self.assertRaises(ValueError):
            Settings(servers=[])

    def test_engine_configuration_is_manual(self):
        config = Settings(servers=["nats://x"], engine={"limits": {"minTimerSeconds": 1}}).engine_config()
        self.assertEqual(config["clock"], "manual")
        with feed.open_engine(config) as engine:
            self.assertIsNone(engine.next_deadline())
        with self.assertRaises(ValueError) as caught:
            feed.open_engine({"noSuchKey": 1})
        self.assertIn("engine.noSuchKey", str(caught.exception))


class AssignmentTest(unittest.TestCase):
    def test_every_partition_has_one_owner_and_the_load_is_even(self):
        workers = ["w-b", "w-a", "w-c"]
        owners = [leases.assignment(p, workers) for p in range(16)]
        self.assertEqual(sorted(set(owners)), sorted(workers))
        self.assertEqual(sorted(owners.count(w) for w in workers), [5, 5, 6])
        # Every worker computes the same, whatever order it listed them in.
        self.assertEqual(owners, [leases.assignment(p, list(reversed(workers))) for p in range(16)])
        self.assertIsNone(leases.assignment(0, []))

    def test_subjects(self):
        self.assertEqual(names.parse_partition_subject("iotevents.p.7.Reading.k1"), (7, "Reading", "k1"))
        with self.assertRaises(ValueError):
            names.parse_partition_subject("iotevents.in.Reading.k1")
        self.assertEqual(names.subject_mapping(16),
                         ("iotevents.in.*.*", "iotevents.p.{{partition(16,2)}}.{{wildcard(1)}}.{{wildcard(2)}}"))


class FeedAndActionsTest(unittest.TestCase):
    def engine(self):
        engine = feed.open_engine({"clock": "manual", "startTimeMillis": 0})
        engine.call("CreateInput", READING)
        engine.call("CreateDetectorModel", METER)
        return engine

    def test_a_replay_from_a_snapshot_publishes_the_same_ids(self):
        first, second = [], []
        with self.engine() as engine:
            engine.on_action(first.append)
            feed.apply(engine, "Reading", b'{"id":"k1"}', 1, 1000)
            snapshot = engine.snapshot()
            feed.apply(engine, "Reading", b'{"id":"k1"}', 2, 2000)
        with feed.open_engine({"clock": "manual"}, snapshot=snapshot) as replayed:
            replayed.on_action(second.append)
            feed.apply(replayed, "Reading", b'{"id":"k1"}', 2, 2000)
        ids = [actions.outgoing(3, a)[2]["Nats-Msg-Id"] for a in first]
        self.assertEqual(len(set(ids)), 2)
        self.assertTrue(all(i.startswith("p3-") for i in ids))
        self.assertEqual(actions.outgoing(3, second[0])[2]["Nats-Msg-Id"], ids[1])
        subject, body, _ = actions.outgoing(3, first[0])
        self.assertEqual(subject, "iotevents.out.sns")
        self.assertEqual(json.loads(body)["type"], "sns")
        self.assertIsNone(actions.outgoing(3, dict(first[0], error="not executed")))
        custom = {"type": "lambda", "payload": "x", "eventTime": 5}
        self.assertEqual(actions.message_id(1, custom, "t")[:10], "p1-sha256-")

    def test_ticks_are_messages_of_the_log(self):
        self.assertEqual(names.tick_subject(3), "iotevents.p.3._tick._")
        self.assertEqual(names.parse_partition_subject(names.tick_subject(3)), (3, feed.TICK_INPUT, "_"))
        with self.engine() as engine:
            fired = []
            engine.on_action(fired.append)
            feed.apply(engine, "Reading", b'{"id":"k1"}', 1, 1000)
            feed.apply_tick(engine, 5000)
            self.assertIsNone(engine.next_deadline())

    def test_messages_and_calls(self):
        self.assertIn('"payload":{"id":"k"}', feed.batch_request("Reading", b'{"id":"k"}', "9"))
        self.assertIn('"payload":"bm90IGpzb24="', feed.batch_request("Reading", b"not json", "9"))
        self.assertEqual(feed.stream_millis("$JS.ACK.S.C.1.5.5.1700000000123456789.0"), 1700000000123)
        with self.engine() as engine:
            errors = feed.apply(engine, "Reading", b"not json", 1, 1000)
            self.assertEqual(len(errors), 1)
            feed.apply(engine, "Reading", b'{"id":"k1"}', 2, 1000)
            call = {"operation": "BatchUpdateDetector", "request": {"detectors": [
                {"messageId": "u", "detectorModelName": "meter", "keyValue": "k1",
                 "state": {"stateName": "A", "variables": [{"name": "n", "value": "5"}], "timers": []}}]}}
            reply = json.loads(feed.apply_call(engine, json.dumps(call).encode(), 2000))
            self.assertEqual(reply, {"status": 0, "body": {"batchUpdateDetectorErrorEntries": []}})
            bad = json.loads(feed.apply_call(engine, b'{"operation": "CreateInput", "request": {}}', 2000))
            self.assertEqual(bad["body"]["__type"], "InvalidRequestException")
            self.assertIn("not one of", bad["body"]["message"])


class ModelBucketTest(unittest.TestCase):
    def test_create_update_delete(self):
        with feed.open_engine({"clock": "manual"}) as engine:
            entries = {"input.Reading": (1, json.dumps(READING).encode()),
                       "detector-model.meter": (2, json.dumps(METER).encode())}
            applied = models.reconcile(engine, entries, {}, "test")
            self.assertEqual(applied, {"input.Reading": 1, "detector-model.meter": 2})
            changed = dict(METER, detectorModelDescription="second")
            entries["detector-model.meter"] = (3, json.dumps(changed).encode())
            applied = models.reconcile(engine, entries, applied, "test")
            self.assertEqual(engine.call("DescribeDetectorModel", {"detectorModelName": "meter"})
                             ["detectorModel"]["detectorModelConfiguration"]["detectorModelDescription"], "second")
            del entries["detector-model.meter"]
            applied = models.reconcile(engine, entries, applied, "test")
            self.assertEqual(engine.call("ListDetectorModels", {})["detectorModelSummaries"], [])
            self.assertEqual(applied, {"input.Reading": 1})
        self.assertEqual(models.entry_key(METER), "detector-model.meter")
        with self.assertRaises(ValueError):
            models.entry_key({"what": 1})


if __name__ == "__main__":
    unittest.main()
