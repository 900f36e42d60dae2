#!/bin/sh
# The package as users get it (make check-python-install): `pip install ./bindings/python`, then
# the wheel of `make python`, each into a fresh venv, offline, running the example; both carry
# botocore's data for both services (iotevents.boto3.data_path()) and register the pytest
# fixture; the pip install gives the `iotevents` command; the wheel loads its bundled library.
#   bindings/python/tests/check-install.sh VENV LIBRARY WHEEL
set -u
venv=$1; lib=$2; wheel=$3; root=$(pwd)
data_check='
import importlib.metadata, iotevents, os
data = os.path.join(os.path.dirname(iotevents.__file__), "botocore-data")
for service, version in (("iotevents", "2018-07-27"), ("iotevents-data", "2018-10-23")):
    for name in ("service-2.json", "paginators-1.json", "endpoint-rule-set-1.json"):
        assert os.path.isfile(os.path.join(data, service, version, name)), (service, name)
assert os.path.isfile(os.path.join(data, "LICENSE.txt")) and os.path.isfile(os.path.join(data, "NOTICE"))
assert [e.value for e in importlib.metadata.entry_points(group="pytest11")] == ["iotevents.pytest_plugin"]'
fail() { echo "check-python-install: $*"; exit 1; }
rm -rf "$venv" && python3 -m venv "$venv" || exit 1
"$venv/bin/pip" install -q --no-index --no-cache-dir ./bindings/python || fail "pip install ./bindings/python failed"
(cd /tmp && IOTEVENTS_LIBRARY=$lib "$venv/bin/python" "$root/examples/python/heartbeat.py" | grep 'pump-2   Offline' >/dev/null) \
  || fail "pip install ./bindings/python did not run the example"
(cd /tmp && "$venv/bin/python" -c "$data_check") || fail "pip install ./bindings/python lacks botocore-data or the pytest11 entry point"
"$venv/bin/iotevents" serve --help | grep -q -- '--credentials' || fail "pip install ./bindings/python did not install the iotevents command"
"$venv/bin/pip" install -q --no-index --no-cache-dir --force-reinstall "$wheel" || fail "pip could not install $wheel"
(cd /tmp && env -u IOTEVENTS_LIBRARY LD_LIBRARY_PATH= "$venv/bin/python" -c \
  'import iotevents, os; e = iotevents.Engine(); assert os.path.dirname(iotevents.__file__) in e.library_path, e.library_path') \
  || fail "the wheel did not load its bundled library"
(cd /tmp && env -u IOTEVENTS_LIBRARY "$venv/bin/python" "$root/examples/python/heartbeat.py" | grep 'pump-2   Offline' >/dev/null) \
  || fail "the wheel did not run the example"
(cd /tmp && "$venv/bin/python" -c "$data_check") || fail "the wheel lacks botocore-data or the pytest11 entry point"
echo "check-python-install: 6 passed, 0 failed ($(basename "$wheel"))"
