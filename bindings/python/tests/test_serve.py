"""`iotevents serve`: both services' REST-JSON protocol over real HTTP on loopback.

* every operation of both services through boto3 with endpoint_url gives what the native client
  gives (the server in this process, so the scenario can tick the manual clock);
* the motor scenario on the newest boto3 from PyPI (build/boto3-venv) against `iotevents serve`;
* the AWS CLI v1 from PyPI (build/awscli-venv): the steps in serve_cli/ (NN-name.cmd, expected
  output NN-name.json; IOTEVENTS_RECORD=1 writes them; serve_cli/README.md), and its shorthand
  parser against ours;
* SigV4: presigned URL fetched with curl, forged and expired signatures refused;
* 8 concurrent clients x 1000 calls, exact counts; a body over 10 MiB refused; SIGTERM closes the
  engine cleanly; bad paths and methods, handler exceptions."""
import base64
import datetime
import http.client
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

import iotevents
import motor
import pypi_venv
from cli_support import error_lines, normalise
from every_operation import START, STEPS

boto3 = pytest.importorskip("boto3")
import botocore.config  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

import iotevents.boto3  # noqa: E402,F401  (both services known to this botocore)
from iotevents.serve import Service, make_server  # noqa: E402
from test_boto3_attach import run as run_steps  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)
CLI_STEPS = os.path.join(HERE, "serve_cli")
EXPECTED_MOTOR = [[list(state) for state in batch] for batch in motor.EXPECTED]
KEY, SECRET = "AKIDSERVETEST", "serve-test-secret"


