"""`iotevents serve`: an engine behind an HTTP/1.1 endpoint that speaks AWS's REST-JSON protocol
for both services, so the AWS CLI (`--endpoint-url`), boto3 (`endpoint_url=`) and other AWS SDKs
work unchanged.

Both services are served from one port. Routes, status codes, headers and error bodies come from
the service models through _rest.RestJson, the decoder and encoder `iotevents.boto3.attach` uses.
The two services' routes do not overlap; a signed request is routed within the service its
credential scope names (`iotevents` or `ioteventsdata`, the models' signingName).

With credentials (`--credentials KEY:SECRET`), every request must carry a valid SigV4 signature,
in the Authorization header or as a presigned query string; signatures are computed with
botocore's own signer on the request as received and compared in constant time. Without
credentials nothing is checked (the server says so when it starts).

Needs botocore (the service models' reader and the signer); the rest of the package does not.
"""
import datetime
import hashlib
import hmac
import json
import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Optional
from urllib.parse import parse_qs, urlsplit

MAX_BODY_BYTES = 10 * 1024 * 1024
CLOCK_SKEW = datetime.timedelta(minutes=5)  # AWS's window for a signed request's X-Amz-Date
_AMZ_DATE = "%Y%m%dT%H%M%SZ"
# (service name in botocore's data, API version); the signing names come from the models.
SERVICES = (("iotevents", "2018-07-27"), ("iotevents-data", "2018-10-23"))


class Refusal(Exception):
    """An AWS error answered by the server itself (routing, size, authentication)."""

    def __init__(self, status: int, kind: str, message: str, headers: Optional[Dict[str, str]] = None):
        super().__init__(message)
        self.status, self.kind, self.message, self.headers = status, kind, message, headers or {}


def load_protocols() -> list:
    """RestJson for each service, from the package's copy of botocore's data."""
    from botocore.loaders import Loader
    from botocore.model import ServiceModel

    from ._botocore_data import data_path
    from ._rest import RestJson
    loader = Loader(extra_search_paths=[data_path()], include_default_search_paths=False)
    protocols = []
    for name, version in SERVICES:
        model = loader.load_service_model(name, "service-2", api_version=version)
        protocols.append(RestJson(ServiceModel(model, service_name=name)))
    return protocols


class _Gate:
    """Engine calls in flight; close() waits for them and refuses new ones, so the engine is
    never closed under a call (iotevents_close must not race another call)."""

    def __init__(self):
        self._condition = threading.Condition()
        self._busy = 0
        self._closed = False

    def enter(self) -> bool:
        with self._condition:
            if self._closed:
                return False
            self._busy += 1
            return True

    def leave(self) -> None:
        with self._condition:
            self._busy -= 1
            self._condition.notify_all()

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.wait_for(lambda: self._busy == 0)


