"""The examples under examples/python run and say what they should."""
import os
import subprocess
import sys
import unittest

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "python")


def run(name):
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, name)], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise AssertionError("%s failed:\n%s" % (name, out.stderr))
    return out.stdout.splitlines()


class ExamplesTest(unittest.TestCase):
    def test_heartbeat(self):
        lines = run("heartbeat.py")
        self.assertIn("  pump-2   Offline", lines)
        self.assertIn('  action: sns {"device":"pump-2","status":"offline","beats":1}', lines)
        self.assertEqual(lines[-1], "pump-1: beats=2 battery=96, last updated 2023-11-14T22:17:20+00:00")

    def test_unmodified_boto3_program(self):
        try:
            import boto3  # noqa: F401
        except ImportError:
            self.skipTest("boto3 is not installed")
        lines = run("boto3_program.py")
        self.assertTrue(lines[0].startswith("boiler-7 is ACTIVE since "), lines)
        self.assertEqual(lines[1:], ["boiler-7 ACKNOWLEDGED", "boiler-99: ResourceNotFoundException"])


if __name__ == "__main__":
    unittest.main()


def test_the_readmes_migration_in_two_commands(tmp_path):
    """README, "From a template and a message log": import, then replay with a picture, as a
    user types them (the iotevents command of this package, in a subprocess)."""
    migration = os.path.join(EXAMPLES, "..", "migration")
    state, picture = str(tmp_path / "state"), str(tmp_path / "timeline.svg")
    command = [sys.executable, "-m", "iotevents"]
    imported = subprocess.run(command + ["import", os.path.join(migration, "template.yaml"), "--state-directory", state],
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert "created detector model deviceHeartbeat_dev" in imported.stdout
    replayed = subprocess.run(command + ["replay", "--state-directory", state, os.path.join(migration, "messages.jsonl"),
                                         "--timeline", picture], capture_output=True, text=True, timeout=120)
    assert replayed.returncode == 0, replayed.stderr
    assert "transition deviceHeartbeat_dev[pump-2]  Online -> Offline" in replayed.stdout
    with open(picture) as f:
        assert "deviceHeartbeat_dev[pump-2]" in f.read()
