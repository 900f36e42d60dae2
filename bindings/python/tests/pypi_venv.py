"""Venvs under build/ holding the newest release of a package from PyPI, refreshed at most once a
day (reruns are quick; if PyPI is unreachable, a venv that already has the package is used), with
this package pip-installed into them as a user would (offline, from bindings/python)."""
import os
import shutil
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DAY = 24 * 3600


def run(*command, timeout=300, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)


def newest(name, package, module):
    """build/<name> with the newest `package` (importable as `module`) and iotevents; returns the
    venv's python."""
    venv = os.path.join(ROOT, "build", name)
    python = os.path.join(venv, "bin", "python")
    refreshed = os.path.join(venv, "refreshed")  # touched after each successful pip install -U

    def has_it():
        return os.path.exists(python) and run(python, "-c", "import " + module).returncode == 0

    if not os.path.exists(python) or run(python, "-m", "pip", "--version").returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        made = run(sys.executable, "-m", "venv", venv)
        assert made.returncode == 0, made.stderr
    fresh = os.path.exists(refreshed) and time.time() - os.path.getmtime(refreshed) < DAY
    if not fresh or not has_it():
        got = run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-U", package, timeout=480)
        if got.returncode == 0:
            with open(refreshed, "w"):
                pass
        elif not has_it():
            pytest.fail("could not install %s from PyPI into %s:\n%s" % (package, venv, got.stderr[-2000:]))
    installed = run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index",
                    "--no-deps", "--no-cache-dir", "--force-reinstall", os.path.join(ROOT, "bindings", "python"))
    assert installed.returncode == 0, installed.stderr
    return python
