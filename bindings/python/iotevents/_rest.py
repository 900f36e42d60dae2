"""AWS's REST-JSON protocol for one service, read from its botocore service model: the one decoder
of HTTP requests into operation request documents and the one encoder of engine answers into HTTP
responses. `iotevents.boto3.attach` (and `mock`) use it on the requests botocore prepares,
`iotevents serve` on the requests that arrive over the network; `route` finds the operation of a
method and path for the server. Needs botocore's ServiceModel (imported by the callers)."""
import json
import re
import uuid
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, unquote


class RestJson:
    def __init__(self, service_model: Any) -> None:
        self.model = service_model
        self._suffix_patterns = {}  # operation name -> path pattern, any prefix allowed (attach)
        routes = []  # (method, exact path pattern, operation model, literal characters)
        for name in service_model.operation_names:
            operation = service_model.operation_model(name)
            regex = _template_regex(operation.http["requestUri"])
            literal = len(re.sub(r"\{[^}]*\}", "", operation.http["requestUri"]))
            routes.append((operation.http["method"], re.compile("^" + regex + "$"), operation, literal))
        # The most literal template first: /alarms/acknowledge before /alarms/{alarmModelName}.
        routes.sort(key=lambda route: -route[3])
        self._routes = routes

    # -- routing (the server) ---------------------------------------------------------------

    def route(self, method: str, path: str) -> Tuple[Optional[Any], List[str]]:
        """(operation model, methods) for a request: the operation whose requestUri matches
        the path (percent-encoded, as sent) and whose method is `method`, or None; and the
        methods some operation has for that path (for a 405's Allow)."""
        methods = []
        for route_method, pattern, operation, _ in self._routes:
            if pattern.match(path):
                if route_method == method:
                    return operation, [method]
                methods.append(route_method)
        return None, methods

    # -- request decoding ------------------------------------------------------------------

    def decode(self, operation: Any, path: str, query: str, headers: Any, body: Any) -> Dict[str, Any]:
        """The operation's request document from the parts of an HTTP request: `path` as sent
        (percent-encoded; an endpoint path before the template is ignored, as botocore appends
        the template to it), `query` the raw query string, `headers` a case-insensitive mapping,
        `body` bytes or str. Raises ValueError for a body that is not a JSON object."""
        shape = operation.input_shape
        document = {}
        if shape is None:
            return document
        if body:
            decoded = json.loads(body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body)
            if not isinstance(decoded, dict):
                raise ValueError("the request body is not a JSON object")
            document.update(decoded)
        labels = self._suffix_pattern(operation).match(path)
        parameters = parse_qs(query, keep_blank_values=True)
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire = member.serialization.get("name", name)
            if location == "uri" and labels and labels.group(wire) is not None:
                document[name] = unquote(labels.group(wire))
            elif location == "querystring" and wire in parameters:
                values = parameters[wire]
                document[name] = (values if member.type_name == "list"
                                  else _scalar(member.type_name, values[-1]))
            elif location == "header" and headers.get(wire) is not None:
                document[name] = _scalar(member.type_name, headers.get(wire))
        return document

    def _suffix_pattern(self, operation):
        pattern = self._suffix_patterns.get(operation.name)
        if pattern is None:
            regex = _template_regex(operation.http["requestUri"])
            pattern = self._suffix_patterns[operation.name] = re.compile("(?:.*?)" + regex + "$")
        return pattern

    # -- response encoding -----------------------------------------------------------------

    def encode(self, operation: Any, status: int, text: Optional[str]) -> Tuple[int, Dict[str, str], bytes]:
        """(HTTP status, headers, body) for the engine's answer (iotevents_call's status and
        response or error document): the operation's responseCode and no body for 204; for an
        error, the status its shape declares and x-amzn-ErrorType."""
        if status == 0:
            code = operation.http.get("responseCode", 200)
            return _response(code, b"" if code == 204 else (text or "{}").encode("utf-8"))
        try:
            error = json.loads(text) if text else {}
        except ValueError:
            error = {}
        kind = error.get("__type", "InternalFailureException") if isinstance(error, dict) else "InternalFailureException"
        return _response(self.error_status(kind), (text or "{}").encode("utf-8"), kind)

    def error(self, kind: str, message: str, status: Optional[int] = None) -> Tuple[int, Dict[str, str], bytes]:
        """An AWS-shaped error response of the service's protocol: {"__type", "message"} with
        x-amzn-ErrorType; the status the model declares for the code unless given."""
        body = json.dumps({"__type": kind, "message": message}).encode("utf-8")
        return _response(self.error_status(kind) if status is None else status, body, kind)

    def error_status(self, kind: str) -> int:
        try:
            return self.model.shape_for(kind).metadata["error"]["httpStatusCode"]
        except Exception:  # a code this service's model does not declare
            return 500 if kind == "InternalFailureException" else 400


def _response(code, body, kind=None):
    headers = {"Content-Type": "application/json", "x-amzn-RequestId": str(uuid.uuid4())}
    if kind is not None:
        headers["x-amzn-ErrorType"] = kind
    headers["Content-Length"] = str(len(body))
    return code, headers, body


def _template_regex(request_uri):
    """The path part of a requestUri as a regular expression: {label} matches one segment,
    {label+} the rest of the path."""
    template = request_uri.split("?", 1)[0]
    regex, position = "", 0
    for label in re.finditer(r"\{([^}+]+)(\+?)\}", template):
        regex += re.escape(template[position:label.start()])
        regex += "(?P<%s>%s)" % (label.group(1), ".+" if label.group(2) else "[^/]*")
        position = label.end()
    return regex + re.escape(template[position:])


def _scalar(type_name, text):
    if type_name in ("integer", "long"):
        return int(text)
    if type_name in ("float", "double"):
        return float(text)
    if type_name == "boolean":
        return text == "true"
    return text
