"""iotevents.boto3.mock: every client of the two services, served by an engine. Part of
iotevents.boto3 (attach's decoding serves each request)."""
import functools
import inspect
import threading
import weakref
from typing import Any

from botocore import UNSIGNED

from .boto3 import _Sender, is_attached

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
