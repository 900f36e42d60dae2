"""One scenario that calls every operation of both services, successes and errors, as data:
each step is ("iotevents" | "iotevents-data", method, kwargs) or ("tick", epoch ms). The native
client and an attached boto3 client must give the same results for it (test_boto3_attach.py)."""
import json
import os

MODELS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "models")
START = 1700000000000


def model(name):
    with open(os.path.join(MODELS, name)) as f:
        return json.load(f)


def _steps():
    c, d = "iotevents", "iotevents-data"
    heartbeat, boiler = model("heartbeat.json"), model("boiler-alarm.json")
    updated = dict(heartbeat, detectorModelDescription="second version")
    updated_alarm = dict(boiler, severity=2)
    for m in (updated, updated_alarm):
        m.pop("key", None)  # the key cannot change on update
    for m in (updated,):
        m.pop("detectorModelName")
    updated_alarm.pop("alarmModelName")
    beat = lambda i, device: {"messageId": "m%d" % i, "inputName": "Heartbeat",
                              "payload": json.dumps({"deviceId": device, "battery": 90 - i}).encode()}
    pressure = lambda i, boiler_id, bar: {"messageId": "p%d" % i, "inputName": "BoilerPressure",
                                          "payload": json.dumps({"boilerId": boiler_id, "bar": bar})}
    alarm = lambda request_id, key, **extra: dict({"requestId": request_id, "alarmModelName": "boilerOverpressure", "keyValue": key}, **extra)
    return [
        # inputs
        (c, "create_input", model("heartbeat-input.json")),
        (c, "create_input", model("boiler-input.json")),
        (c, "create_input", model("heartbeat-input.json")),  # ResourceAlreadyExistsException
        (c, "update_input", {"inputName": "BoilerPressure", "inputDescription": "bar, per boiler",
                             "inputDefinition": {"attributes": [{"jsonPath": "boilerId"}, {"jsonPath": "bar"}]}}),
        (c, "describe_input", {"inputName": "Heartbeat"}),
        (c, "describe_input", {"inputName": "nope"}),  # ResourceNotFoundException
        (c, "list_inputs", {"maxResults": 1}),
        # models
        (c, "create_detector_model", heartbeat),
        (c, "create_alarm_model", boiler),
        (c, "create_detector_model", dict(heartbeat, detectorModelName="bad name!")),  # InvalidRequestException
        (c, "update_detector_model", dict(updated, detectorModelName="deviceHeartbeat")),
        (c, "update_alarm_model", dict(updated_alarm, alarmModelName="boilerOverpressure")),
        (c, "describe_detector_model", {"detectorModelName": "deviceHeartbeat"}),
        (c, "describe_detector_model", {"detectorModelName": "deviceHeartbeat", "detectorModelVersion": "1"}),
        (c, "describe_alarm_model", {"alarmModelName": "boilerOverpressure"}),
        (c, "describe_alarm_model", {"alarmModelName": "boilerOverpressure", "alarmModelVersion": "1"}),
        (c, "list_detector_models", {}),
        (c, "list_detector_model_versions", {"detectorModelName": "deviceHeartbeat"}),
        (c, "list_alarm_models", {}),
        (c, "list_alarm_model_versions", {"alarmModelName": "boilerOverpressure", "maxResults": 1}),
        (c, "list_input_routings", {"inputIdentifier": {"iotEventsInputIdentifier": {"inputName": "Heartbeat"}}}),
        # tags and logging
        (c, "tag_resource", {"resourceArn": "arn:aws:iotevents:us-east-1:123456789012:input/Heartbeat",
                             "tags": [{"key": "site", "value": "north"}, {"key": "line", "value": "2"}]}),
        (c, "untag_resource", {"resourceArn": "arn:aws:iotevents:us-east-1:123456789012:input/Heartbeat", "tagKeys": ["line"]}),
        (c, "list_tags_for_resource", {"resourceArn": "arn:aws:iotevents:us-east-1:123456789012:input/Heartbeat"}),
        (c, "put_logging_options", {"loggingOptions": {"roleArn": "arn:aws:iam::123456789012:role/log", "level": "INFO", "enabled": True}}),
        (c, "describe_logging_options", {}),
        # detector model analysis (ids count from 1 in each engine)
        (c, "start_detector_model_analysis", {"detectorModelDefinition": heartbeat["detectorModelDefinition"]}),
        (c, "describe_detector_model_analysis", {"analysisId": "00000000-0000-4000-8000-000000000001"}),
        (c, "get_detector_model_analysis_results", {"analysisId": "00000000-0000-4000-8000-000000000001", "maxResults": 1}),
        (c, "describe_detector_model_analysis", {"analysisId": "a1"}),
        # data plane: detectors
        (d, "batch_put_message", {"messages": [beat(1, "d1"), beat(2, "d2"), beat(3, "d3")]}),
        (d, "batch_put_message", {"messages": [beat(1, "d1"), {"messageId": "x", "inputName": "nope", "payload": b"{}"}]}),
        (d, "batch_put_message", {"messages": [dict(beat(4, "d4"), payload=b"not json")]}),
        (d, "describe_detector", {"detectorModelName": "deviceHeartbeat", "keyValue": "d2"}),
        (d, "describe_detector", {"detectorModelName": "deviceHeartbeat", "keyValue": "zz"}),
        (d, "list_detectors", {"detectorModelName": "deviceHeartbeat", "maxResults": 2}),
        ("tick", START + 301000),
        (d, "list_detectors", {"detectorModelName": "deviceHeartbeat", "stateName": "Offline"}),
        (d, "batch_update_detector", {"detectors": [{"messageId": "u1", "detectorModelName": "deviceHeartbeat", "keyValue": "d1",
                                                     "state": {"stateName": "Online", "variables": [{"name": "beats", "value": "41"}],
                                                               "timers": [{"name": "awol", "seconds": 600}]}}]}),
        (d, "describe_detector", {"detectorModelName": "deviceHeartbeat", "keyValue": "d1"}),
        (d, "batch_delete_detector", {"detectors": [{"messageId": "x1", "detectorModelName": "deviceHeartbeat", "keyValue": "d3"},
                                                    {"messageId": "x2", "detectorModelName": "deviceHeartbeat", "keyValue": "none"}]}),
        # data plane: alarms
        (d, "batch_put_message", {"messages": [pressure(1, "b1", 9.5), pressure(2, "b2", 3), pressure(3, "b3", 12)]}),
        (d, "describe_alarm", {"alarmModelName": "boilerOverpressure", "keyValue": "b1"}),
        (d, "list_alarms", {"alarmModelName": "boilerOverpressure", "maxResults": 2}),
        (d, "batch_acknowledge_alarm", {"acknowledgeActionRequests": [alarm("a1", "b1", note="on it"), alarm("a2", "b2")]}),
        (d, "batch_snooze_alarm", {"snoozeActionRequests": [alarm("s1", "b3", snoozeDuration=120)]}),
        (d, "batch_reset_alarm", {"resetActionRequests": [alarm("r1", "b1")]}),
        (d, "batch_disable_alarm", {"disableActionRequests": [alarm("x1", "b2"), alarm("x2", "missing")]}),
        (d, "batch_enable_alarm", {"enableActionRequests": [alarm("e1", "b2")]}),
        ("tick", START + 500000),
        (d, "describe_alarm", {"alarmModelName": "boilerOverpressure", "keyValue": "b3"}),
        (d, "describe_alarm", {"alarmModelName": "nope", "keyValue": "b3"}),
        # deletes, in-use first
        (c, "delete_input", {"inputName": "Heartbeat"}),
        (c, "delete_detector_model", {"detectorModelName": "deviceHeartbeat"}),
        (c, "delete_alarm_model", {"alarmModelName": "boilerOverpressure"}),
        (c, "delete_input", {"inputName": "Heartbeat"}),
        (c, "list_detector_models", {}),
    ]


STEPS = _steps()
