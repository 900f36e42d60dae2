#!/bin/sh
# The Python binding's suite (make python-test): the tests against each library given (the
# pure-Python package from the tree, no install), then mypy --strict on the generated type declarations
# (tests/typing/check_typing.py: good.py accepted, each misspelt member of bad.py reported).
# pytest, boto3, mypy, matplotlib (iotevents timeline) and PyYAML (iotevents import) come from PyPI when missing. test_newest_boto3.py keeps
# build/boto3-venv with the newest boto3 from PyPI (refreshed at most once a day) and runs
# iotevents.boto3 there; test_serve.py runs `iotevents serve` (real processes on loopback)
# against that boto3 and the AWS CLI v1 in build/awscli-venv (likewise).
#   bindings/python/tests/run.sh OUT LIBRARY...      (OUT: the build directory)
set -u
out=$1; shift
sh tools/install-deps.sh pip pytest boto3 mypy matplotlib yaml=pyyaml || exit 1
for lib in "$@"; do
  IOTEVENTS_LIBRARY=$lib PYTHONPATH=bindings/python python3 -m pytest -q -p no:cacheprovider bindings/python/tests || exit 1
done
IOTEVENTS_LIBRARY=$1 python3 bindings/python/tests/typing/check_typing.py "$out/mypy-cache" || exit 1
python3 -c "import json, sys; f = json.load(open(sys.argv[1])); \
print('python-test: iotevents.boto3 ran on the newest boto3 from PyPI in build/boto3-venv: boto3 %s, botocore %s' % (f['boto3'], f['botocore']))" \
  "$out/boto3-venv/last-check.json"
