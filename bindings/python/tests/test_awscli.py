"""The AWS-CLI-shaped subcommands (`iotevents describe-detector ...`): the AWS CLI v1 steps of
serve_cli/ (each NN-name.cmd with the output the real `aws` recorded against `iotevents serve`,
NN-name.json) run again as `iotevents <operation> ... --state-directory D`, in process, must give
the same exit status and the same output (times normalised, as the recording has them) or the
same error message; every operation of both services has a step; and the AWS CLI's usage errors."""
import json
import os
import shlex

import pytest

from cli_support import error_lines, normalise, run_cli
from iotevents import awscli
from iotevents._botocore_data import SERVICES, service_model

STEPS = os.path.join(os.path.dirname(__file__), "serve_cli")


def test_the_aws_cli_steps_give_what_the_aws_cli_recorded(tmp_path):
    """Each command is its own process's engine on one state directory, as a shell script of
    `iotevents` commands would be: what one command did, the next one sees (analyses included:
    the describe and get steps read the analysis the start step made)."""
    state = str(tmp_path / "state")
    steps = sorted(name[:-4] for name in os.listdir(STEPS) if name.endswith(".cmd"))
    assert len(steps) >= 8
    for step in steps:
        with open(os.path.join(STEPS, step + ".cmd")) as f:
            words = shlex.split(f.read().replace("{here}", STEPS))
        assert words[0] in ("iotevents", "iotevents-data")
        status, out, err = run_cli(words[1:] + ["--state-directory", state])
        got = {"exit": status}
        if status == 0:
            got["output"] = normalise(json.loads(out)) if out.strip() else None
        else:
            got["stderr"] = error_lines(err)
        with open(os.path.join(STEPS, step + ".json")) as f:
            assert got == json.load(f), step


def test_every_operation_of_both_services_has_a_step():
    """The steps are the record of what the AWS CLI prints for each operation: an operation added
    to a service model without a step fails here."""
    commands = awscli.load_models()
    stepped = set()
    for name in os.listdir(STEPS):
        if name.endswith(".cmd"):
            with open(os.path.join(STEPS, name)) as f:
                service, command = shlex.split(f.read())[:2]
            operation, model = commands[command]
            assert model is service_model(service), (name, "names %s, an operation of the other service" % command)
            stepped.add((service, operation))
    every = {(service, operation) for service in SERVICES for operation in service_model(service)["operations"]}
    assert len(every) == 38
    assert sorted(every - stepped) == [], "operations without an AWS CLI step in serve_cli/"


def test_usage_errors_are_the_aws_clis(tmp_path):
    state = str(tmp_path / "state")
    status, _, err = run_cli(["describe-input", "--state-directory", state])
    assert status == 2 and "the following arguments are required: --input-name" in err
    status, _, err = run_cli(["describe-input", "--input-name", "X", "--bogus", "1", "--state-directory", state])
    assert status == 255 and "Unknown options: --bogus, 1" in err
    status, _, err = run_cli(["create-input", "--input-name", "X", "--input-definition", "{bad", "--state-directory", state])
    assert status == 255 and "Error parsing parameter '--input-definition': Invalid JSON" in err and "JSON received: {bad" in err
    status, _, err = run_cli(["list-inputs", "--max-results", "abc", "--state-directory", state])
    assert status == 255 and "invalid literal for int()" in err
    status, _, err = run_cli(["list-inputs"])
    assert status == 2 and "--state-directory" in err


def test_flags_override_cli_input_json_and_booleans_and_empty_responses(tmp_path):
    state = str(tmp_path / "state")
    status, out, _ = run_cli(["create-input", "--cli-input-json", json.dumps({
        "inputName": "A", "inputDefinition": {"attributes": [{"jsonPath": "x"}]}}), "--input-name", "B",
        "--state-directory", state])
    assert status == 0 and json.loads(out)["inputConfiguration"]["inputName"] == "B"
    status, out, _ = run_cli(["delete-input", "--input-name", "B", "--state-directory", state])
    assert status == 0 and out == ""  # an empty response prints nothing, as the AWS CLI


def test_help_lists_every_operation():
    status, out, _ = run_cli(["--help"])
    assert status == 0
    for command in ("describe-detector", "batch-put-message", "create-detector-model", "list-input-routings"):
        assert command in out
    status, out, _ = run_cli(["describe-detector", "--help"])
    assert status == 0 and "--detector-model-name STRING (required)" in out


def test_requests_are_checked_as_botocore_checks_them():
    """_param_validation is a copy of botocore's rules (the subcommands must work without
    botocore): on requests breaking each rule it reports what botocore's ParamValidator reports."""
    botocore_model = pytest.importorskip("botocore.model")
    from botocore.validate import ParamValidator
    from iotevents._param_validation import validate
    cases = [
        ("iotevents", "CreateInput", {"inputName": "A", "inputDefinition": {"attributes": []}}),
        ("iotevents", "CreateInput", {"inputName": "", "inputDefinition": {"attributes": [{}]}}),
        ("iotevents", "CreateInput", {"inputName": 5, "inputDefinition": {"attributes": "x"}, "bogus": 1}),
        ("iotevents", "ListInputs", {"maxResults": 0}),
        ("iotevents", "ListInputs", {"maxResults": "many"}),
        ("iotevents", "PutLoggingOptions", {"loggingOptions": {"roleArn": "r", "level": "INFO", "enabled": "yes"}}),
        ("iotevents-data", "BatchSnoozeAlarm", {"snoozeActionRequests": [{"requestId": "r", "alarmModelName": "m",
                                                                          "snoozeDuration": 1.5}]}),
        ("iotevents-data", "BatchPutMessage", {"messages": [{"messageId": "m", "inputName": "i", "payload": 7,
                                                             "timestamp": {"timeInMillis": -1}}]}),
        ("iotevents", "TagResource", {"resourceArn": "a", "tags": [{"key": "k", "value": "v"}]}),
    ]
    for service, operation, request in cases:
        model = service_model(service)
        shape_name = model["operations"][operation]["input"]["shape"]
        theirs = ParamValidator().validate(request, botocore_model.ServiceModel(model).operation_model(operation).input_shape)
        expected = "Parameter validation failed:\n" + theirs.generate_report() if theirs.has_errors() else ""
        assert validate(request, shape_name, model["shapes"]) == expected, (operation, request)


def test_a_timer_set_by_batch_update_detector_survives_a_model_update_and_a_reopen(tmp_path):
    """Found by these steps: the stale entry of a timer BatchUpdateDetector set under a name the
    model does not define was written to the snapshot after the update and refused on reopening."""
    state = str(tmp_path / "state")
    here = lambda name: "file://" + os.path.join(STEPS, name)
    for words in (["create-input", "--cli-input-json", here("input.json")],
                  ["create-detector-model", "--cli-input-json", here("model.json")],
                  ["batch-put-message", "--cli-input-json", here("messages-1.json")],
                  ["batch-update-detector", "--cli-input-json", here("batch-update-detector-timer.json")],
                  ["update-detector-model", "--cli-input-json", here("model-update.json")]):
        status, _, err = run_cli(words + ["--state-directory", state])
        assert status == 0, (words, err)
    status, out, err = run_cli(["list-inputs", "--state-directory", state])
    assert status == 0, err
