"""`iotevents import` into a state directory is all or nothing even when the process dies: the
import runs as its own process (as an operator types it) and is killed with SIGKILL at moments
spread over a whole import; after every kill the state directory opens and holds either none or
all of the template's models, and the next import completes and leaves no staging copy behind.
And an import into a directory an engine holds is refused without touching it."""
import json
import os
import random
import signal
import subprocess
import sys
import time

import iotevents
from cli_support import run_cli

MODELS = 30


def _template(path):
    """MODELS detector models over three inputs (an input feeds at most ten models)."""
    resources = {}
    for j in range(3):
        resources["Beat%d" % j] = {"Type": "AWS::IoTEvents::Input", "Properties": {
            "InputName": "Beat%d" % j, "InputDefinition": {"Attributes": [{"JsonPath": "id"}]}}}
    for i in range(MODELS):
        beat = "Beat%d" % (i % 3)
        resources["Model%d" % i] = {"Type": "AWS::IoTEvents::DetectorModel", "DependsOn": beat, "Properties": {
            "DetectorModelName": "m%d" % i, "Key": "id", "RoleArn": "arn:aws:iam::123456789012:role/r",
            "DetectorModelDefinition": {"InitialStateName": "On", "States": [{"StateName": "On", "OnInput": {
                "Events": [{"EventName": "seen", "Condition": "$input.%s.id != ''" % beat}]}}]}}}
    with open(path, "w") as f:
        json.dump({"Resources": resources}, f)


def _models(state):
    with iotevents.Engine(state_directory=state) as engine:
        return len(engine.call("ListDetectorModels", {"maxResults": 250})["detectorModelSummaries"])


def _import(template, state):
    return subprocess.Popen([sys.executable, "-m", "iotevents", "import", "--state-directory", state, template],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))


def _calls_started(tmp_path, state):
    """Whether the import has begun making its calls: the log of the state directory, or of its
    staging copy beside it, has grown past the empty log an engine starts."""
    for name in os.listdir(str(tmp_path)):
        if name == "state" or name.startswith(".state.import-"):
            log = os.path.join(str(tmp_path), name, "log")
            if os.path.exists(log) and os.path.getsize(log) > 512:
                return True
    return False


def test_a_killed_import_changes_nothing(tmp_path):
    template, state = str(tmp_path / "template.json"), str(tmp_path / "state")
    _template(template)
    rng = random.Random(20261205)
    outcomes = []
    for run in range(12):
        process = _import(template, state)
        # Killed while it makes its calls (a few milliseconds in all): once the log grows, after
        # a random part of a millisecond to 20 ms.
        deadline = time.monotonic() + 60
        while not _calls_started(tmp_path, state) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        time.sleep(rng.uniform(0, 0.02))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        held = _models(state)
        assert held in (0, MODELS), "run %d: %d of %d models" % (run, held, MODELS)
        outcomes.append(held)
        if held == MODELS:  # it had finished: start again from nothing
            for name in os.listdir(state):
                os.remove(os.path.join(state, name))
    status, out, err = run_cli(["import", "--state-directory", state, template])
    assert status == 0, err
    assert _models(state) == MODELS
    assert [name for name in os.listdir(str(tmp_path)) if ".import-" in name] == []
    print("models held after each kill:", outcomes)


def test_an_import_into_a_directory_in_use_is_refused(tmp_path):
    template, state = str(tmp_path / "template.json"), str(tmp_path / "state")
    _template(template)
    with iotevents.Engine(state_directory=state):
        status, _, err = run_cli(["import", "--state-directory", state, template])
    assert status != 0 and "in use" in err, err
    assert _models(state) == 0
