"""The AWS-CLI-shaped subcommands (`iotevents describe-detector ...`): the AWS CLI v1 steps of
serve_cli/ (each NN-name.cmd with the output the real `aws` recorded against `iotevents serve`,
NN-name.json) run again as `iotevents <operation> ... --state-directory D`, in process, must give
the same exit status and the same output (times normalised, as the recording has them) or the
same error message; and the AWS CLI's usage errors."""
import json
import os
import shlex

from cli_support import normalise, run_cli

STEPS = os.path.join(os.path.dirname(__file__), "serve_cli")


def test_the_aws_cli_steps_give_what_the_aws_cli_recorded(tmp_path):
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
            got["stderr"] = err.strip()
        with open(os.path.join(STEPS, step + ".json")) as f:
            assert got == json.load(f), step


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
