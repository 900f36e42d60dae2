#!/usr/bin/env python3
"""A boto3 program written for AWS IoT Events, run on the embedded engine. The lines marked
"added" are the only change: everything else is what ran against AWS before the shutdown.

    IOTEVENTS_LIBRARY=build/standard/libiotevents.so.0 PYTHONPATH=bindings/python \
        python3 examples/python/boto3_program.py
"""
import json
import os

import boto3
from botocore.exceptions import ClientError

import iotevents          # added
import iotevents.boto3    # added

MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models")

engine = iotevents.Engine(clock="system")                                        # added
events = boto3.client("iotevents", region_name="us-east-1")
data = boto3.client("iotevents-data", region_name="us-east-1")
iotevents.boto3.attach(events, engine)                                           # added
iotevents.boto3.attach(data, engine)                                             # added


def ensure_model():
    with open(os.path.join(MODELS, "boiler-input.json")) as f:
        input_request = json.load(f)
    with open(os.path.join(MODELS, "boiler-alarm.json")) as f:
        alarm_request = json.load(f)
    try:
        events.create_input(**input_request)
    except events.exceptions.ResourceAlreadyExistsException:
        pass
    try:
        events.describe_alarm_model(alarmModelName=alarm_request["alarmModelName"])
    except events.exceptions.ResourceNotFoundException:
        events.create_alarm_model(**alarm_request)


def report_pressure(boiler, bar, message_id):
    response = data.batch_put_message(messages=[{
        "messageId": message_id, "inputName": "BoilerPressure",
        "payload": json.dumps({"boilerId": boiler, "bar": bar}).encode()}])
    for entry in response["BatchPutMessageErrorEntries"]:
        print("rejected", entry["messageId"], entry["errorCode"])


def main():
    ensure_model()
    report_pressure("boiler-7", 9.2, "r1")
    alarm = data.describe_alarm(alarmModelName="boilerOverpressure", keyValue="boiler-7")["alarm"]
    print("boiler-7 is", alarm["alarmState"]["stateName"], "since", alarm["lastUpdateTime"].isoformat())
    data.batch_acknowledge_alarm(acknowledgeActionRequests=[
        {"requestId": "ack-1", "alarmModelName": "boilerOverpressure", "keyValue": "boiler-7", "note": "valve opened"}])
    for summary in data.list_alarms(alarmModelName="boilerOverpressure")["alarmSummaries"]:
        print(summary["keyValue"], summary["stateName"])
    try:
        data.describe_alarm(alarmModelName="boilerOverpressure", keyValue="boiler-99")
    except ClientError as error:
        print("boiler-99:", error.response["Error"]["Code"])


if __name__ == "__main__":
    main()
    engine.close()                                                               # added
