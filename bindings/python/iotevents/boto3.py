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
import functools
import inspect
import json
import os
import re
import threading
import uuid
import warnings
import weakref
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from botocore import UNSIGNED
from botocore.awsrequest import AWSResponse

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
    def __init__(self, service_model, engine):
        self._model = service_model
        self._engine = engine
        self._paths = {}  # operation name -> compiled path pattern

    def __call__(self, request, event_name, **_):
        # botocore passes the event's full name: before-send.<service-id>.<Operation>
        operation = self._model.operation_model(event_name.rsplit(".", 1)[1])
        document = self._decode(operation, request)
        status, text = self._engine.call_raw(operation.name, json.dumps(document))
        if status == 0:
            code = operation.http.get("responseCode", 200)
            body = b"" if code == 204 else text.encode("utf-8")
            headers = {"Content-Type": "application/json"}
        else:
            error = json.loads(text) if text else {}
            kind = error.get("__type", "InternalFailureException")
            code = self._error_status(kind)
            body = text.encode("utf-8")
            headers = {"Content-Type": "application/json", "x-amzn-ErrorType": kind}
        headers["x-amzn-RequestId"] = str(uuid.uuid4())
        headers["Content-Length"] = str(len(body))
        return AWSResponse(request.url, code, headers, _Body(body))

    # -- request decoding -------------------------------------------------------------------

    def _decode(self, operation, request):
        shape = operation.input_shape
        url = urlsplit(request.url)
        document = {}
        if shape is None:
            return document
        labels = self._path_pattern(operation).match(url.path)
        query = parse_qs(url.query, keep_blank_values=True)
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        if body:
            document.update(json.loads(body.decode("utf-8") if isinstance(body, bytes) else body))
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire = member.serialization.get("name", name)
            if location == "uri" and labels and labels.group(wire) is not None:
                document[name] = unquote(labels.group(wire))
            elif location == "querystring" and wire in query:
                values = query[wire]
                document[name] = (values if member.type_name == "list"
                                  else _scalar(member.type_name, values[-1]))
            elif location == "header" and wire in request.headers:
                document[name] = _scalar(member.type_name, request.headers[wire])
        return document

    def _path_pattern(self, operation):
        pattern = self._paths.get(operation.name)
        if pattern is None:
            template = operation.http["requestUri"].split("?", 1)[0]
            regex, position = "", 0
            for label in re.finditer(r"\{([^}+]+)(\+?)\}", template):
                regex += re.escape(template[position:label.start()])
                regex += "(?P<%s>%s)" % (label.group(1), ".+" if label.group(2) else "[^/]*")
                position = label.end()
            regex += re.escape(template[position:])
            # botocore appends the labels to the endpoint's own path, if it has one
            pattern = self._paths[operation.name] = re.compile("(?:.*?)" + regex + "$")
        return pattern

    def _error_status(self, kind):
        try:
            return self._model.shape_for(kind).metadata["error"]["httpStatusCode"]
        except Exception:  # a code this service's model does not declare
            return 500 if kind == "InternalFailureException" else 400


def _scalar(type_name, text):
    if type_name in ("integer", "long"):
        return int(text)
    if type_name in ("float", "double"):
        return float(text)
    if type_name == "boolean":
        return text == "true"
    return text


# -- the service models: botocore's data for both services, shipped in the package ----------

_PACKAGED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "botocore-data")
# Run from the source tree (PYTHONPATH=bindings/python): the repository's one copy.
_IN_TREE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                         "..", "..", "..", "models", "botocore-data"))


def data_path() -> str:
    """The folder holding botocore's data for iotevents and iotevents-data, laid out as a
    botocore data path: give it to AWS_DATA_PATH for programs that do not import this module
    (the AWS CLI, another process). Raises FileNotFoundError when the package lacks it."""
    for candidate in (_PACKAGED, _IN_TREE):
        if os.path.isfile(os.path.join(candidate, "iotevents-data", "2018-10-23", "service-2.json")):
            return candidate
    raise FileNotFoundError("iotevents: the botocore data folder is missing from the package (%s)" % _PACKAGED)


