#!/usr/bin/env python3
"""The heartbeat model on an embedded engine, through the boto3-shaped clients.

Two devices beat; one goes silent. Five minutes later (on the engine's manual clock) its detector
goes Offline and the model's SNS action arrives at the action handler; a new beat brings it back.

    IOTEVENTS_LIBRARY=build/standard/libiotevents.so.0 PYTHONPATH=bindings/python \
        python3 examples/python/heartbeat.py
"""
import json
import os

import iotevents

MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models")
START = 1700000000000  # epoch ms of the manual clock's start


def load(name):
    with open(os.path.join(MODELS, name)) as f:
        return json.load(f)


def beat(message_id, device, battery):
    payload = json.dumps({"deviceId": device, "battery": battery}).encode()
    return {"messageId": message_id, "inputName": "Heartbeat", "payload": payload}


def show_states(data):
    for summary in data.list_detectors(detectorModelName="deviceHeartbeat")["detectorSummaries"]:
        print("  %-8s %s" % (summary["keyValue"], summary["state"]["stateName"]))


def main():
    with iotevents.Engine(clock="manual", start_time_millis=START) as engine:
        engine.on_action(lambda action: print("  action:", action["type"], action.get("payload", "")))
        control, data = engine.client("iotevents"), engine.client("iotevents-data")
        control.create_input(**load("heartbeat-input.json"))
        control.create_detector_model(**load("heartbeat.json"))

        print("t=0: both devices beat")
        data.batch_put_message(messages=[beat("1", "pump-1", 97), beat("2", "pump-2", 88)])
        show_states(data)

        print("t=4min: only pump-1 beats")
        engine.tick(START + 240000)
        data.batch_put_message(messages=[beat("3", "pump-1", 96)])

        print("t=5min: pump-2's watchdog expires")
        engine.tick(START + 300000)
        show_states(data)

        print("t=6min: pump-2 is back")
        engine.tick(START + 360000)
        data.batch_put_message(messages=[beat("4", "pump-2", 80)])
        show_states(data)

        detector = data.describe_detector(detectorModelName="deviceHeartbeat", keyValue="pump-1")["detector"]
        variables = {v["name"]: v["value"] for v in detector["state"]["variables"]}
        print("pump-1: beats=%s battery=%s, last updated %s" % (
            variables["beats"], variables["battery"], detector["lastUpdateTime"].isoformat()))


if __name__ == "__main__":
    main()
