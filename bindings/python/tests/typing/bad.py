"""Misspelt members: each line that must fail is marked with the error mypy must report (check_typing.py)."""
import iotevents

with iotevents.Engine(clock="manual") as engine:
    control = engine.client("iotevents")
    control.create_input(inputNme="Beat", inputDefinition={"attributes": []})  # error: Unexpected keyword argument "inputNme"
    control.create_input(inputName="Beat", inputDefinition={"attributes": [{"jsonPth": "id"}]})  # error: Extra key "jsonPth" for TypedDict "Attribute"
    data = engine.client("iotevents-data")
    data.batch_put_message(messages=[{"messageId": "1", "inputName": "Beat"}])  # error: Missing key "payload" for TypedDict "Message"
    detector = data.describe_detector(detectorModelName="hb", keyValue="d")
    detector["detector"]["stateName"]  # error: TypedDict "Detector" has no key "stateName"
    data.list_detector(detectorModelName="hb")  # error: "IoTEventsDataClient" has no attribute "list_detector"
