"""Requests/s of BatchPutMessage (one message a call, 10 detectors) three ways, one client thread:
the native client (iotevents.client over ctypes, in process), `iotevents serve` over HTTP with
http.client (keep-alive), and the same server through boto3 with endpoint_url.

    IOTEVENTS_LIBRARY=build/standard/libiotevents.so.0 PYTHONPATH=bindings/python \\
        python3 bindings/python/tools/bench_serve.py [calls]

Not a test: wall-clock numbers on a shared 2-core machine drift (engineering.md section 2)."""
import base64
import http.client
import json
import os
import subprocess
import sys
import time

import boto3

import iotevents
import iotevents.boto3  # noqa: F401  (the services, on a botocore without them)

CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
INPUT = {"inputName": "Count", "inputDefinition": {"attributes": [{"jsonPath": "key"}]}}
MODEL = {
    "detectorModelName": "counter", "key": "key", "roleArn": "arn:aws:iam::123456789012:role/Role",
    "detectorModelDefinition": {"initialStateName": "Counting", "states": [{
        "stateName": "Counting",
        "onInput": {"events": [{"eventName": "count", "condition": "currentInput(\"Count\")",
                                "actions": [{"setVariable": {"variableName": "n", "value": "1"}}]}]}}]}}


def messages(tag):
    for call in range(CALLS):
        yield [{"messageId": "%s-%d" % (tag, call), "inputName": "Count",
                "payload": json.dumps({"key": "k%d" % (call % 10)}).encode()}]


def timed(label, send, tag):
    started = time.perf_counter()
    for batch in messages(tag):
        send(batch)
    elapsed = time.perf_counter() - started
    print("%-40s %6d calls  %6.2f s  %7.0f requests/s" % (label, CALLS, elapsed, CALLS / elapsed))


def main():
    with iotevents.Engine() as engine:
        control, data = engine.client("iotevents"), engine.client("iotevents-data")
        control.create_input(**INPUT)
        control.create_detector_model(**MODEL)
        timed("native client (ctypes, in process)", lambda batch: data.batch_put_message(messages=batch), "native")

    server = subprocess.Popen([sys.executable, "-m", "iotevents", "serve", "--port", "0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().split("listening on ")[1].split()[0]
        keys = dict(region_name="us-east-1", endpoint_url=url, aws_access_key_id="a", aws_secret_access_key="b")
        boto3.client("iotevents", **keys).create_input(**INPUT)
        boto3.client("iotevents", **keys).create_detector_model(**MODEL)
        connection = http.client.HTTPConnection("127.0.0.1", int(url.rsplit(":", 1)[1]))

        def post(batch):
            body = json.dumps({"messages": [dict(m, payload=base64.b64encode(m["payload"]).decode()) for m in batch]})
            connection.request("POST", "/inputs/messages", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            assert response.status == 200

        timed("HTTP, http.client keep-alive", post, "http")
        boto = boto3.client("iotevents-data", **keys)
        timed("HTTP, boto3 endpoint_url (signing)", lambda batch: boto.batch_put_message(messages=batch), "boto3")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    main()
