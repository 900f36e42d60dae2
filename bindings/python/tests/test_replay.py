"""`iotevents replay`: every directory of replay_cases/ is a scenario, with no code of its own:
  requests.jsonl   the Create requests that set the engine up ({"operation", "request"} a line,
                   what `iotevents import --emit` prints)
  messages.jsonl   the messages replayed
  expected.jsonl   the transcript, --format json
  expected.txt     the transcript, --format text
UPDATE=1 in the environment rewrites the expected files from what the replay printed."""
import json
import os

import pytest

import iotevents
from cli_support import run_cli

CASES = os.path.join(os.path.dirname(__file__), "replay_cases")
START = 1700000000000


def _set_up(case, state):
    with iotevents.Engine(state_directory=state, clock="manual", start_time_millis=START) as engine:
        with open(os.path.join(CASES, case, "requests.jsonl")) as f:
            for line in f:
                request = json.loads(line)
                engine.call(request["operation"], request["request"])


@pytest.mark.parametrize("case", sorted(os.listdir(CASES)))
@pytest.mark.parametrize("fmt,expected", [("json", "expected.jsonl"), ("text", "expected.txt")])
def test_transcript(case, fmt, expected, tmp_path):
    state = str(tmp_path / "state")
    _set_up(case, state)
    status, out, err = run_cli(["replay", "--state-directory", state, "--format", fmt,
                             os.path.join(CASES, case, "messages.jsonl")])
    assert status == 0, err
    path = os.path.join(CASES, case, expected)
    if os.environ.get("UPDATE"):
        with open(path, "w") as f:
            f.write(out)
    with open(path) as f:
        assert out == f.read()


def test_expect_passes_and_fails(tmp_path):
    case = os.path.join(CASES, "heartbeat")
    state = str(tmp_path / "state")
    _set_up("heartbeat", state)
    status, out, _ = run_cli(["replay", "--state-directory", state, "--format", "json", "--expect",
                           os.path.join(case, "expected.jsonl"), os.path.join(case, "messages.jsonl")])
    assert status == 0 and "as" in out
    # The same replay on a fresh engine, against a transcript with one line changed.
    with open(os.path.join(case, "expected.jsonl")) as f:
        lines = f.read().splitlines()
    lines[3] = lines[3].replace("pump", "PUMP")
    (tmp_path / "wrong.jsonl").write_text("\n".join(lines) + "\n")
    state2 = str(tmp_path / "state2")
    _set_up("heartbeat", state2)
    status, _, err = run_cli(["replay", "--state-directory", state2, "--format", "json", "--expect",
                           str(tmp_path / "wrong.jsonl"), os.path.join(case, "messages.jsonl")])
    assert status == 1
    assert "PUMP" in err and "differs" in err


def test_a_bad_line_is_named_and_nothing_is_replayed(tmp_path):
    state = str(tmp_path / "state")
    _set_up("heartbeat", state)
    messages = tmp_path / "messages.jsonl"
    messages.write_text('{"inputName": "Heartbeat", "payload": {"deviceId": "a"}, "timestamp": %d}\n'
                        '{"inputName": "Heartbeat", "payload": 7}\n' % START)
    status, out, err = run_cli(["replay", "--state-directory", state, str(messages)])
    assert status == 1
    assert "line 2" in err and "payload" in err
    assert out == ""
    with iotevents.Engine(state_directory=state, clock="manual") as engine:
        detectors = engine.call("ListDetectors", {"detectorModelName": "deviceHeartbeat"})
    assert detectors["detectorSummaries"] == []


def test_progress_on_request(tmp_path):
    state = str(tmp_path / "state")
    _set_up("heartbeat", state)
    status, _, err = run_cli(["replay", "--state-directory", state, "--progress",
                           os.path.join(CASES, "heartbeat", "messages.jsonl")])
    assert status == 0
    assert "replayed 6 of 6 messages" in err


def test_reset_timers_leave_no_queue_behind(tmp_path):
    """Ten devices beating every 10 s reset their 300 s watchdog 2 000 times: the replay's queue
    of deadlines to look at keeps those still to come (at most 10 x 30), not one per message."""
    from iotevents.replay import Replayer
    state = str(tmp_path / "state")
    _set_up("heartbeat", state)
    with iotevents.Engine(state_directory=state, clock="manual", durability="groupCommit") as engine:
        replayer = Replayer(engine)
        replayer.begin(START, START)
        for i in range(2000):
            replayer.send(i, {"inputName": "Heartbeat", "payload": {"deviceId": "pump-%d" % (i % 10)},
                              "timestamp": START + 1000 * i})
        assert replayer.queued_timer_checks <= 310
        assert not [e for e in replayer.transcript if e["event"] == "transition"]  # nobody went silent
