"""The boto3-shaped clients: snake_case methods, keyword arguments, datetimes, bytes payloads,
ResponseMetadata, exceptions, paginators and waiters."""
import datetime
import json
import unittest

import iotevents


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.engine = iotevents.Engine(clock="manual", start_time_millis=1700000000000)
        self.control = self.engine.client("iotevents")
        self.data = self.engine.client("iotevents-data")

    def tearDown(self):
        self.engine.close()

    def test_control_plane_returns_datetimes_and_metadata(self):
        r = self.control.create_input(inputName="Tank", inputDefinition={"attributes": [{"jsonPath": "id"}, {"jsonPath": "level"}]})
        created = r["inputConfiguration"]["creationTime"]
        self.assertEqual(created, datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc))
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 201)  # CreateInput answers 201
        summaries = self.control.list_inputs()["inputSummaries"]
        self.assertIsInstance(summaries[0]["lastUpdateTime"], datetime.datetime)

    def test_bytes_payloads_are_base64_on_the_wire(self):
        self.control.create_input(inputName="Tank", inputDefinition={"attributes": [{"jsonPath": "id"}, {"jsonPath": "level"}]})
        self.control.create_alarm_model(
            alarmModelName="low", roleArn="arn:aws:iam::123456789012:role/r", key="id",
            alarmRule={"simpleRule": {"inputProperty": "$input.Tank.level", "comparisonOperator": "LESS", "threshold": "10"}},
            alarmCapabilities={"initializationConfiguration": {"disabledOnInitialization": False}})
        r = self.data.batch_put_message(messages=[
            {"messageId": "1", "inputName": "Tank", "payload": json.dumps({"id": "t1", "level": 3}).encode()},
            {"messageId": "2", "inputName": "Tank", "payload": json.dumps({"id": "t2", "level": 30})}])
        self.assertEqual(r["BatchPutMessageErrorEntries"], [])
        alarm = self.data.describe_alarm(alarmModelName="low", keyValue="t1")["alarm"]
        self.assertEqual(alarm["alarmState"]["stateName"], "ACTIVE")
        self.assertIsInstance(alarm["creationTime"], datetime.datetime)
        r = self.data.batch_acknowledge_alarm(acknowledgeActionRequests=[{"requestId": "a", "alarmModelName": "low", "keyValue": "t1"}])
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 202)
        self.assertNotIn("errorEntries", r)

    def test_sitewise_client_feeds_sitewise_alarm_models(self):
        model = "$sitewise.assetModel.`5f0c2a1e-0000-4000-8000-00000000aa01`.`%s`.propertyValue.value"
        temperature, threshold = "5f0c2a1e-0000-4000-8000-0000000000a1", "5f0c2a1e-0000-4000-8000-0000000000a2"
        boiler = "b01e0000-0000-4000-8000-000000000001"
        self.control.create_alarm_model(
            alarmModelName="BoilerTempAlarm", roleArn="arn:aws:iam::123456789012:role/r",
            alarmRule={"simpleRule": {"inputProperty": model % temperature, "comparisonOperator": "GREATER",
                                      "threshold": model % threshold}},
            alarmCapabilities={"initializationConfiguration": {"disabledOnInitialization": False}})
        sitewise = self.engine.client("iotsitewise")
        self.assertEqual(dir(sitewise).count("batch_put_asset_property_value"), 1)
        value = lambda v, t: {"value": v, "timestamp": {"timeInSeconds": t}}
        r = sitewise.batch_put_asset_property_value(entries=[
            {"entryId": "t", "assetId": boiler, "propertyId": threshold, "propertyValues": [value({"integerValue": 80}, 1700000000)]},
            {"entryId": "v", "assetId": boiler, "propertyId": temperature, "propertyValues": [value({"doubleValue": 85.5}, 1700000001)]},
            {"entryId": "alias", "propertyAlias": "/boiler/1/temperature", "propertyValues": [value({"doubleValue": 1.0}, 1700000002)]}])
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual([e["entryId"] for e in r["errorEntries"]], ["alias"])
        self.assertEqual(r["errorEntries"][0]["errors"][0]["errorCode"], "InvalidRequestException")
        alarm = self.data.describe_alarm(alarmModelName="BoilerTempAlarm", keyValue=boiler)["alarm"]
        self.assertEqual(alarm["alarmState"]["stateName"], "ACTIVE")
        self.assertEqual(alarm["alarmState"]["ruleEvaluation"]["simpleRuleEvaluation"]["thresholdValue"], "80")
        with self.assertRaises(sitewise.exceptions.InvalidRequestException):
            sitewise.batch_put_asset_property_value(entries=[{"entryId": "x", "assetId": boiler, "propertyId": temperature,
                                                              "propertyValues": [value({}, 1700000003)]}])
        with self.assertRaises(AttributeError):
            sitewise.batch_put_message

    def test_exceptions_and_arguments(self):
        with self.assertRaises(self.control.exceptions.ResourceNotFoundException) as caught:
            self.control.describe_input(inputName="nope")
        self.assertEqual(caught.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.assertIsInstance(caught.exception, iotevents.ClientError)
        with self.assertRaises(TypeError):
            self.control.describe_input("nope")
        with self.assertRaises(AttributeError):
            self.data.create_input
        with self.assertRaises(ValueError):
            self.engine.client("s3")

    def test_paginators_and_waiters(self):
        for i in range(5):
            self.control.create_input(inputName="in%d" % i, inputDefinition={"attributes": [{"jsonPath": "x"}]})
        self.assertTrue(self.control.can_paginate("list_inputs"))
        self.assertFalse(self.control.can_paginate("list_tags_for_resource"))
        self.assertTrue(self.data.can_paginate("list_alarms"))
        pages = list(self.control.get_paginator("list_inputs").paginate(PaginationConfig={"PageSize": 2}))
        self.assertEqual([len(p["inputSummaries"]) for p in pages], [2, 2, 1])
        self.assertEqual(self.control.waiter_names, [])
        with self.assertRaises(ValueError):
            self.control.get_waiter("input_active")

    def test_arguments_are_left_as_they_were(self):
        self.control.create_input(inputName="Tank", inputDefinition={"attributes": [{"jsonPath": "id"}]})
        messages = [{"messageId": "1", "inputName": "Tank", "payload": b'{"id": "t"}'}]
        self.data.batch_put_message(messages=messages)
        self.assertEqual(messages, [{"messageId": "1", "inputName": "Tank", "payload": b'{"id": "t"}'}])

    def test_max_items_resume_tokens_and_full_results(self):
        for i in range(7):
            self.control.create_input(inputName="in%d" % i, inputDefinition={"attributes": [{"jsonPath": "x"}]})
        paginator = self.control.get_paginator("list_inputs")
        names = lambda pages: [s["inputName"] for p in pages for s in p["inputSummaries"]]
        everything = names(paginator.paginate(PaginationConfig={"PageSize": 3}))
        self.assertEqual(len(everything), 7)
        # MaxItems stops inside a page; the resume token continues exactly there
        first = paginator.paginate(PaginationConfig={"PageSize": 3, "MaxItems": 4})
        self.assertEqual(names(first), everything[:4])
        rest = paginator.paginate(PaginationConfig={"PageSize": 3, "StartingToken": first.resume_token})
        self.assertEqual(names(rest), everything[4:])
        # MaxItems at a page boundary resumes from the service's own token
        full = paginator.paginate(PaginationConfig={"PageSize": 3, "MaxItems": 3}).build_full_result()
        self.assertEqual([s["inputName"] for s in full["inputSummaries"]], everything[:3])
        more = paginator.paginate(PaginationConfig={"PageSize": 3, "StartingToken": full["NextToken"]}).build_full_result()
        self.assertEqual([s["inputName"] for s in more["inputSummaries"]], everything[3:])
        self.assertNotIn("NextToken", more)
        self.assertEqual(list(paginator.paginate().search("inputSummaries[].inputName")), everything)


if __name__ == "__main__":
    unittest.main()
