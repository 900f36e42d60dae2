"""The AWS IoT Events developer guide's motor example, as boto3 code: an input for pressure
readings, the motorDetectorModel (Normal / Dangerous, one detector per motorid) and readings for
two motors. Plain Python over any pair of boto3-shaped clients, so the newest-boto3 check runs it
in its own venv too."""
import json

INPUT = {"inputName": "PressureInput",
         "inputDescription": "Pressure readings from a motor",
         "inputDefinition": {"attributes": [{"jsonPath": "sensorData.pressure"}, {"jsonPath": "motorid"}]}}

MODEL = {
    "detectorModelName": "motorDetectorModel",
    "key": "motorid",
    "roleArn": "arn:aws:iam::123456789012:role/IoTEventsRole",
    "detectorModelDefinition": {
        "initialStateName": "Normal",
        "states": [
            {"stateName": "Normal",
             "onEnter": {"events": [{"eventName": "init", "condition": "true", "actions": [
                 {"setVariable": {"variableName": "pressureThresholdBreached", "value": "0"}}]}]},
             "onInput": {"transitionEvents": [
                 {"eventName": "Overpressurized", "condition": "$input.PressureInput.sensorData.pressure > 70",
                  "actions": [{"setVariable": {"variableName": "pressureThresholdBreached",
                                               "value": "$variable.pressureThresholdBreached + 3"}}],
                  "nextState": "Dangerous"}]}},
            {"stateName": "Dangerous",
             "onEnter": {"events": [{"eventName": "Pressure Threshold Breached",
                                     "condition": "$variable.pressureThresholdBreached > 1",
                                     "actions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:underPressureAction"}}]}]},
             "onInput": {
                 "events": [
                     {"eventName": "Overpressurized", "condition": "$input.PressureInput.sensorData.pressure > 70",
                      "actions": [{"setVariable": {"variableName": "pressureThresholdBreached", "value": "3"}}]},
                     {"eventName": "Pressure Okay", "condition": "$input.PressureInput.sensorData.pressure <= 70",
                      "actions": [{"setVariable": {"variableName": "pressureThresholdBreached",
                                                   "value": "$variable.pressureThresholdBreached - 1"}}]}],
                 "transitionEvents": [
                     {"eventName": "BackToNormal",
                      "condition": "$input.PressureInput.sensorData.pressure <= 70 && $variable.pressureThresholdBreached <= 1",
                      "nextState": "Normal"}]},
             "onExit": {"events": [{"eventName": "Normal Pressure Restored", "condition": "true",
                                    "actions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:pressureClearedAction"}}]}]}}]}}

# What DescribeDetector must show after each batch of READINGS: (motorid, state, pressureThresholdBreached)
EXPECTED = [
    [("Fulton-A32", "Dangerous", "3"), ("Fulton-A33", "Normal", "0")],
    [("Fulton-A32", "Dangerous", "2"), ("Fulton-A33", "Dangerous", "3")],
    [("Fulton-A32", "Dangerous", "1"), ("Fulton-A33", "Dangerous", "3")],
    [("Fulton-A32", "Normal", "0"), ("Fulton-A33", "Dangerous", "3")],
]
READINGS = [
    [("Fulton-A32", 80), ("Fulton-A33", 60)],
    [("Fulton-A32", 60), ("Fulton-A33", 90)],
    [("Fulton-A32", 55)],
    [("Fulton-A32", 50)],  # the counter is down to 1: back to Normal, which resets it
]


def message(index, motorid, pressure):
    return {"messageId": "%05d" % index, "inputName": "PressureInput",
            "payload": json.dumps({"motorid": motorid, "sensorData": {"pressure": pressure}}).encode()}


def run(control, data):
    """Runs the scenario on an iotevents client and an iotevents-data client; returns what
    DescribeDetector showed after each batch, in the shape of EXPECTED."""
    created = control.create_input(**INPUT)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201, created
    model = control.create_detector_model(**MODEL)["detectorModelConfiguration"]
    assert model["status"] in ("ACTIVATING", "ACTIVE"), model
    seen, index = [], 0
    for batch in READINGS:
        messages = []
        for motorid, pressure in batch:
            index += 1
            messages.append(message(index, motorid, pressure))
        answer = data.batch_put_message(messages=messages)
        assert answer["BatchPutMessageErrorEntries"] == [], answer
        states = []
        for motorid in ("Fulton-A32", "Fulton-A33"):
            detector = data.describe_detector(detectorModelName="motorDetectorModel", keyValue=motorid)["detector"]
            variables = {v["name"]: v["value"] for v in detector["state"]["variables"]}
            states.append((detector["keyValue"], detector["state"]["stateName"], variables["pressureThresholdBreached"]))
        seen.append(states)
    listed = data.list_detectors(detectorModelName="motorDetectorModel")["detectorSummaries"]
    assert sorted(d["keyValue"] for d in listed) == ["Fulton-A32", "Fulton-A33"], listed
    return seen