def _add_search_path(loader: Any, path: str) -> None:
    """Appends `path` to a botocore Loader's search paths, as boto3 appends its own data folder.
    Only a loader that searches botocore's built-in data gets it (one made with
    include_default_search_paths=False asked for exactly its own paths)."""
    paths = loader.search_paths
    if path in paths or getattr(loader, "BUILTIN_DATA_PATH", None) not in paths:
        return
    paths.append(path)
    cache = getattr(loader, "_cache", None)  # list_available_services() may have run already
    if isinstance(cache, dict):
        cache.clear()


def _register_data_path() -> None:
    from botocore import loaders
    try:
        path = data_path()
    except FileNotFoundError as error:
        warnings.warn(str(error) + "; boto3.client('iotevents') needs botocore <= 1.43.37")
        return
    original = loaders.Loader.__init__
    if getattr(original, "_iotevents_data_path", None) is not None:
        return

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        _add_search_path(self, path)

    __init__._iotevents_data_path = path
    loaders.Loader.__init__ = __init__

    # A loader made before this import (boto3's default session, a botocore session already
    # used) gets the folder when it next lists services, which is what load_service_model asks
    # first for every model it loads; _add_search_path clears the list it may have cached.
    listing = loaders.Loader.list_available_services

    @functools.wraps(listing)
    def list_available_services(self, type_name):
        _add_search_path(self, path)
        return listing(self, type_name)

    loaders.Loader.list_available_services = list_available_services


# -- mock: every client of the two services, served by an engine -------------------------------

_MOCKED_NAMES = ("iotevents", "iotevents-data")
_MOCKED_PREFIXES = ("iotevents", "data.iotevents")  # the services' endpointPrefix
_ACTIVE = []  # (mock, engine) of every active mock, innermost last
_ACTIVE_LOCK = threading.RLock()
_DUMMY_KEY = "testing"
_ORIGINAL = {}  # what mock() replaced while active: name -> original function


class EscapedRequestError(RuntimeError):
    """A request of iotevents or iotevents-data was about to go to the network while a mock was
    active: the client was made before `import iotevents.boto3`, so mock could not reach it."""


def _active_engine() -> Any:
    with _ACTIVE_LOCK:
        return _ACTIVE[-1][1] if _ACTIVE else None


def _instrument(client: Any) -> None:
    """Gives every new client of the two services handlers that serve it from the innermost
    active mock's engine; with no mock active (or the client attached) they do nothing."""
    service_id = client.meta.service_model.service_id.hyphenize()
    if service_id not in ("iot-events", "iot-events-data"):
        return
    reference = weakref.ref(client)
    senders = {}  # id(engine) -> (engine, _Sender)

    def send(request, event_name, **kwargs):
        engine = _active_engine()
        client = reference()
        if engine is None or client is None or is_attached(client):
            return None
        cached = senders.get(id(engine))
        if cached is None or cached[0] is not engine:
            senders.clear()
            cached = senders[id(engine)] = (engine, _Sender(client.meta.service_model, engine))
        return cached[1](request, event_name=event_name, **kwargs)

    def choose_signer(**_):
        return UNSIGNED if _active_engine() is not None else None

    client.meta.events.register("before-send.%s" % service_id, send)
    client.meta.events.register("choose-signer.%s" % service_id, choose_signer)


def _install_client_hook() -> None:
    """Wraps botocore.session.Session.create_client, through which every client of every
    session is made (boto3's too). Outside a mock the wrapper only instruments new clients of
    the two services; inside one it also fills in a region and dummy credentials when the call
    gives none, so that no credential provider (and no instance metadata request) runs."""
    from botocore.session import Session
    original = Session.create_client
    if getattr(original, "_iotevents_hook", False):
        return
    signature = inspect.signature(original)

    @functools.wraps(original)
    def create_client(self, *args, **kwargs):
        engine = _active_engine()
        if engine is not None:
            bound = signature.bind(self, *args, **kwargs)
            _mock_defaults(self, bound.arguments, engine)
            args, kwargs = bound.args[1:], bound.kwargs
        client = original(self, *args, **kwargs)
        _instrument(client)
        return client

    create_client._iotevents_hook = True
    Session.create_client = create_client


