"""A real boto3 client attached to an engine (iotevents.boto3.attach) gives what the native client
gives, call for call, over every operation of both services: same responses, same HTTP status
codes, same exception classes and error documents, datetimes as datetimes."""
import datetime
import unittest

import iotevents

from every_operation import START, STEPS

try:
    import boto3
    import botocore.config
    import iotevents.boto3 as attachment
    from botocore.awsrequest import AWSResponse
except ImportError:  # make python-test installs boto3; a bare checkout may lack it
    boto3 = None

SERVICES = ("iotevents", "iotevents-data")


def boto3_client(service):
    # No credentials on purpose: an attached client sends nothing and signs nothing.
    config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
    return boto3.client(service, region_name="us-east-1", config=config,
                        aws_access_key_id=None, aws_secret_access_key=None)


class _Raw:
    def __init__(self, data):
        self._data = data

    def stream(self, **_):
        yield self._data


def normalise(result):
    """What must agree between the two clients: everything but the request ids and headers."""
    if isinstance(result, Exception):
        response = result.response
        return ("error", type(result).__name__, response["Error"],
                response["ResponseMetadata"]["HTTPStatusCode"],
                {k: v for k, v in response.items() if k not in ("Error", "ResponseMetadata")})
    metadata = result.pop("ResponseMetadata")
    return ("ok", metadata["HTTPStatusCode"], result)


def run(clients, engine):
    outcomes = []
    for service, method, *kwargs in STEPS:
        if service == "tick":
            engine.tick(method)
            continue
        client = clients[service]
        try:
            outcomes.append((service, method, normalise(getattr(client, method)(**kwargs[0]))))
        except client.exceptions.ClientError as error:
            outcomes.append((service, method, normalise(error)))
    return outcomes


@unittest.skipIf(boto3 is None, "boto3 is not installed")
class AttachTest(unittest.TestCase):
    def test_every_operation_gives_the_same_results_both_ways(self):
        with iotevents.Engine(clock="manual", start_time_millis=START) as native_engine, \
                iotevents.Engine(clock="manual", start_time_millis=START) as boto_engine:
            native = run({s: native_engine.client(s) for s in SERVICES}, native_engine)
            attached = {s: attachment.attach(boto3_client(s), boto_engine) for s in SERVICES}
            through_boto3 = run(attached, boto_engine)
        self.assertEqual(len(native), len(through_boto3))
        for mine, theirs in zip(native, through_boto3):
            self.assertEqual(mine, theirs)
        called = {(s, m) for s, m, _ in native}
        for service in SERVICES:
            every = set(native_engine.client(service).meta.method_to_api_mapping)
            self.assertEqual({m for s, m in called if s == service}, every, "operations the scenario misses")
        statuses = {outcome[2][0] + str(outcome[2][1] if outcome[2][0] == "ok" else outcome[2][3]) for outcome in native}
        # No operation of the two services answers 501 any more (the analysis is served); the
        # 501 path through boto3 is SiteWiseTest's list_assets.
        for expected in ("ok200", "ok201", "ok202", "ok204", "error400", "error404", "error409"):
            self.assertIn(expected, statuses)

    def test_errors_datetimes_and_blobs_through_boto3(self):
        with iotevents.Engine(clock="manual", start_time_millis=START) as engine:
            control = attachment.attach(boto3_client("iotevents"), engine)
            data = attachment.attach(boto3_client("iotevents-data"), engine)
            created = control.create_input(inputName="Beat", inputDefinition={"attributes": [{"jsonPath": "id"}]})
            when = created["inputConfiguration"]["creationTime"]
            self.assertEqual(when, datetime.datetime.fromtimestamp(START / 1000, datetime.timezone.utc))
            with self.assertRaises(control.exceptions.ResourceAlreadyExistsException) as caught:
                control.create_input(inputName="Beat", inputDefinition={"attributes": [{"jsonPath": "id"}]})
            self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 409)
            # botocore's own validation runs before anything is sent; the native client leaves
            # validation to the engine, which names the member (docs: bindings/python/README.md)
            with self.assertRaises(botocore.exceptions.ParamValidationError):
                data.batch_put_message(messages=[])
            native = engine.client("iotevents-data")
            with self.assertRaises(native.exceptions.InvalidRequestException) as caught:
                native.batch_put_message(messages=[])
            self.assertIn("messages", caught.exception.response["Error"]["Message"])
            r = data.batch_put_message(messages=[{"messageId": "1", "inputName": "Beat", "payload": b'{"id": "x\\u00e9"}'}])
            self.assertEqual(r["BatchPutMessageErrorEntries"], [])

    def test_attach_refuses_other_services_and_detach_restores_sending(self):
        with iotevents.Engine(clock="manual") as engine:
            with self.assertRaises(ValueError):
                attachment.attach(boto3.client("s3", region_name="us-east-1"), engine)
            client = attachment.attach(boto3_client("iotevents"), engine)
            self.assertTrue(attachment.is_attached(client))
            client.list_inputs()
            attachment.detach(client)
            self.assertFalse(attachment.is_attached(client))
            # Detached, the client signs and sends again: a stand-in for the network answers.
            sent = []

            def network(request, **_):
                sent.append(request.url)
                return AWSResponse(request.url, 200, {"Content-Type": "application/json"},
                                   _Raw(b'{"inputSummaries": []}'))

            signed = boto3.client("iotevents", region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE",
                                  aws_secret_access_key="secret", config=botocore.config.Config(retries={"max_attempts": 1}))
            attachment.attach(signed, engine)
            engine.client("iotevents").create_input(inputName="Beat", inputDefinition={"attributes": [{"jsonPath": "id"}]})
            self.assertEqual(len(signed.list_inputs()["inputSummaries"]), 1)
            attachment.detach(signed)
            signed.meta.events.register("before-send.iot-events", network)
            self.assertEqual(signed.list_inputs()["inputSummaries"], [])
            self.assertEqual(len(sent), 1)

    def test_native_surface_matches_boto3_method_for_method(self):
        with iotevents.Engine(clock="manual") as engine:
            for service in SERVICES:
                theirs = {n for n in dir(boto3_client(service)) if not n.startswith("_")}
                mine = {n for n in dir(engine.client(service)) if not n.startswith("_")}
                # generate_presigned_url signs a URL for AWS; there is no URL to sign here.
                self.assertEqual(theirs - {"generate_presigned_url"}, mine)


