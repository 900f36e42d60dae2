"""The AWS CLI's documented output, against what the real AWS CLI printed for the same call on
`iotevents serve` (the serve_cli/ recordings). The documentation is the aws/aws-cli repository's
examples for the service, awscli/examples/iotevents/*.rst and iotevents-data/*.rst, removed with
the service (the parent of aws/aws-cli commit d63463050 has the last copy): 20 commands, all of the
control plane's detector-model, input, tag and logging calls and three data-plane calls; none for
alarms or the analysis.

The table below is our reading of those examples, not their text: for each command, the step
making the same call and the members the example shows, nested as there, each with the kind of
value it holds. A recording must have every documented member, of that kind; a member the example
lacks is allowed only when named in EXTRA with the reason. Values are compared only where the
example's value is a fixed word (an enum, a version) for the same request."""
import json
import os
import re
import time

import pytest

from cli_support import run_cli

STEPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "serve_cli")

TIME = "time"  # the recordings hold "<time>" only for epoch seconds as a JSON number (cli_support)
TEXT = "text"
BOOL = "bool"
NO_OUTPUT = "no output"  # "This command produces no output."


def arn(kind):
    return re.compile(r"^arn:aws:iotevents:[a-z0-9-]+:\d{12}:%s/[A-Za-z0-9_-]+$" % kind)


def role():
    return re.compile(r"^arn:aws:iam::\d{12}:role/\S+$")


def one_of(*words):
    return set(words)


CONFIGURATION = {  # a detector model's configuration, as create, update and describe show it
    "status": one_of("ACTIVATING", "ACTIVE"), "lastUpdateTime": TIME, "roleArn": role(), "creationTime": TIME,
    "detectorModelArn": arn("detectorModel"), "key": TEXT, "detectorModelName": TEXT, "detectorModelVersion": re.compile(r"^\d+$"),
}
INPUT_CONFIGURATION = {
    "status": one_of("ACTIVE"), "inputArn": arn("input"), "lastUpdateTime": TIME, "creationTime": TIME,
    "inputName": TEXT, "inputDescription": TEXT,
}
# [X]: a list of X with entries, as the example shows it; (X,): a list of X that the example
# shows empty for some and with entries for others.
EVENT = {"eventName": TEXT, "condition": TEXT, "actions": (dict,)}
STATE = {  # the example shows every state with all three parts and empty lists written out
    "stateName": TEXT,
    "onEnter": {"events": (EVENT,)},
    "onInput": {"events": (EVENT,), "transitionEvents": (dict(EVENT, nextState=TEXT),)},
    "onExit": {"events": (EVENT,)},
}

