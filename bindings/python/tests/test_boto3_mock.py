"""iotevents.boto3 with the system's boto3: importing it registers botocore's data for both
services with every botocore loader, and mock() serves every client of the two services, however
it is made, from an engine (context manager, decorator, pytest fixture), with no credentials and
no network. test_newest_boto3.py runs the same scenarios on the newest boto3 from PyPI."""
import json
import os
import subprocess
import sys

import pytest

import iotevents
import motor

boto3 = pytest.importorskip("boto3")
import botocore.config  # noqa: E402
import botocore.endpoint  # noqa: E402
import botocore.session  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402

import iotevents.boto3 as iob  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EXPECTED = [[tuple(state) for state in batch] for batch in motor.EXPECTED]
NO_RETRIES = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})


def loader_paths(session):
    return session.get_component("data_loader").search_paths


class _Raw:
    def __init__(self, data):
        self._data = data

    def stream(self, **_):
        yield self._data


# -- the data path ----------------------------------------------------------------------------

def test_data_path_is_the_repository_folder_when_run_from_the_tree():
    path = iob.data_path()
    assert os.path.samefile(path, os.path.join(ROOT, "models", "botocore-data"))
    for service, version in (("iotevents", "2018-07-27"), ("iotevents-data", "2018-10-23")):
        assert os.path.isfile(os.path.join(path, service, version, "service-2.json"))


def test_every_kind_of_session_searches_the_data_path_after_its_own_folders():
    path = iob.data_path()
    sessions = [boto3.session.Session()._session, botocore.session.get_session(), botocore.session.Session()]
    boto3.client("iotevents-data", region_name="us-east-1")  # the default session
    sessions.append(boto3.DEFAULT_SESSION._session)
    for session in sessions:
        paths = loader_paths(session)
        assert path in paths
        assert paths.index(path) > paths.index(session.get_component("data_loader").BUILTIN_DATA_PATH)
        assert paths.count(path) == 1
    assert boto3.session.Session().client("iotevents", region_name="eu-west-1").meta.service_model.service_name == "iotevents"
    assert botocore.session.get_session().create_client("iotevents-data", region_name="eu-west-1") is not None


def test_a_loader_that_asked_for_its_own_paths_only_is_left_alone():
    from botocore.loaders import Loader
    assert Loader(extra_search_paths=["/nowhere"], include_default_search_paths=False).search_paths == ["/nowhere"]


def test_the_users_aws_data_path_keeps_precedence_and_import_needs_no_boto3_session():
    # A fresh process: AWS_DATA_PATH first, ours last; boto3's default session and a botocore
    # session that listed its services before the import get the folder too.
    script = ("import boto3, botocore.session, os; boto3.setup_default_session(region_name='us-east-1');"
              "boto3.client('s3'); used = botocore.session.get_session();"
              "used.get_component('data_loader').list_available_services('service-2');"
              "import iotevents.boto3 as b; print(boto3.client('iotevents').meta.region_name);"
              "p = boto3.DEFAULT_SESSION._session.get_component('data_loader').search_paths;"
              "print(os.environ['AWS_DATA_PATH'] == p[0], p[-1] == b.data_path());"
              "print(used.create_client('iotevents-data', region_name='eu-west-1').meta.region_name)")
    env = dict(os.environ, AWS_DATA_PATH="/users/own/models", PYTHONPATH=os.path.join(ROOT, "bindings", "python"))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["us-east-1", "True", "True", "eu-west-1"]


# -- attach and mock: the developer guide's motor scenario --------------------------------------

def test_attach_runs_the_motor_scenario():
    with iotevents.Engine() as engine:
        control = iob.attach(boto3.client("iotevents", region_name="us-east-1", config=NO_RETRIES), engine)
        data = iob.attach(boto3.client("iotevents-data", region_name="us-east-1", config=NO_RETRIES), engine)
        assert motor.run(control, data) == EXPECTED


def pressure_service():
    """Code under test: it makes its own clients, through its own session, with no region and no
    credentials, as code deployed on AWS does."""
    session = boto3.session.Session()
    return session.client("iotevents"), botocore.session.get_session().create_client("iotevents-data")


