"""iotevents.boto3 on the newest boto3 from PyPI, which no longer ships either service (botocore
dropped them in 1.43.38). The test keeps a venv, build/boto3-venv, refreshed from PyPI at most
once a day (so reruns are quick; if PyPI is unreachable, a venv that already has boto3 is used),
installs this package into it as a user would (pip install ./bindings/python, offline), and runs
newest_boto3_check.py there: attach and mock each run the developer guide's motor scenario."""
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

import motor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
VENV = os.path.join(ROOT, "build", "boto3-venv")
PYTHON = os.path.join(VENV, "bin", "python")
REFRESHED = os.path.join(VENV, "refreshed")  # touched after each successful pip install -U boto3
FINDINGS = os.path.join(VENV, "last-check.json")
DAY = 24 * 3600


def _run(*command, timeout=300):
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def _has_boto3():
    return os.path.exists(PYTHON) and _run(PYTHON, "-c", "import boto3").returncode == 0


def newest_boto3_venv():
    if not os.path.exists(PYTHON) or _run(PYTHON, "-m", "pip", "--version").returncode != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        made = _run(sys.executable, "-m", "venv", VENV)
        assert made.returncode == 0, made.stderr
    fresh = os.path.exists(REFRESHED) and time.time() - os.path.getmtime(REFRESHED) < DAY
    if not fresh or not _has_boto3():
        got = _run(PYTHON, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-U", "boto3", timeout=480)
        if got.returncode == 0:
            with open(REFRESHED, "w"):
                pass
        elif not _has_boto3():
            pytest.fail("could not install boto3 from PyPI into %s:\n%s" % (VENV, got.stderr[-2000:]))
    installed = _run(PYTHON, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index",
                     "--no-deps", "--no-cache-dir", "--force-reinstall", os.path.join(ROOT, "bindings", "python"))
    assert installed.returncode == 0, installed.stderr
    return PYTHON


def test_attach_and_mock_on_the_newest_boto3():
    python = newest_boto3_venv()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = HERE  # motor.py only: iotevents comes from the venv's site-packages
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent"
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    if env.get("IOTEVENTS_LIBRARY"):
        env["IOTEVENTS_LIBRARY"] = os.path.abspath(env["IOTEVENTS_LIBRARY"])  # it runs from /
    ran = subprocess.run([python, os.path.join(HERE, "newest_boto3_check.py")], env=env, cwd="/",
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    found = json.loads(ran.stdout)
    with open(FINDINGS, "w") as f:
        json.dump(found, f)
    version = tuple(int(part) for part in found["botocore"].split(".")[:3])
    assert version >= (1, 43, 38), "not a botocore without the services: %s" % found["botocore"]
    assert found["without_import"][0] != 0 and found["without_import"][1], found["without_import"]
    assert found["data_path_in_package"] is True
    assert found["pytest11"] == ["iotevents.pytest_plugin"]
    assert found["client"] == "iotevents-data"
    assert found["aws_data_path"] == "https://iotevents.us-east-1.amazonaws.com"
    assert found["early_sessions"] == ["iotevents", "iotevents-data"]
    expected = [[list(state) for state in batch] for batch in motor.EXPECTED]
    assert found["attach"] == expected
    assert found["mock"] == expected
    assert found["decorated"] == expected