DOCUMENTED = {
    "batch-put-message": ("03-batch-put-message", {"BatchPutMessageErrorEntries": []}),
    "batch-update-detector": ("11-batch-update-detector", {"batchUpdateDetectorErrorEntries": []}),
    "create-detector-model": ("02-create-detector-model", {"detectorModelConfiguration": dict(CONFIGURATION, status=one_of("ACTIVATING"))}),
    "create-input": ("01-create-input", {"inputConfiguration": INPUT_CONFIGURATION}),
    "delete-detector-model": ("73-delete-detector-model", NO_OUTPUT),
    "delete-input": ("75-delete-input", NO_OUTPUT),
    "describe-detector-model": ("35-describe-detector-model", {"detectorModel": {
        "detectorModelConfiguration": dict(CONFIGURATION, status=one_of("ACTIVE")),
        "detectorModelDefinition": {"states": [STATE], "initialStateName": TEXT}}}),
    "describe-detector": ("04-describe-detector", {"detector": {
        "lastUpdateTime": TIME, "creationTime": TIME,
        "state": {"variables": [{"name": TEXT, "value": TEXT}], "stateName": TEXT, "timers": []},
        "keyValue": TEXT, "detectorModelName": TEXT, "detectorModelVersion": one_of("1")}}),
    "describe-input": ("10-describe-input", {"input": {"inputConfiguration": INPUT_CONFIGURATION,
                                                       "inputDefinition": {"attributes": [{"jsonPath": TEXT}]}}}),
    # After options set as the example's (disabled, ERROR, no debug options), in shorthand.
    "describe-logging-options": ("84-describe-logging-options-after-shorthand", {"loggingOptions": {
        "roleArn": role(), "enabled": BOOL, "level": one_of("ERROR")}}),
    # The example lists a model's only version; our model has two, the older one INACTIVE (a value
    # of the model's enum, which the example could not show).
    "list-detector-model-versions": ("39-list-detector-model-versions", {"detectorModelVersionSummaries": [dict(
        {k: v for k, v in CONFIGURATION.items() if k != "key"}, status=one_of("ACTIVE", "INACTIVE"))]}),
    "list-detector-models": ("38-list-detector-models", {"detectorModelSummaries": [{
        "detectorModelName": TEXT, "creationTime": TIME, "detectorModelDescription": TEXT}]}),
    "list-detectors": ("07-list-detectors", {"detectorSummaries": [{
        "lastUpdateTime": TIME, "creationTime": TIME, "state": {"stateName": TEXT}, "keyValue": TEXT,
        "detectorModelName": TEXT, "detectorModelVersion": one_of("1")}]}),
    # The example prints one input's summary without the list around it (in both copies); the
    # service model's ListInputsResponse, and the real CLI, have it in inputSummaries.
    "list-inputs": ("28-list-inputs", {"inputSummaries": [INPUT_CONFIGURATION]}),
    "list-tags-for-resource": ("44-list-tags-for-resource", {"tags": [{"value": TEXT, "key": TEXT}]}),
    "put-logging-options": ("19-put-logging-options", NO_OUTPUT),
    "tag-resource": ("43-tag-resource", NO_OUTPUT),
    "untag-resource": ("45-untag-resource", NO_OUTPUT),
    # Times the recordings cannot compare (the server's clock stands still): see the tests below.
    "update-detector-model": ("31-update-detector-model", {"detectorModelConfiguration": dict(
        CONFIGURATION, status=one_of("ACTIVATING"), detectorModelVersion=one_of("2"))}),
    "update-input": ("21-update-input", {"inputConfiguration": INPUT_CONFIGURATION}),
}

# Members our recordings have that the examples lack, and why that is not a difference.
EVALUATION_METHOD = "evaluationMethod came to the API after the examples were written; BATCH is its default"
EXTRA = {
    "detectorModelConfiguration.evaluationMethod": EVALUATION_METHOD,
    "detectorModel.detectorModelConfiguration.evaluationMethod": EVALUATION_METHOD,
    "detectorModelVersionSummaries[].evaluationMethod": EVALUATION_METHOD,
    "detectorModelConfiguration.detectorModelDescription": "our updated model has a description; the example's had none",
    "detectorModel.detectorModelConfiguration.detectorModelDescription": "as above",
}


