"""Serve an unmodified boto3 client from an engine: `iotevents.boto3.attach(client, engine)`.

botocore builds, signs and sends a REST request for every call. Just before sending it emits
`before-send.<service-id>.<Operation>`; a handler that returns a response stops the send. Ours
decodes the prepared request back into the operation's request document using the client's own
service model (path labels, query string, headers, JSON body), runs it on the engine, and answers
with the status code, headers and body the real service sends. botocore's parser, error handling
and retry logic then run exactly as they would against AWS.

Only a client of "iotevents-data", "iotevents" or "iotsitewise" can be attached (of SiteWise's
operations the engine serves BatchPutAssetPropertyValue, which feeds SiteWise-sourced alarm models;
the others raise UnsupportedOperationException). Requests are not signed (there
is no network and no AWS account), so a gateway needs no credentials; a region is still needed
to create the client, as boto3 requires one.

Importing this module also makes both services known to botocore again (botocore dropped them in
1.43.38): every botocore data loader — the one behind boto3.client(), any boto3 or botocore
Session, made before or after the import — searches data_path() after its own folders, so a
user's AWS_DATA_PATH, ~/.aws/models and botocore's own data keep precedence.

mock(engine=None) serves every client of the two services from an engine while it is active,
including the clients the code under test creates itself: see its docstring.
"""
import json
from typing import Any
from urllib.parse import urlsplit

from botocore import UNSIGNED
from botocore.awsrequest import AWSResponse

from ._rest import RestJson

__all__ = ["attach", "detach", "is_attached", "data_path", "mock", "EscapedRequestError"]

_SERVICES = {"iot-events-data", "iot-events", "iotsitewise"}
_ATTACHED = "_iotevents_attached"  # attribute on the client: (engine, handlers)


def attach(client: Any, engine: Any) -> Any:
    """Makes every call of the boto3 `client` run on `engine` instead of the network; returns the
    client. Attaching a client that is already attached replaces the engine.

    Raises ValueError for a client of another service. The engine must stay open while the client
    is used; detach(client) restores normal sending."""
    service_id = client.meta.service_model.service_id.hyphenize()
    if service_id not in _SERVICES:
        raise ValueError("iotevents.boto3.attach takes an iotevents-data, iotevents or iotsitewise client, not %r"
                         % client.meta.service_model.service_name)
    detach(client)
    send = _Sender(client.meta.service_model, engine)
    handlers = [("before-send.%s" % service_id, send),
                ("choose-signer.%s" % service_id, _unsigned)]
    for event, handler in handlers:
        client.meta.events.register(event, handler)
    setattr(client, _ATTACHED, (engine, handlers))
    return client


def detach(client: Any) -> None:
    """Undoes attach; a client that is not attached is left as it is."""
    attached = getattr(client, _ATTACHED, None)
    if attached is None:
        return
    for event, handler in attached[1]:
        client.meta.events.unregister(event, handler)
    delattr(client, _ATTACHED)


def is_attached(client: Any) -> bool:
    return getattr(client, _ATTACHED, None) is not None


def _unsigned(**_):
    return UNSIGNED


class _Body:
    """The `raw` of an AWSResponse: botocore reads the content through stream()."""

    def __init__(self, data):
        self._data = data

    def stream(self, **_):
        yield self._data


class _Sender:
    """Answers botocore's prepared requests from the engine, through the protocol's one decoder
    and encoder (_rest.RestJson, which `iotevents serve` uses too)."""

    def __init__(self, service_model, engine):
        self._protocol = RestJson(service_model)
        self._engine = engine

    def __call__(self, request, event_name, **_):
        # botocore passes the event's full name: before-send.<service-id>.<Operation>
        operation = self._protocol.model.operation_model(event_name.rsplit(".", 1)[1])
        url = urlsplit(request.url)
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        document = self._protocol.decode(operation, url.path, url.query, request.headers, body)
        status, text = self._engine.call_raw(operation.name, json.dumps(document))
        code, headers, content = self._protocol.encode(operation, status, text)
        return AWSResponse(request.url, code, headers, _Body(content))


# The service models (data_path) and mock live in their own modules; this one is their public face.
from ._botocore_data import data_path, _register_data_path  # noqa: E402
from ._boto3_mock import mock, EscapedRequestError, _install_client_hook  # noqa: E402

_register_data_path()
_install_client_hook()
