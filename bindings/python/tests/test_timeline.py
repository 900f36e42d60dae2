"""`iotevents timeline`: the transcripts of replay_cases/ drawn as PNG and SVG (valid images, with
every detector's row and state named), the spans they are drawn from, and the errors."""
import os
import struct
import xml.etree.ElementTree as ElementTree

import pytest

from cli_support import run_cli
from iotevents.timeline import spans

pytest.importorskip("matplotlib")  # tests/run.sh installs it; the package lists it as an extra
CASES = os.path.join(os.path.dirname(__file__), "replay_cases")


@pytest.mark.parametrize("case", sorted(os.listdir(CASES)))
def test_png_is_an_image(case, tmp_path):
    output = str(tmp_path / "timeline.png")
    status, out, err = run_cli(["timeline", os.path.join(CASES, case, "expected.jsonl"), "-o", output])
    assert status == 0, err
    with open(output, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 600 and height >= 150


def test_svg_names_every_row_and_state(tmp_path):
    output = str(tmp_path / "timeline.svg")
    status, _, err = run_cli(["timeline", os.path.join(CASES, "heartbeat", "expected.jsonl"), "-o", output])
    assert status == 0, err
    root = ElementTree.parse(output).getroot()
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for label in ("deviceHeartbeat[pump-1]", "deviceHeartbeat[pump-2]", "Offline", "Online", "refused messages"):
        assert label in texts


def test_spans_follow_creations_and_transitions():
    entries = [
        {"event": "created", "kind": "detector", "model": "m", "key": "a", "state": "On", "time": 0},
        {"event": "transition", "kind": "detector", "model": "m", "key": "a", "from": "On", "to": "Off", "time": 300},
        {"event": "transition", "kind": "detector", "model": "m", "key": "b", "from": "Off", "to": "On", "time": 100},
        {"event": "action", "kind": "detector", "model": "m", "key": "a", "time": 500},
    ]
    assert spans(entries) == {
        ("detector", "m", "a"): [(0, 300, "On"), (300, 500, "Off")],
        # b existed before the replay: its first state runs from the transcript's start
        ("detector", "m", "b"): [(0, 100, "Off"), (100, 500, "On")],
    }


def test_errors_name_what_is_wrong(tmp_path):
    status, _, err = run_cli(["timeline", os.path.join(CASES, "heartbeat", "expected.jsonl"), "-o", str(tmp_path / "t.gif")])
    assert status == 1 and ".svg or a .png" in err
    text = tmp_path / "transcript.txt"
    text.write_text("2023-11-14T22:13:20.000Z  created    m[a]  in On\n")
    status, _, err = run_cli(["timeline", str(text), "-o", str(tmp_path / "t.png")])
    assert status == 1 and "line 1" in err and "--format json" in err


def test_replay_draws_its_own_timeline(tmp_path):
    import test_replay
    state = str(tmp_path / "state")
    test_replay._set_up("heartbeat", state)
    picture = str(tmp_path / "replay.svg")
    status, out, err = run_cli(["replay", "--state-directory", state, "--timeline", picture,
                             os.path.join(CASES, "heartbeat", "messages.jsonl")])
    assert status == 0, err
    texts = " ".join("".join(t.itertext()) for t in
                     ElementTree.parse(picture).getroot().iter("{http://www.w3.org/2000/svg}text"))
    assert "deviceHeartbeat[pump-2]" in texts and "Offline" in texts