def _env(python_path=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent"
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    if env.get("IOTEVENTS_LIBRARY"):
        env["IOTEVENTS_LIBRARY"] = os.path.abspath(env["IOTEVENTS_LIBRARY"])
    if python_path:
        env["PYTHONPATH"] = PACKAGE
    else:
        env.pop("PYTHONPATH", None)
    return env


class Served:
    """`python -m iotevents serve --port 0 ...` as a child process."""

    def __init__(self, *arguments, python=sys.executable, env=None):
        self.process = subprocess.Popen([python, "-m", "iotevents", "serve", "--port", "0", *arguments],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=env or _env(), cwd="/")
        self.banner = [self.process.stdout.readline(), self.process.stdout.readline()]
        assert "listening on http://" in self.banner[0], self.banner + [self.process.stderr.read()]
        self.url = self.banner[0].split("listening on ")[1].split()[0]
        self.port = int(self.url.rsplit(":", 1)[1])

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out, err

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def client(service, url, key=KEY, secret=SECRET):
    config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
    return boto3.client(service, region_name="us-east-1", endpoint_url=url, config=config,
                        aws_access_key_id=key, aws_secret_access_key=secret)


def raw(port, method, path, body=b"", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def in_process():
    """A server on a thread of this process, over an engine with the manual clock."""
    with iotevents.Engine(clock="manual", start_time_millis=START) as engine:
        service = Service(engine)
        server = make_server(service, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield engine, service, "http://127.0.0.1:%d" % server.server_address[1]
        finally:
            server.shutdown()
            server.server_close()
            service.gate.close()


# -- the protocol -----------------------------------------------------------------------------

def test_every_operation_over_http_gives_what_the_native_client_gives(in_process):
    engine, _, url = in_process
    with iotevents.Engine(clock="manual", start_time_millis=START) as native_engine:
        native = run_steps({s: native_engine.client(s) for s in ("iotevents", "iotevents-data")}, native_engine)
    over_http = run_steps({s: client(s, url) for s in ("iotevents", "iotevents-data")}, engine)
    assert len(native) == len(over_http)
    for mine, theirs in zip(native, over_http):
        assert mine == theirs


def test_headers_status_and_error_bodies(in_process):
    _, _, url = in_process
    port = int(url.rsplit(":", 1)[1])
    status, headers, body = raw(port, "POST", "/inputs", json.dumps(motor.INPUT).encode(),
                                {"Content-Type": "application/json"})
    assert status == 201 and headers["Content-Type"] == "application/json" and headers["x-amzn-RequestId"]
    assert json.loads(body)["inputConfiguration"]["inputName"] == "PressureInput"
    status, headers, body = raw(port, "GET", "/inputs/Nothing")
    assert status == 404 and headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert json.loads(body)["__type"] == "ResourceNotFoundException"
    status, headers, body = raw(port, "DELETE", "/detector-models/Nothing")
    assert status == 404, body
    status, headers, body = raw(port, "POST", "/inputs", b"{not json")
    assert status == 400 and headers["x-amzn-ErrorType"] == "SerializationException"
    # labels are percent-decoded, query strings read from the model
    status, _, body = raw(port, "GET", "/inputs/Pressure%49nput")
    assert status == 200 and json.loads(body)["input"]["inputConfiguration"]["inputName"] == "PressureInput"
    status, _, body = raw(port, "GET", "/inputs?maxResults=1")
    assert status == 200 and len(json.loads(body)["inputSummaries"]) == 1
    status, _, body = raw(port, "GET", "/inputs?maxResults=many")
    assert status == 400, body


def test_bad_paths_methods_and_handler_exceptions_get_aws_errors(in_process):
    _, service, url = in_process
    port = int(url.rsplit(":", 1)[1])
    for method, path, expected in (("GET", "/nowhere", 404), ("POST", "/detectors/a/b/c", 404),
                                   ("PATCH", "/inputs", 405), ("PUT", "/detector-models", 405),
                                   ("FROB", "/inputs", 501)):
        status, headers, body = raw(port, method, path)
        assert status == expected, (method, path, status, body)
        assert headers["Content-Type"] == "application/json" and headers["x-amzn-ErrorType"]
        if status == 405:
            assert headers["Allow"] == {"/inputs": "GET, POST", "/detector-models": "GET, POST"}[path]
        document = json.loads(body)
        assert document["__type"] == headers["x-amzn-ErrorType"] and document["message"]
    original = service.engine.call_raw
    service.engine.call_raw = lambda *a: 1 / 0
    try:
        status, headers, body = raw(port, "GET", "/inputs")
    finally:
        service.engine.call_raw = original
    assert status == 500 and json.loads(body)["__type"] == "InternalFailureException"
    assert raw(port, "GET", "/inputs")[0] == 200  # and it keeps serving


def test_a_body_over_10_mib_is_refused_before_it_is_read(in_process):
    _, _, url = in_process
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"POST /inputs/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % (10 * 1024 * 1024 + 1))
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), answer
    assert json.loads(body)["__type"] == "RequestEntityTooLargeException"
    # With Expect: 100-continue the client is told before it sends anything.
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"POST /inputs/messages HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                     b"Content-Length: %d\r\n\r\n" % (10 * 1024 * 1024 + 1))
        assert sock.recv(65536).startswith(b"HTTP/1.1 413")
    # A whole 10 MiB + 1 body sent by a client gets the same answer.
    status, _, body = raw(port, "POST", "/inputs/messages", b" " * (10 * 1024 * 1024 + 1))
    assert status == 413, body


# -- clients from PyPI --------------------------------------------------------------------------

def test_motor_scenario_over_http_on_the_newest_boto3():
    python = pypi_venv.newest("boto3-venv", "boto3", "boto3")
    with Served(python=python, env=_env(python_path=False)) as served:
        script = ("import json, boto3, iotevents.boto3, motor\n"
                  "kw = dict(region_name='us-east-1', endpoint_url=%r, aws_access_key_id='a', aws_secret_access_key='b')\n"
                  "print(json.dumps([boto3.__version__, motor.run(boto3.client('iotevents', **kw), "
                  "boto3.client('iotevents-data', **kw))]))\n" % served.url)
        ran = subprocess.run([python, "-c", script], env=dict(_env(python_path=False), PYTHONPATH=HERE),
                             capture_output=True, text=True, timeout=300, cwd="/")
        assert ran.returncode == 0, ran.stderr
        version, seen = json.loads(ran.stdout)
        assert seen == EXPECTED_MOTOR, version
        assert served.stop()[0] == 0


def test_aws_cli_steps():
    python = pypi_venv.newest("awscli-venv", "awscli", "awscli")
    aws = os.path.join(os.path.dirname(python), "aws")
    with Served("--clock", "manual", "--start-time-millis", str(START), "--credentials", "%s:%s" % (KEY, SECRET)) as served:
        env = _env(python_path=False)
        env.update(AWS_DATA_PATH=iotevents.boto3.data_path(), AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET,
                   AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1")
        steps = sorted(name[:-4] for name in os.listdir(CLI_STEPS) if name.endswith(".cmd"))
        assert len(steps) >= 8
        for step in steps:
            with open(os.path.join(CLI_STEPS, step + ".cmd")) as f:
                command = shlex.split(f.read().replace("{here}", CLI_STEPS))
            ran = subprocess.run([aws, "--endpoint-url", served.url, "--output", "json", *command], env=env,
                                 capture_output=True, text=True, timeout=120)
            got = {"exit": ran.returncode}
            if ran.returncode == 0:
                got["output"] = normalise(json.loads(ran.stdout)) if ran.stdout.strip() else None
            else:
                got["stderr"] = error_lines(ran.stderr)
            expected_file = os.path.join(CLI_STEPS, step + ".json")
            if os.environ.get("IOTEVENTS_RECORD"):
                with open(expected_file, "w") as f:
                    json.dump(got, f, indent=2, sort_keys=True)
                    f.write("\n")
            with open(expected_file) as f:
                assert got == json.load(f), step
        assert served.stop()[0] == 0


SHORTHAND = ["key=a,value=b", "iotEventsInputIdentifier={inputName=X}", "a=x,y,z,b=[1,2],c={d=\"q,r\"}", "a=",
             "k= spaced value ,v= [ a , b ]", "a=[{b=1},{c=2}]", "a=[]", "r='x=y',s=\"t,u\"", "a={b={c=[d,e]}}",
             "roleArn=arn:aws:iam::1:role/R,level=ERROR,enabled=false", "a=x,b:c/d#e=y", "a=x, y ,b=z",
             "a={b=1", "=x", "a=[1,2", "a=b,=c", "a=b}", "a"]


def test_shorthand_is_read_as_the_aws_cli_reads_it():
    """iotevents._shorthand against awscli's ShorthandParser (in build/awscli-venv): the same
    structure, or an error from both."""
    from iotevents._shorthand import ShorthandError, parse
    python = pypi_venv.newest("awscli-venv", "awscli", "awscli")
    script = ("import json, sys\nfrom awscli.shorthand import ShorthandParser, ShorthandParseError\n"
              "out = []\nfor text in json.load(sys.stdin):\n"
              "    try:\n        out.append(ShorthandParser().parse(text))\n"
              "    except ShorthandParseError:\n        out.append('error')\nprint(json.dumps(out))\n")
    ran = subprocess.run([python, "-c", script], input=json.dumps(SHORTHAND), capture_output=True, text=True,
                         timeout=120, env=_env(python_path=False))
    assert ran.returncode == 0, ran.stderr
    for text, theirs in zip(SHORTHAND, json.loads(ran.stdout)):
        try:
            ours = parse(text)
        except ShorthandError:
            ours = "error"
        assert ours == theirs, text


# -- signatures ---------------------------------------------------------------------------------

def _signed_at(url, amz_date, secret=SECRET):
    """A ListInputs request signed with botocore's signer as at amz_date."""
    request = AWSRequest(method="GET", url=url + "/inputs", headers={"X-Amz-Date": amz_date})
    signer = SigV4Auth(Credentials(KEY, secret), "iotevents", "us-east-1")
    request.context["timestamp"] = amz_date
    signature = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    signer._inject_signature_to_request(request, signature)
    return dict(request.headers.items())


def test_signatures_presigned_forged_and_expired():
    with Served("--credentials", "%s:%s" % (KEY, SECRET), "--credentials", "OTHERKEY:other") as served:
        assert "must be signed" in served.banner[1]
        control, data = client("iotevents", served.url), client("iotevents-data", served.url)
        assert motor.run(control, data) == [[tuple(s) for s in batch] for batch in EXPECTED_MOTOR]
        assert client("iotevents", served.url, "OTHERKEY", "other").list_inputs()["inputSummaries"]

        # A presigned describe_detector URL, fetched with plain curl.
        url = data.generate_presigned_url("describe_detector", ExpiresIn=60,
                                          Params={"detectorModelName": "motorDetectorModel", "keyValue": "Fulton-A32"})
        fetched = subprocess.run(["curl", "-s", "-S", "-w", "\n%{http_code}", url], capture_output=True, text=True, timeout=60)
        body, _, code = fetched.stdout.rpartition("\n")
        assert code == "200", fetched
        assert json.loads(body)["detector"]["keyValue"] == "Fulton-A32"
        # ... and once it has expired.
        short = data.generate_presigned_url("describe_detector", ExpiresIn=1,
                                            Params={"detectorModelName": "motorDetectorModel", "keyValue": "Fulton-A32"})
        time.sleep(2.2)
        fetched = subprocess.run(["curl", "-s", "-i", short], capture_output=True, text=True, timeout=60)
        assert fetched.stdout.startswith("HTTP/1.1 403"), fetched.stdout
        assert "Signature expired" in fetched.stdout and "InvalidSignatureException" in fetched.stdout
        # A presigned URL with its parameters changed, or its signature, is forged.
        for forged in (url.replace("Fulton-A32", "Fulton-A33"), url[:-4] + ("0000" if not url.endswith("0000") else "1111")):
            status, headers, body = raw(served.port, "GET", forged.split(str(served.port), 1)[1])
            assert status == 403 and headers["x-amzn-ErrorType"] == "InvalidSignatureException", body

        # Header signatures: the wrong secret, an unknown key, none at all, an old date.
        with pytest.raises(control.exceptions.ClientError) as refused:
            client("iotevents", served.url, KEY, "wrong").list_inputs()
        assert refused.value.response["Error"]["Code"] == "InvalidSignatureException"
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        with pytest.raises(control.exceptions.ClientError) as refused:
            client("iotevents", served.url, "UNKNOWN", SECRET).list_inputs()
        assert refused.value.response["Error"]["Code"] == "UnrecognizedClientException"
        status, headers, _ = raw(served.port, "GET", "/inputs")
        assert status == 403 and headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
        now = datetime.datetime.now(datetime.timezone.utc)
        fresh = _signed_at(served.url, now.strftime("%Y%m%dT%H%M%SZ"))
        assert raw(served.port, "GET", "/inputs", headers=fresh)[0] == 200
        old = _signed_at(served.url, (now - datetime.timedelta(minutes=6)).strftime("%Y%m%dT%H%M%SZ"))
        status, headers, body = raw(served.port, "GET", "/inputs", headers=old)
        assert status == 403 and json.loads(body)["message"].startswith("Signature expired:"), body
        ahead = _signed_at(served.url, (now + datetime.timedelta(minutes=6)).strftime("%Y%m%dT%H%M%SZ"))
        status, headers, body = raw(served.port, "GET", "/inputs", headers=ahead)
        assert status == 403 and json.loads(body)["message"].startswith("Signature not yet current:"), body
        # A signed body changed on the way is forged.
        request = AWSRequest(method="POST", url=served.url + "/inputs/messages",
                             data=json.dumps({"messages": []}).encode(), headers={"Content-Type": "application/json"})
        SigV4Auth(Credentials(KEY, SECRET), "ioteventsdata", "us-east-1").add_auth(request)
        headers = dict(request.headers.items())
        tampered = json.dumps({"messages": [motor.message(99, "Fulton-A32", 1)]}, default=lambda b: b.decode()).encode()
        headers["Content-Length"] = str(len(tampered))
        status, _, body = raw(served.port, "POST", "/inputs/messages", tampered, headers)
        assert status == 403 and b"InvalidSignatureException" in body
        # Signed for the data plane, sent to a control-plane route.
        request = AWSRequest(method="GET", url=served.url + "/inputs")
        SigV4Auth(Credentials(KEY, SECRET), "ioteventsdata", "us-east-1").add_auth(request)
        status, _, body = raw(served.port, "GET", "/inputs", headers=dict(request.headers.items()))
        assert status == 403 and b"scoped to correct service" in body
        assert served.stop()[0] == 0


# -- concurrency and lifetime -----------------------------------------------------------------

COUNTER_INPUT = {"inputName": "Count", "inputDefinition": {"attributes": [{"jsonPath": "key"}]}}
COUNTER_MODEL = {
    "detectorModelName": "counter", "key": "key", "roleArn": "arn:aws:iam::123456789012:role/Role",
    "detectorModelDefinition": {"initialStateName": "Counting", "states": [{
        "stateName": "Counting",
        "onEnter": {"events": [{"eventName": "zero", "condition": "true",
                                "actions": [{"setVariable": {"variableName": "n", "value": "0"}}]}]},
        "onInput": {"events": [{"eventName": "count", "condition": "currentInput(\"Count\")",
                                "actions": [{"setVariable": {"variableName": "n", "value": "$variable.n + 1"}}]}]}}]}}
CLIENTS, CALLS, KEYS_PER_CLIENT = 8, 1000, 10


def _post(connection, path, document):
    connection.request("POST", path, body=json.dumps(document), headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def test_eight_concurrent_clients_exact_counts():
    with Served() as served:
        control = client("iotevents", served.url)
        control.create_input(**COUNTER_INPUT)
        control.create_detector_model(**COUNTER_MODEL)
        failures = []

        def one_client(number):
            connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
            for call in range(CALLS):
                payload = json.dumps({"key": "c%d-k%d" % (number, call % KEYS_PER_CLIENT)}).encode()
                status, body = _post(connection, "/inputs/messages", {"messages": [{
                    "messageId": "%d-%d" % (number, call), "inputName": "Count",
                    "payload": base64.b64encode(payload).decode()}]})
                if status != 200 or json.loads(body)["BatchPutMessageErrorEntries"]:
                    failures.append((status, body))
            connection.close()

        started = time.monotonic()
        threads = [threading.Thread(target=one_client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        assert failures == []
        data = client("iotevents-data", served.url)
        keys, token = [], None
        while True:
            page = data.list_detectors(detectorModelName="counter", **({"nextToken": token} if token else {}))
            keys += [summary["keyValue"] for summary in page["detectorSummaries"]]
            token = page.get("nextToken")
            if not token:
                break
        assert sorted(keys) == sorted("c%d-k%d" % (n, k) for n in range(CLIENTS) for k in range(KEYS_PER_CLIENT))
        for number in range(CLIENTS):
            for key in range(KEYS_PER_CLIENT):
                detector = data.describe_detector(detectorModelName="counter", keyValue="c%d-k%d" % (number, key))["detector"]
                assert detector["state"]["variables"] == [{"name": "n", "value": str(CALLS // KEYS_PER_CLIENT)}]
        print("8 x 1000 BatchPutMessage over HTTP: %.1f s, %.0f requests/s" % (elapsed, CLIENTS * CALLS / elapsed))
        assert served.stop()[0] == 0


def test_sigterm_under_load_loses_no_acknowledged_call(tmp_path):
    """SIGTERM while a client sends: the calls in flight finish before the engine closes, and
    every acknowledged message is in the state the next engine opens (at most one more: a call
    that ran but whose answer the closing connection did not deliver)."""
    state = str(tmp_path / "state")
    with Served("--state-directory", state) as served:
        control = client("iotevents", served.url)
        control.create_input(**COUNTER_INPUT)
        control.create_detector_model(**COUNTER_MODEL)
        acknowledged, stop = [0], threading.Event()

        def send():
            connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
            payload = base64.b64encode(b'{"key": "k"}').decode()
            call = 0
            while not stop.is_set():
                call += 1
                try:
                    status, _ = _post(connection, "/inputs/messages", {"messages": [
                        {"messageId": str(call), "inputName": "Count", "payload": payload}]})
                except (OSError, http.client.HTTPException):
                    return
                if status != 200:
                    return
                acknowledged[0] += 1

        sender = threading.Thread(target=send)
        sender.start()
        while acknowledged[0] < 50:
            time.sleep(0.01)
        status, out, err = served.stop(signal.SIGTERM)
        stop.set()
        sender.join()
        assert status == 0 and "the engine is closed" in out and "Traceback" not in err, err
    with iotevents.Engine(state_directory=state) as engine:
        detector = engine.client("iotevents-data").describe_detector(detectorModelName="counter", keyValue="k")["detector"]
        counted = int(detector["state"]["variables"][0]["value"])
        assert acknowledged[0] <= counted <= acknowledged[0] + 1, (acknowledged[0], counted)


def test_start_up_failures_are_messages_not_tracebacks(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    ran = subprocess.run([sys.executable, "-m", "iotevents", "serve", "--port", "0", "--state-directory",
                          str(blocker / "state")], env=_env(), capture_output=True, text=True, timeout=60)
    assert ran.returncode == 1 and ran.stderr.startswith("iotevents serve: ") and "Traceback" not in ran.stderr, ran.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        ran = subprocess.run([sys.executable, "-m", "iotevents", "serve", "--port", str(taken.getsockname()[1])],
                             env=_env(), capture_output=True, text=True, timeout=60)
    assert ran.returncode == 1 and "cannot listen on" in ran.stderr and "Traceback" not in ran.stderr, ran.stderr


def test_sigterm_closes_the_engine_and_the_state_survives(tmp_path):
    state = str(tmp_path / "state")
    with Served("--state-directory", state) as served:
        control, data = client("iotevents", served.url), client("iotevents-data", served.url)
        seen = motor.run(control, data)
        status, out, err = served.stop(signal.SIGTERM)
        assert status == 0, err
        assert "the engine is closed" in out and "Traceback" not in err
    with iotevents.Engine(state_directory=state) as engine:
        reopened = engine.client("iotevents-data")
        states = [(d["keyValue"], d["state"]["stateName"]) for d in
                  reopened.list_detectors(detectorModelName="motorDetectorModel")["detectorSummaries"]]
        assert sorted(states) == sorted((motorid, state) for motorid, state, _ in seen[-1])
    with Served("--state-directory", state) as served:  # and Ctrl-C does the same
        assert client("iotevents-data", served.url).describe_detector(
            detectorModelName="motorDetectorModel", keyValue="Fulton-A33")["detector"]["state"]["stateName"] == "Dangerous"
        status, out, err = served.stop(signal.SIGINT)
        assert status == 0 and "the engine is closed" in out and "Traceback" not in err, err
