#!/bin/sh
# The cluster suite (make check-cluster, check-cluster-long, bench-cluster): builds or refreshes
# build/cluster-venv with the newest nats-py from PyPI (bindings/python/tests/pypi_venv.py, the
# same pattern as the boto3 and AWS CLI venvs: at most once a day; offline, a venv that already
# has it is used), adds botocore, and runs Tests/cluster/run.py there against the library given.
#   Tests/cluster/run.sh LIBRARY SCENARIO [KEYS MESSAGES]
set -eu
lib=$1; shift
command -v nats-server >/dev/null || { echo "check-cluster: nats-server is missing (make deps-test installs it)" >&2; exit 1; }
python=$(PYTHONPATH=bindings/python/tests python3 -c "import pypi_venv; print(pypi_venv.newest('cluster-venv', 'nats-py', 'nats'))")
# iotevents serve --cluster (checked by the rebalance scenario) needs botocore there too.
"$python" -c "import botocore" 2>/dev/null || "$python" -m pip install -q --disable-pip-version-check botocore
IOTEVENTS_LIBRARY=$(readlink -f "$lib") exec "$python" Tests/cluster/run.py "$@"
