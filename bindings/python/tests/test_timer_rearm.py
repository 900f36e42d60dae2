"""A timer re-armed to a later deadline keeps its queue entry, which moves to the new deadline
when it comes due (DetectorCycle.arm, Engine.requeueIfRearmed). Nothing of that may show: ties
still fire in the order of the timers' latest arming, iotevents_next_deadline names the timer's
own deadline, a re-arm to an earlier deadline fires once, and a snapshot taken while entries wait
restores an engine that acts the same."""
import unittest

import iotevents

T0 = 1700000000000
ROLE = "arn:aws:iam::123456789012:role/r"
BEAT = {"inputName": "Beat", "inputDefinition": {"attributes": [{"jsonPath": "id"}, {"jsonPath": "seconds"}]}}
WATCH = {
    "detectorModelName": "watch", "key": "id", "roleArn": ROLE,
    "detectorModelDefinition": {"initialStateName": "S", "states": [{"stateName": "S", "onInput": {"events": [
        {"eventName": "arm", "condition": "currentInput(\"Beat\")",
         "actions": [{"setTimer": {"timerName": "t", "durationExpression": "$input.Beat.seconds"}}]},
        {"eventName": "fired", "condition": "timeout(\"t\")",
         "actions": [{"lambda": {"functionArn": "arn:aws:lambda:us-east-1:123456789012:function:f",
                                 "payload": {"type": "STRING", "contentExpression": "'fired'"}}}]}]}}]},
}


LIMITS = {"minTimerSeconds": 1}


def engine():
    e = iotevents.Engine(clock="manual", start_time_millis=T0, limits=LIMITS)
    e.call("CreateInput", BEAT)
    e.call("CreateDetectorModel", WATCH)
    return e


def beat(e, at, key, seconds):
    e.tick(T0 + at)
    e.call("BatchPutMessage", {"messages": [
        {"messageId": "%s-%d" % (key, at), "inputName": "Beat", "payload": {"id": key, "seconds": seconds}}]})


def fired(e, until):
    seen = []
    e.on_action(lambda a: seen.append((a["source"]["keyValue"], a["eventTime"])))
    e.tick(T0 + until)
    e.on_action(None)
    return seen


class TimerRearmTest(unittest.TestCase):
    def rearmed_to_a_tie(self, e):
        # a due at +60 s, b at +62 s; b re-armed at +3 s and a at +5 s: both due at +65 s.
        beat(e, 0, "a", 60)
        beat(e, 0, "b", 62)
        beat(e, 3000, "b", 62)
        beat(e, 5000, "a", 60)

    def test_ties_fire_in_the_order_of_the_latest_arming(self):
        with engine() as e:
            self.rearmed_to_a_tie(e)
            self.assertEqual(fired(e, 64_999), [])
            self.assertEqual(fired(e, 65_000), [("b", T0 + 65_000), ("a", T0 + 65_000)])
            self.assertIsNone(e.next_deadline())

    def test_next_deadline_is_the_timers_own(self):
        with engine() as e:
            beat(e, 0, "a", 60)
            beat(e, 30_000, "a", 60)
            self.assertEqual(e.next_deadline(), T0 + 90_000)
            self.assertEqual(fired(e, 60_000), [])
            self.assertEqual(e.next_deadline(), T0 + 90_000)
            described = e.call("DescribeDetector", {"detectorModelName": "watch", "keyValue": "a"})
            self.assertEqual([t["timestamp"] for t in described["detector"]["state"]["timers"]], [(T0 + 90_000) / 1000])
            self.assertEqual(fired(e, 90_000), [("a", T0 + 90_000)])

    def test_an_earlier_deadline_fires_once(self):
        with engine() as e:
            beat(e, 0, "a", 60)
            beat(e, 10_000, "a", 20)
            self.assertEqual(e.next_deadline(), T0 + 30_000)
            self.assertEqual(fired(e, 30_000), [("a", T0 + 30_000)])
            self.assertEqual(fired(e, 120_000), [])
            self.assertIsNone(e.next_deadline())

    def test_a_snapshot_with_waiting_entries_restores_the_same_future(self):
        with engine() as original:
            self.rearmed_to_a_tie(original)
            beat(original, 6000, "c", 59)  # also due at +65 s, armed last
            text = original.snapshot()
            with iotevents.Engine(clock="manual", limits=LIMITS, snapshot=text) as restored:
                self.assertEqual(restored.next_deadline(), original.next_deadline())
                expected = [("b", T0 + 65_000), ("a", T0 + 65_000), ("c", T0 + 65_000)]
                self.assertEqual(fired(restored, 65_000), expected)
                self.assertEqual(fired(original, 65_000), expected)


if __name__ == "__main__":
    unittest.main()