@pytest.fixture
def no_aws_configuration(monkeypatch):
    """No region, no credentials anywhere, and a credential chain that must not run."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)

    def no_chain(self):
        raise AssertionError("the credential chain ran under the mock")

    monkeypatch.setattr(botocore.session.Session, "get_credentials", no_chain)


def test_mock_as_a_context_manager_serves_clients_the_code_makes_itself(no_aws_configuration):
    with iob.mock() as engine:
        control, data = pressure_service()
        assert control.meta.region_name == "us-east-1"
        assert motor.run(control, data) == EXPECTED
        # every other client of the services sees the same engine, the default session's too
        listed = boto3.client("iotevents-data").list_detectors(detectorModelName="motorDetectorModel")
        assert len(listed["detectorSummaries"]) == 2
        assert engine.call("ListInputs", {})["inputSummaries"][0]["inputName"] == "PressureInput"


@iob.mock()
def test_mock_as_a_decorator(no_aws_configuration):
    control, data = pressure_service()
    assert motor.run(control, data) == EXPECTED


def test_mock_as_the_pytest_fixture(iotevents_mock, no_aws_configuration):
    assert isinstance(iotevents_mock, iotevents.Engine)
    control, data = pressure_service()
    assert motor.run(control, data) == EXPECTED
    assert len(iotevents_mock.call("ListDetectors", {"detectorModelName": "motorDetectorModel"})["detectorSummaries"]) == 2


@iob.mock(clock="manual", start_time_millis=1700000000000)
class TestDecoratedClass:
    def test_each_method_gets_a_fresh_engine(self):
        client = boto3.client("iotevents", region_name="eu-west-1")
        assert client.list_inputs()["inputSummaries"] == []
        created = client.create_input(**motor.INPUT)["inputConfiguration"]
        assert created["creationTime"].timestamp() == 1700000000

    def test_and_the_other_one_too(self):
        self.test_each_method_gets_a_fresh_engine()


def test_mocks_nest_and_everything_is_restored_on_exit_even_after_an_exception():
    send, create_client = botocore.endpoint.Endpoint._send, botocore.session.Session.create_client
    client = boto3.client("iotevents", region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE",
                          aws_secret_access_key="secret", config=NO_RETRIES)
    given = iotevents.Engine(clock="manual")
    outer = iob.mock(given)
    with outer as engine:
        assert engine is given and outer.engine is given
        client.create_input(inputName="Outer", inputDefinition={"attributes": [{"jsonPath": "id"}]})
        with pytest.raises(ZeroDivisionError):
            with iob.mock() as inner:
                client.create_input(inputName="Inner", inputDefinition={"attributes": [{"jsonPath": "id"}]})
                assert [i["inputName"] for i in inner.call("ListInputs", {})["inputSummaries"]] == ["Inner"]
                1 / 0
        with pytest.raises(ValueError):
            inner.call("ListInputs", {})  # the mock opened it, the mock closed it
        assert [i["inputName"] for i in client.list_inputs()["inputSummaries"]] == ["Outer"]
        # an explicitly attached client keeps its own engine
        with iotevents.Engine() as own:
            iob.attach(client, own)
            assert client.list_inputs()["inputSummaries"] == []
            iob.detach(client)
    assert outer.engine is None
    assert given.call("ListInputs", {})["inputSummaries"][0]["inputName"] == "Outer"  # left open
    given.close()
    assert botocore.endpoint.Endpoint._send is send
    assert botocore.session.Session.create_client is create_client
    # Outside the mock the client signs and sends again: a stand-in for the network answers.
    sent = []

    def network(request, **_):
        sent.append(request.headers.get("Authorization"))
        return AWSResponse(request.url, 200, {"Content-Type": "application/json"}, _Raw(b'{"inputSummaries": []}'))

    client.meta.events.register("before-send.iot-events", network)
    assert client.list_inputs()["inputSummaries"] == []
    assert len(sent) == 1
    authorization = sent[0].decode() if isinstance(sent[0], bytes) else sent[0]
    assert authorization.startswith("AWS4-HMAC-SHA256")


def test_a_request_that_would_escape_the_mock_fails_loudly():
    # A client made before `import iotevents.boto3` (here, in a fresh process, with the system's
    # boto3 that still knows the service) cannot be reached by the mock: its request must fail,
    # not go out.
    script = "\n".join([
        "import boto3, botocore.config",
        "client = boto3.client('iotevents', region_name='us-east-1', aws_access_key_id='a', aws_secret_access_key='b',",
        "                      config=botocore.config.Config(retries={'max_attempts': 1}))",
        "import iotevents.boto3 as b",
        "with b.mock():",
        "    try:",
        "        client.list_inputs()",
        "    except b.EscapedRequestError as e:",
        "        print('refused', 'list' in str(e).lower() or 'inputs' in str(e))",
    ])
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings", "python"))
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["refused", "True"], result.stderr


def test_a_decorated_coroutine_runs_inside_the_mock(no_aws_configuration):
    import asyncio

    @iob.mock()
    async def scenario():
        await asyncio.sleep(0)
        control, data = pressure_service()
        return motor.run(control, data)

    assert asyncio.run(scenario()) == EXPECTED


def test_clients_made_inside_keep_dummy_credentials_after_exit(no_aws_configuration):
    with iob.mock():
        client = boto3.client("iotevents")
    credentials = client._request_signer._credentials  # not the user's: nothing real can leak out
    assert (credentials.access_key, credentials.secret_key) == ("testing", "testing")


def test_mock_refuses_an_engine_and_engine_arguments_together():
    with iotevents.Engine() as engine, pytest.raises(TypeError):
        iob.mock(engine, clock="manual")
    with pytest.raises(RuntimeError):
        iob.mock().stop()
