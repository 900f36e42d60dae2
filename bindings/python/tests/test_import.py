"""`iotevents import`: every directory of import_cases/ is a scenario, with no code of its own:
  its files          the FILE arguments, in name order (all but case.json and expected.*)
  case.json          optional: {"args": [extra arguments], "files": [FILE arguments instead,
                     relative to the case], "exit": the expected exit status (default 0)}
  expected.jsonl     what `iotevents import --emit ...` prints on standard output
  expected.stderr    what it prints on standard error (absent: nothing)
Each case runs with --emit; a case that exits 0 also runs without it (validation only: one
`valid` line per request) and into a state directory (one `created` line per request).
Importing into a state directory that holds resources already: case.json's "before" lists files
(relative to the case) imported into it first; then the state-directory run's exit status is
"load_exit" (default "exit"), with "load_args" added to its arguments (--update), and its output is expected.load and expected.load-stderr (a line per
resource: created, updated or unchanged). A run that fails leaves the state as it was; one that
succeeds leaves each resource as imported, an unchanged one untouched, and each model that
"versions" names ({"detector model NAME": count}) with that many versions.
UPDATE=1 in the environment rewrites the expected files from what the command printed."""
import json
import os

import pytest

import iotevents
from iotevents import import_shapes
from cli_support import run_cli

CASES = os.path.join(os.path.dirname(__file__), "import_cases")
HERE = os.path.dirname(__file__)


_run = run_cli


def _case(case):
    directory = os.path.join(CASES, case)
    spec = {}
    if os.path.exists(os.path.join(directory, "case.json")):
        with open(os.path.join(directory, "case.json")) as f:
            spec = json.load(f)
    files = spec.get("files") or sorted(name for name in os.listdir(directory)
                                        if name != "case.json" and not name.startswith("expected."))
    # Paths relative to the tests directory, so that messages naming a file are the same anywhere.
    files = [os.path.relpath(os.path.normpath(os.path.join(directory, name)), HERE) for name in files]
    return directory, files, spec.get("args", []), spec.get("exit", 0)


