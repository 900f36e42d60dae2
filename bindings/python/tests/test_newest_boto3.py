"""iotevents.boto3 on the newest boto3 from PyPI, which no longer ships either service (botocore
dropped them in 1.43.38). The test keeps a venv, build/boto3-venv, refreshed from PyPI at most
once a day (so reruns are quick; if PyPI is unreachable, a venv that already has boto3 is used),
installs this package into it as a user would (pip install ./bindings/python, offline), and runs
newest_boto3_check.py there: attach and mock each run the developer guide's motor scenario."""
import json
import os
import subprocess

import motor
import pypi_venv

HERE = os.path.dirname(os.path.abspath(__file__))
FINDINGS = os.path.join(pypi_venv.ROOT, "build", "boto3-venv", "last-check.json")


def newest_boto3_venv():
    return pypi_venv.newest("boto3-venv", "boto3", "boto3")


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