def differences(got, documented, path=""):
    """How `got` departs from the documented skeleton (member names, nesting, kinds of values)."""
    if isinstance(documented, dict):
        if not isinstance(got, dict):
            return ["%s: an object documented, %r recorded" % (path or "output", got)]
        found = []
        for member, kind in documented.items():
            where = "%s.%s" % (path, member) if path else member
            if member not in got:
                found.append("%s: documented, missing" % where)
            else:
                found += differences(got[member], kind, where)
        for member in got:
            where = "%s.%s" % (path, member) if path else member
            if member not in documented and re.sub(r"\[\d+\]", "[]", where) not in EXTRA:
                found.append("%s: recorded, not documented" % where)
        return found
    if isinstance(documented, (list, tuple)):
        if not isinstance(got, list):
            return ["%s: a list documented, %r recorded" % (path, got)]
        if not documented:
            return [] if got == [] else ["%s: an empty list documented, %r recorded" % (path, got)]
        if documented[0] is dict:
            return [] if all(isinstance(item, dict) for item in got) else ["%s: objects documented" % path]
        if not got and isinstance(documented, list):
            return ["%s: entries documented, none recorded" % path]
        return [line for i, item in enumerate(got) for line in differences(item, documented[0], "%s[%d]" % (path, i))]
    if documented == TIME:
        return [] if got == "<time>" else ["%s: epoch seconds documented, %r recorded" % (path, got)]
    if documented == TEXT:
        return [] if isinstance(got, str) and got else ["%s: text documented, %r recorded" % (path, got)]
    if documented == BOOL:
        return [] if isinstance(got, bool) else ["%s: a boolean documented, %r recorded" % (path, got)]
    if isinstance(documented, set):
        return [] if got in documented else ["%s: one of %s documented, %r recorded" % (path, sorted(documented), got)]
    if isinstance(documented, re.Pattern):
        return [] if isinstance(got, str) and documented.match(got) else ["%s: %s documented, %r recorded" % (path, documented.pattern, got)]
    raise AssertionError("no such kind in the table: %r" % (documented,))


def test_every_documented_command_is_in_the_table_with_a_step_making_that_call():
    assert len(DOCUMENTED) == 20
    for command, (step, _) in DOCUMENTED.items():
        with open(os.path.join(STEPS, step + ".cmd")) as f:
            assert f.read().split()[1] == command, step


def test_the_recordings_have_the_documented_members_nesting_and_value_formats():
    found = []
    for command, (step, documented) in sorted(DOCUMENTED.items()):
        with open(os.path.join(STEPS, step + ".json")) as f:
            recorded = json.load(f)
        if recorded["exit"] != 0:
            found.append("%s (%s): failed: %s" % (command, step, recorded.get("stderr")))
        elif documented == NO_OUTPUT:
            if recorded["output"] is not None:
                found.append("%s (%s): no output documented, %r recorded" % (command, step, recorded["output"]))
        else:
            found += ["%s (%s): %s" % (command, step, line) for line in differences(recorded["output"], documented)]
    assert found == []


def test_the_comparison_sees_a_missing_member_a_wrong_format_and_an_extra_member():
    documented = {"detector": {"creationTime": TIME, "keyValue": TEXT, "detectorModelVersion": one_of("1")}}
    assert differences({"detector": {"creationTime": "<time>", "keyValue": "k", "detectorModelVersion": "1"}}, documented) == []
    assert differences({"detector": {"creationTime": 1560797852775, "detectorModelVersion": 1, "extra": 0}}, documented) == [
        "detector.creationTime: epoch seconds documented, 1560797852775 recorded",
        "detector.keyValue: documented, missing",
        "detector.detectorModelVersion: one of ['1'] documented, 1 recorded",
        "detector.extra: recorded, not documented"]


def _times(words, state):
    status, out, err = run_cli(words + ["--state-directory", state])
    assert status == 0, err
    configuration = next(iter(json.loads(out).values()))
    return configuration["creationTime"], configuration["lastUpdateTime"]


def test_update_input_keeps_the_creation_time_and_moves_the_update_time(tmp_path):
    """As the update-input example: creationTime that of the create, lastUpdateTime later."""
    state, given = str(tmp_path / "state"), "file://" + os.path.join(STEPS, "input.json")
    created, _ = _times(["create-input", "--cli-input-json", given], state)
    time.sleep(0.05)
    kept, updated = _times(["update-input", "--cli-input-json", given], state)
    assert kept == created and updated > created


def test_update_detector_model_answers_the_new_versions_creation_time(tmp_path):
    state, here = str(tmp_path / "state"), lambda name: "file://" + os.path.join(STEPS, name)
    _times(["create-input", "--cli-input-json", here("input.json")], state)
    _times(["create-detector-model", "--cli-input-json", here("model.json")], state)
    time.sleep(0.05)
    created, updated = _times(["update-detector-model", "--cli-input-json", here("model-update.json")], state)
    assert created == updated