class Service:
    """What the HTTP handler serves: the engine, the protocols, the credentials."""

    def __init__(self, engine: Any, region: str = "us-east-1", credentials: Optional[Dict[str, str]] = None,
                 max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.engine = engine
        self.region = region
        self.credentials = dict(credentials or {})
        self.max_body_bytes = max_body_bytes
        self.protocols = load_protocols()
        self.by_signing_name = {p.model.signing_name: p for p in self.protocols}
        self.gate = _Gate()

    # -- one request ------------------------------------------------------------------------

    def answer(self, method: str, target: str, headers: Any, body: bytes):
        """(status, headers, body) for one request; `target` is the request line's path and
        query as sent. Raises Refusal for what the server itself refuses."""
        url = urlsplit(target)
        scope = self.authenticate(method, target, headers, body) if self.credentials else _scope_service(target, headers)
        protocols = sorted(self.protocols, key=lambda p: p.model.signing_name != scope)
        if self.credentials:
            protocols = protocols[:1]
        operation, protocol, allowed = None, None, []
        for candidate in protocols:
            operation, methods = candidate.route(method, url.path)
            allowed += methods
            if operation is not None:
                protocol = candidate
                break
        if operation is None:
            if self.credentials:  # signed for one service: is it the other's route?
                for other in self.protocols:
                    if other is not protocols[0] and (other.route(method, url.path)[0] is not None):
                        raise Refusal(403, "InvalidSignatureException",
                                      "Credential should be scoped to correct service: '%s'. " % other.model.signing_name)
            if allowed:
                raise Refusal(405, "UnknownOperationException",
                              "%s is not a method of %s in either service" % (method, url.path),
                              {"Allow": ", ".join(sorted(set(allowed)))})
            raise Refusal(404, "UnknownOperationException",
                          "%s %s matches no operation of AWS IoT Events or AWS IoT Events Data" % (method, url.path))
        try:
            document = protocol.decode(operation, url.path, url.query, headers, body)
        except (ValueError, UnicodeDecodeError) as error:
            raise Refusal(400, "SerializationException", "%s: %s" % (operation.name, error))
        if not self.gate.enter():
            raise Refusal(503, "ServiceUnavailableException", "the server is shutting down")
        try:
            status, text = self.engine.call_raw(operation.name, json.dumps(document))
        finally:
            self.gate.leave()
        return protocol.encode(operation, status, text)

    # -- SigV4 ----------------------------------------------------------------------------

    def authenticate(self, method: str, target: str, headers: Any, body: bytes) -> str:
        """Checks the request's SigV4 signature (header or presigned query string) with
        botocore's signer; returns the signing name of its credential scope."""
        from botocore.auth import SigV4Auth, SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        url = urlsplit(target)
        query = parse_qs(url.query, keep_blank_values=True)
        authorization = headers.get("Authorization")
        if authorization:
            presigned = False
            algorithm, _, rest = authorization.strip().partition(" ")
            fields = {}
            for part in rest.split(","):
                key, _, value = part.strip().partition("=")
                fields[key] = value
            credential, signed, signature = fields.get("Credential"), fields.get("SignedHeaders"), fields.get("Signature")
            amz_date = headers.get("X-Amz-Date")
            expires = None
        elif "X-Amz-Signature" in query:
            presigned = True
            first = {key: values[0] for key, values in query.items()}
            algorithm, credential = first.get("X-Amz-Algorithm"), first.get("X-Amz-Credential")
            signed, signature, amz_date = first.get("X-Amz-SignedHeaders"), first.get("X-Amz-Signature"), first.get("X-Amz-Date")
            expires = first.get("X-Amz-Expires")
        else:
            raise Refusal(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
        if algorithm != "AWS4-HMAC-SHA256" or not credential or not signed or not signature or not amz_date:
            raise Refusal(400, "IncompleteSignatureException",
                          "Authorization must name the algorithm AWS4-HMAC-SHA256 and carry Credential, "
                          "SignedHeaders, Signature and X-Amz-Date")
        scope = credential.split("/")
        if len(scope) != 5 or scope[4] != "aws4_request":
            raise Refusal(400, "IncompleteSignatureException", "Credential must have the form KEY/DATE/REGION/SERVICE/aws4_request")
        access_key, _, region, service, _ = scope
        secret = self.credentials.get(access_key)
        if secret is None:
            raise Refusal(403, "UnrecognizedClientException", "The security token included in the request is invalid.")
        if service not in self.by_signing_name:
            raise Refusal(403, "InvalidSignatureException",
                          "Credential should be scoped to correct service: 'iotevents' or 'ioteventsdata'. ")
        if region != self.region:
            raise Refusal(403, "InvalidSignatureException", "Credential should be scoped to a valid region. ")
        try:
            signed_at = datetime.datetime.strptime(amz_date, _AMZ_DATE).replace(tzinfo=datetime.timezone.utc)
            lifetime = None if expires is None else int(expires)
        except ValueError:
            raise Refusal(400, "IncompleteSignatureException", "X-Amz-Date must be YYYYMMDD'T'HHMMSS'Z' and X-Amz-Expires a number")
        if lifetime is not None and not 1 <= lifetime <= 604800:
            raise Refusal(400, "IncompleteSignatureException", "X-Amz-Expires must be between 1 and 604800 seconds")

        # The request as the client signed it: its path and query as sent (less the signature),
        # the headers it names, its body.
        names = signed.split(";")
        kept = {}
        for name in names:
            value = headers.get(name)
            if value is None:
                raise Refusal(403, "InvalidSignatureException", "The signed header %s is missing from the request" % name)
            kept[name] = value
        if presigned:
            pairs = [pair for pair in url.query.split("&") if pair.partition("=")[0] != "X-Amz-Signature"]
            target = url.path + ("?" + "&".join(pairs) if pairs else "")
        request = AWSRequest(method=method, url="http://%s%s" % (headers.get("Host", "localhost"), target),
                             headers=kept, data=body)
        request.context["timestamp"] = amz_date
        signer = (SigV4QueryAuth if presigned else SigV4Auth)(Credentials(access_key, secret), service, region)
        expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
        content_hash = headers.get("X-Amz-Content-SHA256")
        if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace")) or (
                content_hash is not None and content_hash != hashlib.sha256(body).hexdigest()):
            raise Refusal(403, "InvalidSignatureException",
                          "The request signature we calculated does not match the signature you provided. "
                          "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")

        now = datetime.datetime.now(datetime.timezone.utc)
        if signed_at > now + CLOCK_SKEW:
            raise Refusal(403, "InvalidSignatureException", "Signature not yet current: %s is still later than %s (%s + 5 min.)"
                          % (amz_date, (now + CLOCK_SKEW).strftime(_AMZ_DATE), now.strftime(_AMZ_DATE)))
        if lifetime is None and signed_at < now - CLOCK_SKEW:
            raise Refusal(403, "InvalidSignatureException", "Signature expired: %s is now earlier than %s (%s - 5 min.)"
                          % (amz_date, (now - CLOCK_SKEW).strftime(_AMZ_DATE), now.strftime(_AMZ_DATE)))
        if lifetime is not None and signed_at + datetime.timedelta(seconds=lifetime) < now:
            raise Refusal(403, "InvalidSignatureException", "Signature expired: %s is now earlier than %s (%s - %d sec.)"
                          % (amz_date, (now - datetime.timedelta(seconds=lifetime)).strftime(_AMZ_DATE),
                             now.strftime(_AMZ_DATE), lifetime))
        return service


def _scope_service(target, headers):
    """The service a request names in its credential scope, signed or not (for routing)."""
    credential = None
    authorization = headers.get("Authorization") or ""
    if "Credential=" in authorization:
        credential = authorization.split("Credential=", 1)[1].split(",", 1)[0]
    else:
        values = parse_qs(urlsplit(target).query).get("X-Amz-Credential")
        credential = values[0] if values else None
    parts = (credential or "").split("/")
    return parts[3] if len(parts) == 5 else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "iotevents"
    timeout = 120  # an idle keep-alive connection is closed after this many seconds
    disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK stall
    service: Service = None  # set on the subclass make_server creates
    verbose = False

    def _serve(self):
        try:
            length = self._content_length()
            body = self.rfile.read(length) if length else b""
            status, headers, content = self.service.answer(self.command, self.path, self.headers, body)
        except Refusal as refusal:
            status, headers, content = self._error(refusal.status, refusal.kind, refusal.message)
            headers.update(refusal.headers)
        except Exception:  # a bug of ours: answer as AWS does and keep serving
            traceback.print_exc()
            status, headers, content = self._error(500, "InternalFailureException", "internal failure")
        self._send(status, headers, content)
        if status == 413:
            self._discard()

    def _discard(self):
        """After refusing a body too large, reads (and drops) what the client still sends, for
        a while, so that a client writing its whole body before reading sees the 413 rather
        than a broken connection. Nothing is kept; the connection is closed after."""
        remaining, deadline = 4 * self.service.max_body_bytes, time.monotonic() + 10
        try:
            while remaining > 0 and time.monotonic() < deadline:
                chunk = self.rfile.read1(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def _content_length(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            raise Refusal(411, "MissingContentLengthException", "the request must carry a Content-Length")
        text = self.headers.get("Content-Length")
        if text is None:
            return 0
        try:
            length = int(text)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            raise Refusal(400, "SerializationException", "Content-Length is not a length: %r" % text)
        if length > self.service.max_body_bytes:
            self.close_connection = True  # the body is never read
            raise Refusal(413, "RequestEntityTooLargeException",
                          "Request body of %d bytes is larger than the limit of %d bytes"
                          % (length, self.service.max_body_bytes), {"Connection": "close"})
        return length

    def handle_expect_100(self):
        """`Expect: 100-continue`: a body over the limit is refused before the client sends it."""
        try:
            self._content_length()
        except Refusal as refusal:
            status, headers, content = self._error(refusal.status, refusal.kind, refusal.message)
            headers.update(refusal.headers)
            headers["Connection"] = "close"
            self._send(status, headers, content)
            return False
        return super().handle_expect_100()

    def _error(self, status, kind, message):
        from ._rest import _response
        return _response(status, json.dumps({"__type": kind, "message": message}).encode("utf-8"), kind)

    def _send(self, status, headers, content):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def send_error(self, code, message=None, explain=None):
        """http.server's own refusals (a malformed request line, an unknown method, an
        over-long URI or header), in AWS's error shape instead of HTML."""
        kinds = {400: "SerializationException", 414: "RequestURITooLongException",
                 431: "RequestHeaderFieldsTooLargeException", 501: "UnknownOperationException"}
        self.close_connection = True
        status, headers, content = self._error(code, kinds.get(code, "InvalidRequestException"),
                                               message or self.responses.get(code, ("error",))[0])
        headers["Connection"] = "close"
        if getattr(self, "command", None) is None:
            self.command = ""
        self._send(code, headers, content)

    def log_message(self, format, *args):
        if self.verbose:
            super().log_message(format, *args)


class Server(ThreadingHTTPServer):
    daemon_threads = True  # idle keep-alive connections do not hold up a shutdown; the gate does
    allow_reuse_address = True


def make_server(service: Service, host: str = "127.0.0.1", port: int = 0, verbose: bool = False) -> Server:
    handler = type("BoundHandler", (Handler,), {"service": service, "verbose": verbose})
    return Server((host, port), handler)


def serve(engine_config: Dict[str, Any], host: str, port: int, credentials: Dict[str, str],
          verbose: bool = False, out=sys.stdout, cluster: Optional[Dict[str, Any]] = None) -> int:
    """Runs the server until SIGTERM or SIGINT, then closes the engine after the calls in
    flight: `iotevents serve`. With `cluster` ({"servers": [...], "partitions": n}) it answers
    the data API of an `iotevents cluster` instead of an engine of its own."""
    engine: Any
    if cluster is not None:
        from .cluster.proxy import ClusterProxy
        engine = ClusterProxy(cluster["servers"], cluster.get("partitions", 16))
    else:
        from .engine import Engine
        engine = Engine(**engine_config)
    try:
        service = Service(engine, region=engine_config.get("region", "us-east-1"), credentials=credentials)
        server = make_server(service, host, port, verbose)
    except BaseException:
        engine.close()
        raise
    stop = threading.Event()
    previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGTERM, signal.SIGINT)}
    thread = threading.Thread(target=server.serve_forever, name="iotevents-serve", daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    print("iotevents serve: listening on http://%s:%d (iotevents 2018-07-27 and iotevents-data 2018-10-23, region %s)"
          % (bound_host, bound_port, service.region), file=out)
    if credentials:
        print("iotevents serve: every request must be signed (SigV4) with one of %d access key(s)" % len(credentials), file=out)
    else:
        print("iotevents serve: no --credentials given: request signatures are NOT checked; anyone who can "
              "reach this port can call every operation", file=out)
    out.flush()
    try:
        while not stop.wait(1.0):
            pass
    finally:
        server.shutdown()
        server.server_close()
        service.gate.close()
        engine.close()
        for number, handler in previous.items():
            signal.signal(number, handler)
        print("iotevents serve: stopped; the engine is closed", file=out)
        out.flush()
    return 0