def _mock_defaults(session: Any, arguments: dict, engine: Any) -> None:
    if arguments.get("service_name") not in _MOCKED_NAMES:
        return
    config = arguments.get("config")
    if config is None:
        config = session.get_default_client_config()
    if (arguments.get("region_name") is None and getattr(config, "region_name", None) is None
            and session.get_config_variable("region") is None):
        arguments["region_name"] = getattr(engine, "region", "us-east-1")
    if (arguments.get("aws_access_key_id") is None and arguments.get("aws_secret_access_key") is None
            and getattr(config, "signature_version", None) is not UNSIGNED):
        arguments["aws_access_key_id"] = _DUMMY_KEY
        arguments["aws_secret_access_key"] = _DUMMY_KEY
        arguments["aws_session_token"] = None


def _install_guard() -> None:
    """While a mock is active, a request of the two services that reaches botocore's HTTP
    sending raises EscapedRequestError instead of going out."""
    from botocore.endpoint import Endpoint
    original = Endpoint._send

    @functools.wraps(original)
    def _send(self, request):
        if _ACTIVE and getattr(self, "_endpoint_prefix", None) in _MOCKED_PREFIXES:
            raise EscapedRequestError(
                "iotevents.boto3.mock: %s %s would have gone to the network; the client was made "
                "before `import iotevents.boto3`, so the mock could not serve it" % (request.method, request.url))
        return original(self, request)

    _ORIGINAL["Endpoint._send"] = original
    Endpoint._send = _send


def _remove_guard() -> None:
    from botocore.endpoint import Endpoint
    original = _ORIGINAL.pop("Endpoint._send", None)
    if original is not None:
        Endpoint._send = original


class mock:
    """Serves every iotevents and iotevents-data client from an engine while active, in the
    spirit of moto's mock_aws: clients made by the code under test, through boto3.client, any
    boto3 or botocore Session, are answered by the engine (attach's decoding), sign nothing and
    need no credentials; a region and dummy credentials are filled in for clients made inside
    the mock when none are configured. Nothing reaches the network: a request of these services
    that the mock cannot serve raises EscapedRequestError.

        with iotevents.boto3.mock() as engine: ...      # a context manager, yields the engine
        @iotevents.boto3.mock()                          # a decorator (functions, TestCase classes)
        def test_...(): ...
        def test_...(iotevents_mock): ...                # the pytest fixture (iotevents.pytest_plugin)

    `engine`: the engine to serve from; it stays open afterwards. Without one, each activation
    opens an engine with the keyword arguments given (`iotevents.Engine(**config)`: the system
    clock unless clock="manual") and closes it on exit. Mocks nest: the innermost active one
    serves. A client that is explicitly attached keeps its own engine."""

    def __init__(self, engine: Any = None, **config: Any) -> None:
        if engine is not None and config:
            raise TypeError("mock() takes an engine or Engine keyword arguments, not both")
        self._engine = engine
        self._config = config
        self._activations = []  # (engine, owned), innermost last

    @property
    def engine(self) -> Any:
        """The engine of this mock's innermost activation (None when not active)."""
        return self._activations[-1][0] if self._activations else None

    def start(self) -> Any:
        from .engine import Engine
        owned = self._engine is None
        engine = Engine(**self._config) if owned else self._engine
        with _ACTIVE_LOCK:
            if not _ACTIVE:
                _install_guard()
            _ACTIVE.append((self, engine))
        self._activations.append((engine, owned))
        return engine

    def stop(self) -> None:
        if not self._activations:
            raise RuntimeError("iotevents.boto3.mock.stop() without start()")
        engine, owned = self._activations.pop()
        with _ACTIVE_LOCK:
            for index in range(len(_ACTIVE) - 1, -1, -1):
                if _ACTIVE[index][0] is self and _ACTIVE[index][1] is engine:
                    del _ACTIVE[index]
                    break
            if not _ACTIVE:
                _remove_guard()
        if owned:
            engine.close()

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: Any) -> bool:
        self.stop()
        return False

    def __call__(self, target: Any) -> Any:
        if isinstance(target, type):
            for name, member in list(vars(target).items()):
                if name.startswith("test") and callable(member):
                    setattr(target, name, self(member))
            return target

        if inspect.iscoroutinefunction(target):
            @functools.wraps(target)
            async def coroutine(*args, **kwargs):
                with mock(self._engine, **self._config):
                    return await target(*args, **kwargs)

            return coroutine

        @functools.wraps(target)
        def wrapper(*args, **kwargs):
            with mock(self._engine, **self._config):
                return target(*args, **kwargs)

        return wrapper


_register_data_path()
_install_client_hook()