def _spec(case):
    path = os.path.join(CASES, case, "case.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def _held(state):
    """Every resource in the state directory: its describe answer, list of versions and tags."""
    held = {}
    with iotevents.Engine(state_directory=state, clock="manual") as engine:
        for name in (s["inputName"] for s in engine.call("ListInputs", {})["inputSummaries"]):
            described = engine.call("DescribeInput", {"inputName": name})
            arn = described["input"]["inputConfiguration"]["inputArn"]
            held[("input", name)] = (described, [], engine.call("ListTagsForResource", {"resourceArn": arn}))
        for name in (s["detectorModelName"] for s in engine.call("ListDetectorModels", {})["detectorModelSummaries"]):
            described = engine.call("DescribeDetectorModel", {"detectorModelName": name})
            arn = described["detectorModel"]["detectorModelConfiguration"]["detectorModelArn"]
            versions = engine.call("ListDetectorModelVersions", {"detectorModelName": name})["detectorModelVersionSummaries"]
            held[("detector model", name)] = (described, versions, engine.call("ListTagsForResource", {"resourceArn": arn}))
        for name in (s["alarmModelName"] for s in engine.call("ListAlarmModels", {})["alarmModelSummaries"]):
            described = engine.call("DescribeAlarmModel", {"alarmModelName": name})
            versions = engine.call("ListAlarmModelVersions", {"alarmModelName": name})["alarmModelVersionSummaries"]
            held[("alarm model", name)] = (described, versions, engine.call("ListTagsForResource",
                                                                            {"resourceArn": described["alarmModelArn"]}))
    return held


def _compare(path, text):
    if os.environ.get("UPDATE"):
        if text:
            with open(path, "w") as f:
                f.write(text)
        elif os.path.exists(path):
            os.remove(path)
    expected = ""
    if os.path.exists(path):
        with open(path) as f:
            expected = f.read()
    assert text == expected


@pytest.fixture(autouse=True)
def _in_tests_directory(monkeypatch):
    monkeypatch.chdir(HERE)


@pytest.mark.parametrize("case", sorted(os.listdir(CASES)))
def test_emit(case, tmp_path):
    directory, files, args, exit_status = _case(case)
    status, out, err = _run(["import", "--emit"] + args + files)
    assert status == exit_status, err
    _compare(os.path.join(directory, "expected.jsonl"), out)
    _compare(os.path.join(directory, "expected.stderr"), err)
    if exit_status:
        assert out == ""
        return
    for line in out.splitlines():
        entry = json.loads(line)
        assert set(entry) == {"operation", "request"}
    # What --emit prints imports again as the same requests.
    (tmp_path / "emitted.jsonl").write_text(out)
    again = _run(["import", "--emit", str(tmp_path / "emitted.jsonl")])
    assert again[:2] == (0, out), again[2]


@pytest.mark.parametrize("case", sorted(os.listdir(CASES)))
def test_validate_and_load(case, tmp_path):
    directory, files, args, exit_status = _case(case)
    state = str(tmp_path / "state")
    expected = []
    if os.path.exists(os.path.join(directory, "expected.jsonl")):
        with open(os.path.join(directory, "expected.jsonl")) as f:
            expected = [json.loads(line) for line in f]
    status, out, err = _run(["import"] + args + files)
    assert status == exit_status, err
    if exit_status:
        assert "nothing loaded" in err
    else:
        assert [line for line in out.splitlines() if line.startswith("valid ")] == [
            "valid " + _label(entry) for entry in expected]
    spec = _spec(case)
    if "before" in spec:
        return _load_over(case, directory, files, args, spec, state)
    status, out, err = _run(["import", "--state-directory", state] + args + files)
    assert status == exit_status, err
    with iotevents.Engine(state_directory=state, clock="manual") as engine:
        inputs = engine.call("ListInputs", {})["inputSummaries"]
        models = engine.call("ListDetectorModels", {})["detectorModelSummaries"]
        alarms = engine.call("ListAlarmModels", {})["alarmModelSummaries"]
    if exit_status:
        assert (inputs, models, alarms) == ([], [], []), "nothing is loaded when anything fails"
        return
    assert [line for line in out.splitlines() if line.startswith("created ")] == [
        "created " + _label(entry) for entry in expected]
    assert len(inputs) + len(models) + len(alarms) == len(expected)


def _load_over(case, directory, files, args, spec, state):
    before = [os.path.relpath(os.path.normpath(os.path.join(directory, name)), HERE) for name in spec["before"]]
    status, out, err = _run(["import", "--state-directory", state] + before)
    assert status == 0, err
    held_before = _held(state)
    status, out, err = _run(["import", "--state-directory", state] + spec.get("load_args", []) + args + files)
    assert status == spec.get("load_exit", spec.get("exit", 0)), err
    _compare(os.path.join(directory, "expected.load"), out)
    _compare(os.path.join(directory, "expected.load-stderr"), err)
    held_after = _held(state)
    if status:
        assert held_after == held_before, "nothing changes when anything fails"
        return
    with open(os.path.join(directory, "expected.jsonl")) as f:
        expected = [json.loads(line) for line in f]
    outcomes = dict(reversed(line.split(" ", 1)) for line in out.splitlines())
    assert sorted(outcomes) == sorted(_label(entry) for entry in expected)
    as_created = _as_created(expected)
    for entry in expected:  # each resource as imported
        label = _label(entry)
        kind, name = label.rsplit(" ", 1)
        described, versions, tags = held_after[(kind, name)]
        assert _described_request(described) == as_created[label], label
        assert sorted(map(str, tags["tags"])) == sorted(map(str, entry["request"].get("tags", []))), label
        if outcomes[label] == "unchanged":
            assert held_after[(kind, name)] == held_before[(kind, name)], label
    for label, count in spec.get("versions", {}).items():  # a model updated has a new version
        assert len(held_after[tuple(label.rsplit(" ", 1))][1]) == count, label


def _described_request(described):
    (_, request), = import_shapes.document_requests(described)
    request.pop("tags", None)
    return request


def _as_created(expected):
    """{label: request} of the expected entries as an engine gives them back once created, in
    order (defaults filled in, empty event lists written out)."""
    members = {"CreateInput": "inputName", "CreateDetectorModel": "detectorModelName", "CreateAlarmModel": "alarmModelName"}
    created = {}
    with iotevents.Engine(clock="manual") as engine:
        for entry in expected:
            member = members[entry["operation"]]
            engine.call(entry["operation"], entry["request"])
            described = engine.call(entry["operation"].replace("Create", "Describe"), {member: entry["request"][member]})
            created[_label(entry)] = _described_request(described)
    return created


def _label(entry):
    request = entry["request"]
    return {"CreateInput": "input %s" % request.get("inputName"),
            "CreateDetectorModel": "detector model %s" % request.get("detectorModelName"),
            "CreateAlarmModel": "alarm model %s" % request.get("alarmModelName")}[entry["operation"]]


def test_end_to_end_then_describe(tmp_path):
    state = str(tmp_path / "state")
    template = os.path.join("import_cases", "yaml-heartbeat", "template.yaml")
    status, out, err = _run(["import", "--state-directory", state, "--parameter", "Stage=prod",
                             "--region", "eu-west-1", "--account-id", "111122223333", template])
    assert status == 0, err
    assert out.splitlines() == ["created input Heartbeat", "created detector model deviceHeartbeat_prod",
                                "created detector model prodAudit", "created alarm model lowBattery",
                                "skipped input DevNote (condition IsDev is false)"]
    with iotevents.Engine(state_directory=state, clock="manual") as engine:
        client = engine.client("iotevents")
        names = sorted(s["detectorModelName"] for s in client.list_detector_models()["detectorModelSummaries"])
        assert names == ["deviceHeartbeat_prod", "prodAudit"]
        described = client.describe_input(inputName="Heartbeat")["input"]
        assert described["inputConfiguration"]["creationTime"].year >= 2024  # the system clock, not 1970
        assert described["inputDefinition"] == {"attributes": [{"jsonPath": "deviceId"}, {"jsonPath": "battery"}]}
        assert described["inputConfiguration"]["inputDescription"] == "A device says it is alive in eu-west-1"
        model = client.describe_detector_model(detectorModelName="deviceHeartbeat_prod")["detectorModel"]
        configuration = model["detectorModelConfiguration"]
        assert configuration["evaluationMethod"] == "SERIAL"
        assert configuration["roleArn"] == "arn:aws:iam::111122223333:role/iotEvents-prod"
        assert configuration["detectorModelDescription"] == "Production watchdog"
    # Importing again: every resource exists already, so nothing is created.
    status, out, err = _run(["import", "--state-directory", state, "--parameter", "Stage=prod", template])
    assert status == 1
    assert "HeartbeatInput (input Heartbeat): already exists" in err and out == ""


def test_describe_output_of_an_import_imports_again(tmp_path):
    """What describe-detector-model answers for an imported model imports as the same request."""
    state = str(tmp_path / "state")
    template = os.path.join("import_cases", "yaml-heartbeat", "template.yaml")
    assert _run(["import", "--state-directory", state, template])[0] == 0
    with iotevents.Engine(state_directory=state, clock="manual") as engine:
        saved_input = engine.call("DescribeInput", {"inputName": "Heartbeat"})
        saved_model = engine.call("DescribeDetectorModel", {"detectorModelName": "deviceHeartbeat_dev"})
        saved_alarm = engine.call("DescribeAlarmModel", {"alarmModelName": "lowBattery"})
    for name, document in (("input.json", saved_input), ("model.json", saved_model), ("alarm.json", saved_alarm)):
        (tmp_path / name).write_text(json.dumps(document))
    status, out, err = _run(["import", "--emit"] + [str(tmp_path / n) for n in ("input.json", "model.json", "alarm.json")])
    assert status == 0, err
    emitted = [json.loads(line) for line in out.splitlines()]
    assert [e["operation"] for e in emitted] == ["CreateInput", "CreateDetectorModel", "CreateAlarmModel"]
    assert emitted[1]["request"]["detectorModelDefinition"] == saved_model["detectorModel"]["detectorModelDefinition"]
    assert "alarmModelArn" not in emitted[2]["request"] and "creationTime" not in emitted[2]["request"]


def test_usage_errors_exit_2():
    assert _run(["import"])[0] == 2
    assert _run(["import", "--parameter", "NoEquals", "x.json"])[0] == 2
    assert _run(["import", "--emit", "--state-directory", "d", "x.json"])[0] == 2
    assert _run(["import", "--stack-name", "1st-stack", "x.json"])[0] == 2  # not a stack name
    assert _run(["import", "--stack-name", "t.yaml=under_score", "x.json"])[0] == 2
    assert _run(["import", "--import-value", "NoEquals", "x.json"])[0] == 2
    assert _run(["import", "--update", "x.json"])[0] == 2  # --update needs --state-directory
    assert _run(["import", "--update", "--emit", "x.json"])[0] == 2


def test_a_missing_file_is_named():
    status, out, err = _run(["import", "--emit", "no-such-file.yaml"])
    assert status == 1 and out == ""
    assert "no-such-file.yaml" in err


def test_without_pyyaml_a_yaml_template_says_what_to_install(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_yaml(name, *args, **kwargs):
        if name == "yaml":
            raise ImportError("No module named 'yaml'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_yaml)
    status, _, err = _run(["import", "--emit", os.path.join("import_cases", "yaml-heartbeat", "template.yaml")])
    assert status == 1
    assert "iotevents[import]" in err and "PyYAML" in err


def test_action_names_come_from_the_service_model():
    """CloudFormation's action names whose API name is not the plain lower-first one."""
    from iotevents import import_shapes
    cfn = {"IotEvents": {"InputName": "x"}, "IotSiteWise": {"PropertyAlias": "'a'"},
           "DynamoDBv2": {"TableName": "t"}, "DynamoDB": {"HashKeyField": "k", "HashKeyValue": "v", "TableName": "t"},
           "Firehose": {"DeliveryStreamName": "s"}, "Sqs": {"QueueUrl": "q", "UseBase64": "true"},
           "Sns": {"TargetArn": "a"}, "Lambda": {"FunctionArn": "f"}, "IotTopicPublish": {"MqttTopic": "t"},
           "SetTimer": {"TimerName": "t", "Seconds": "5"}, "ResetTimer": {"TimerName": "t"},
           "ClearTimer": {"TimerName": "t"}, "SetVariable": {"VariableName": "v", "Value": 1}}
    api = import_shapes.from_cloudformation(cfn, "Action", "Action")
    assert sorted(api) == sorted(["iotEvents", "iotSiteWise", "dynamoDBv2", "dynamoDB", "firehose", "sqs", "sns",
                                  "lambda", "iotTopicPublish", "setTimer", "resetTimer", "clearTimer", "setVariable"])
    assert api["sqs"]["useBase64"] is True and api["setTimer"]["seconds"] == 5 and api["setVariable"]["value"] == "1"
    assert import_shapes.from_cloudformation([{"Key": "a", "Value": "b"}], "Tags", "Tags") == [{"key": "a", "value": "b"}]


def _template(tmp_path, text, name="t.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


INPUT = """
  Readings:
    Type: AWS::IoTEvents::Input
    Properties:
      InputName: Readings
      InputDefinition: {Attributes: [{JsonPath: id}]}
"""


def test_an_undeclared_parameter_is_refused(tmp_path):
    status, _, err = _run(["import", "--emit", "--parameter", "Nope=1", _template(tmp_path, "Resources:" + INPUT)])
    assert status == 1 and "--parameter Nope: no template declares it" in err


def test_a_dependency_cycle_is_refused(tmp_path):
    text = "Resources:" + INPUT.replace("    Properties:", "    DependsOn: Other\n    Properties:") + \
        INPUT.replace("Readings", "Other").replace("    Properties:", "    DependsOn: [Readings]\n    Properties:")
    status, _, err = _run(["import", "--emit", _template(tmp_path, text)])
    assert status == 1 and "cycle" in err and "Readings" in err and "Other" in err


def test_depends_on_orders_within_a_kind_and_refers_to_known_resources(tmp_path):
    text = "Resources:" + INPUT.replace("    Properties:", "    DependsOn: Later\n    Properties:") + \
        INPUT.replace("Readings", "Later")
    status, out, err = _run(["import", "--emit", _template(tmp_path, text)])
    assert status == 0, err
    assert [json.loads(line)["request"]["inputName"] for line in out.splitlines()] == ["Later", "Readings"]
    status, _, err = _run(["import", "--emit", _template(tmp_path, "Resources:" + INPUT.replace(
        "    Properties:", "    DependsOn: Ghost\n    Properties:"))])
    assert status == 1 and "Readings: DependsOn Ghost: no such resource" in err


def test_a_reference_to_a_skipped_resource_is_refused(tmp_path):
    text = ("Conditions:\n  Disabled: !Equals [a, b]\nResources:" + INPUT.replace("    Properties:", "    Condition: Disabled\n    Properties:")
            + INPUT.replace("Readings:\n", "Second:\n").replace("InputName: Readings", "InputName: !Sub '${Readings}2'"))
    status, _, err = _run(["import", "--emit", _template(tmp_path, text)])
    assert status == 1 and "Second: refers to Readings, which its condition skipped" in err


def test_no_value_removes_a_member_and_a_list_element(tmp_path):
    text = "Resources:" + INPUT.replace("InputDefinition: {Attributes: [{JsonPath: id}]}",
                                        "InputDescription: !Ref AWS::NoValue\n"
                                        "      InputDefinition: {Attributes: [{JsonPath: id}, !Ref AWS::NoValue]}")
    status, out, err = _run(["import", "--emit", _template(tmp_path, text)])
    assert status == 0, err
    assert json.loads(out)["request"] == {"inputName": "Readings", "inputDefinition": {"attributes": [{"jsonPath": "id"}]}}


def test_allowed_values_are_checked(tmp_path):
    text = "Parameters:\n  Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}\nResources:" + INPUT
    status, _, err = _run(["import", "--emit", "--parameter", "Stage=test", _template(tmp_path, text)])
    assert status == 1 and "parameter Stage: 'test' is not one of its AllowedValues (dev, prod)" in err


def test_a_file_that_is_nothing_known_is_named(tmp_path):
    path = _template(tmp_path, '{"something": "else"}', "other.json")
    status, _, err = _run(["import", "--emit", path])
    assert status == 1 and "other.json: not a CloudFormation template" in err


def test_an_ssm_parameter_needs_a_value_when_used(tmp_path):
    text = ("Parameters:\n  Name: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /fleet/input-name}\nResources:"
            + INPUT.replace("InputName: Readings", "InputName: !Ref Name"))
    path = _template(tmp_path, text)
    status, _, err = _run(["import", "--emit", path])
    assert status == 1 and "Ref Name: an SSM parameter (/fleet/input-name)" in err and "--parameter Name=VALUE" in err
    status, out, err = _run(["import", "--emit", "--parameter", "Name=FromSsm", path])
    assert status == 0, err
    assert json.loads(out)["request"]["inputName"] == "FromSsm"


def test_yaml_describe_output_and_dates_stay_text(tmp_path):
    """`aws ... --output yaml` saved: the same describe output, in YAML."""
    path = _template(tmp_path, "input:\n  inputConfiguration:\n    inputName: Y\n    creationTime: 2024-03-05\n"
                               "    status: ACTIVE\n  inputDefinition:\n    attributes:\n    - jsonPath: id\n", "d.yaml")
    status, out, err = _run(["import", "--emit", path])
    assert status == 0, err
    assert json.loads(out) == {"operation": "CreateInput", "request": {
        "inputName": "Y", "inputDefinition": {"attributes": [{"jsonPath": "id"}]}}}


def test_a_stack_name_for_a_file_not_imported_is_refused(tmp_path):
    path = _template(tmp_path, "Resources:" + INPUT)
    status, _, err = _run(["import", "--emit", "--stack-name", "other.yaml=fleet", path])
    assert status == 1 and "--stack-name other.yaml=...: not one of the FILEs" in err
    status, out, err = _run(["import", "--emit", "--stack-name", path + "=fleet", path])
    assert status == 0, err


def test_requests_keep_the_order_of_their_files(tmp_path):
    """Templates are resolved after every file is read (for their exports), yet their requests
    keep their place among those of the other files."""
    create = _template(tmp_path, json.dumps({"inputName": "First", "inputDefinition": {"attributes": [{"jsonPath": "a"}]}}),
                       "first.json")
    template = _template(tmp_path, "Resources:" + INPUT)
    last = _template(tmp_path, json.dumps({"inputName": "Last", "inputDefinition": {"attributes": [{"jsonPath": "a"}]}}),
                     "last.json")
    status, out, err = _run(["import", "--emit", create, template, last])
    assert status == 0, err
    assert [json.loads(line)["request"]["inputName"] for line in out.splitlines()] == ["First", "Readings", "Last"]