if __name__ == "__main__":
    unittest.main()


@unittest.skipIf(boto3 is None, "boto3 is not installed")
class SiteWiseAttachTest(unittest.TestCase):
    """boto3's own iotsitewise client, attached, feeds SiteWise-sourced alarm models with
    BatchPutAssetPropertyValue and gives what the native iotsitewise client gives."""

    def test_batch_put_asset_property_value_through_boto3(self):
        ref = "$sitewise.assetModel.`5f0c2a1e-0000-4000-8000-00000000aa01`.`%s`.propertyValue.value"
        temperature, threshold = "5f0c2a1e-0000-4000-8000-0000000000a1", "5f0c2a1e-0000-4000-8000-0000000000a2"
        boiler = "b01e0000-0000-4000-8000-000000000001"
        entries = [
            {"entryId": "t", "assetId": boiler, "propertyId": threshold,
             "propertyValues": [{"value": {"integerValue": 80}, "timestamp": {"timeInSeconds": 1700000000}}]},
            {"entryId": "v", "assetId": boiler, "propertyId": temperature,
             "propertyValues": [{"value": {"doubleValue": 85.5}, "timestamp": {"timeInSeconds": 1700000001, "offsetInNanos": 5}}]},
            {"entryId": "alias", "propertyAlias": "/boiler/1/temperature",
             "propertyValues": [{"value": {"booleanValue": True}, "timestamp": {"timeInSeconds": 1700000002}}]}]
        results = []
        for attached in (True, False):
            with iotevents.Engine(clock="manual", start_time_millis=START) as engine:
                engine.call("CreateAlarmModel", {
                    "alarmModelName": "BoilerTempAlarm", "roleArn": "arn:aws:iam::123456789012:role/r",
                    "alarmRule": {"simpleRule": {"inputProperty": ref % temperature, "comparisonOperator": "GREATER",
                                                 "threshold": ref % threshold}},
                    "alarmCapabilities": {"initializationConfiguration": {"disabledOnInitialization": False}}})
                client = attachment.attach(boto3_client("iotsitewise"), engine) if attached else engine.client("iotsitewise")
                results.append(normalise(client.batch_put_asset_property_value(entries=entries)))
                alarm = engine.call("DescribeAlarm", {"alarmModelName": "BoilerTempAlarm", "keyValue": boiler})["alarm"]
                self.assertEqual(alarm["alarmState"]["stateName"], "ACTIVE")
                if attached:
                    with self.assertRaises(client.exceptions.ClientError) as caught:
                        client.list_assets()
                    self.assertEqual(caught.exception.response["Error"]["Code"], "UnsupportedOperationException")
        self.assertEqual(results[0], results[1])
        self.assertEqual([e["entryId"] for e in results[0][2]["errorEntries"]], ["alias"])


@unittest.skipIf(boto3 is None, "boto3 is not installed")
class ValidationTest(unittest.TestCase):
    """The native client leaves validation to the engine: whatever botocore's validator refuses
    (a required member missing, a wrong type, a list too short), the engine refuses too."""

    def test_what_botocore_refuses_the_engine_refuses(self):
        from botocore.validate import ParamValidator
        validator = ParamValidator()
        wrong = {"string": 12345, "integer": "x", "long": "x", "boolean": "x", "list": "x",
                 "structure": "x", "map": "x", "timestamp": "x", "blob": 7, "float": "x", "double": "x"}
        checked = 0
        with iotevents.Engine(clock="manual", start_time_millis=START) as engine:
            clients = {s: engine.client(s) for s in SERVICES}
            models = {s: boto3_client(s).meta.service_model for s in SERVICES}
            for service, method, *kwargs in STEPS:
                if service == "tick":
                    continue
                operation = models[service].operation_model(clients[service].meta.method_to_api_mapping[method])
                shape = operation.input_shape
                variants = [{k: v for k, v in kwargs[0].items() if k != name} for name in shape.required_members]
                variants += [dict(kwargs[0], **{name: wrong[shape.members[name].type_name]}) for name in kwargs[0]]
                variants += [dict(kwargs[0], **{name: []}) for name in kwargs[0]
                             if shape.members[name].type_name == "list" and shape.members[name].metadata.get("min")]
                for variant in variants:
                    if not validator.validate(variant, shape).has_errors():
                        continue
                    checked += 1
                    with self.assertRaises(clients[service].exceptions.InvalidRequestException, msg=(method, variant)):
                        getattr(clients[service], method)(**variant)
        self.assertGreater(checked, 100)
