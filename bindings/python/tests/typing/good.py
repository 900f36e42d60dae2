"""Well-typed use of the clients: mypy --strict passes, and it runs (check_typing.py)."""
from datetime import datetime

import iotevents

with iotevents.Engine(clock="manual") as engine:
    control = engine.client("iotevents")
    control.create_input(inputName="Beat", inputDefinition={"attributes": [{"jsonPath": "id"}]},
                         tags=[{"key": "site", "value": "7"}])
    created = control.create_detector_model(
        detectorModelName="hb", key="id", roleArn="arn:aws:iam::123456789012:role/r",
        detectorModelDefinition={"initialStateName": "On", "states": [
            {"stateName": "On", "onInput": {"events": [], "transitionEvents": [
                {"eventName": "off", "condition": 'currentInput("Beat")', "nextState": "Off"}]}},
            {"stateName": "Off"}]})
    version: str = created["detectorModelConfiguration"]["detectorModelVersion"]
    when: datetime = created["detectorModelConfiguration"]["creationTime"]
    data = engine.client("iotevents-data")
    sent = data.batch_put_message(messages=[{"messageId": "1", "inputName": "Beat", "payload": b'{"id": "d"}'},
                                           {"messageId": "2", "inputName": "Beat", "payload": {"id": "e"}}])
    errors = sent["BatchPutMessageErrorEntries"]
    status: int = sent["ResponseMetadata"]["HTTPStatusCode"]
    detector = data.describe_detector(detectorModelName="hb", keyValue="d")
    state: str = detector["detector"]["state"]["stateName"]
    sitewise = engine.client("iotsitewise")
    sitewise.batch_put_asset_property_value(entries=[])
    print(version, when, errors, status, state)
