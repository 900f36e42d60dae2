"""Run by test_newest_boto3.py with the python of a venv holding the newest boto3 from PyPI and
this package installed (pip install ./bindings/python): prints one JSON document of findings."""
import importlib.metadata
import json
import os
import subprocess
import sys

import boto3
import botocore
import botocore.session

found = {"boto3": boto3.__version__, "botocore": botocore.__version__}
# Without `import iotevents.boto3` this boto3 does not know the service: the test means something.
bare = subprocess.run([sys.executable, "-c", "import boto3; boto3.client('iotevents', region_name='us-east-1')"],
                      capture_output=True, text=True)
found["without_import"] = [bare.returncode, "UnknownServiceError" in bare.stderr]

# Sessions made and used before the import must see the services after it.
early_default = boto3.client("s3", region_name="us-east-1") and boto3.DEFAULT_SESSION
early = botocore.session.get_session()
early.get_component("data_loader").list_available_services("service-2")

import iotevents  # noqa: E402
import iotevents.boto3 as iob  # noqa: E402
import motor  # noqa: E402

found["data_path_in_package"] = os.path.dirname(iob.data_path()) == os.path.dirname(iotevents.__file__)
found["pytest11"] = sorted(e.value for e in importlib.metadata.entry_points(group="pytest11")
                           if e.value.startswith("iotevents"))
# data_path() is what another process (one that does not import us) puts in AWS_DATA_PATH.
other = subprocess.run([sys.executable, "-c", "import boto3; print(boto3.client('iotevents', region_name='us-east-1').meta.endpoint_url)"],
                       env=dict(os.environ, AWS_DATA_PATH=iob.data_path()), capture_output=True, text=True)
found["aws_data_path"] = other.stdout.strip() or other.stderr[-500:]
found["client"] = boto3.client("iotevents-data", region_name="eu-west-1").meta.service_model.service_name
found["early_sessions"] = [early_default.client("iotevents", region_name="eu-west-1").meta.service_model.service_name,
                           early.create_client("iotevents-data", region_name="eu-west-1").meta.service_model.service_name]

with iotevents.Engine() as engine:
    control = iob.attach(boto3.client("iotevents", region_name="us-east-1"), engine)
    data = iob.attach(boto3.client("iotevents-data", region_name="us-east-1"), engine)
    found["attach"] = motor.run(control, data)

# Under the mock no credential provider may run (attach's clients above did run the chain, to
# find nothing: the test clears AWS_* and disables instance metadata).
chain = botocore.session.Session.get_credentials


def no_chain(self):
    raise AssertionError("the credential chain ran under the mock")


botocore.session.Session.get_credentials = no_chain
with iob.mock():
    found["mock"] = motor.run(boto3.session.Session().client("iotevents"), boto3.client("iotevents-data"))


@iob.mock()
def decorated():
    return motor.run(boto3.client("iotevents"), botocore.session.get_session().create_client("iotevents-data"))


found["decorated"] = decorated()
botocore.session.Session.get_credentials = chain
print(json.dumps(found))
