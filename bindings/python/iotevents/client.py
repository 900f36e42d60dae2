"""boto3-shaped clients over an Engine: `engine.client("iotevents-data")` and
`engine.client("iotevents")` have a snake_case method per operation, keyword arguments named as
the API members, and return what boto3 returns (timezone-aware datetimes, ResponseMetadata)."""
import base64
import datetime
import json
import uuid
from typing import Any, Callable, Dict, Iterator, Optional

from . import errors
from ._operations import OPERATIONS

_UTC = datetime.timezone.utc


def _walk(value, path, convert):
    """value with convert applied to every value at path ("*" = each element or map value).
    Containers on the path are copied, never changed: the caller's arguments stay as they were."""
    if not path:
        return convert(value)
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(value, list):
            return [_walk(element, rest, convert) for element in value]
        if isinstance(value, dict):
            return {key: _walk(element, rest, convert) for key, element in value.items()}
    elif isinstance(value, dict) and head in value:
        copy = dict(value)
        copy[head] = _walk(value[head], rest, convert)
        return copy
    return value


def _blob(value):
    # boto3 takes bytes, or str (encoded as UTF-8); the library also takes an already-decoded
    # JSON object, passed through as it is.
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, str):
        return base64.b64encode(value.encode("utf-8")).decode("ascii")
    return value


def _timestamp_in(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_UTC)
        return value.timestamp()
    return value


def _timestamp_out(value):
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, _UTC)
    return value


def _metadata(body, is_error=None):
    """ResponseMetadata as botocore fills it from the service's reply (headers lower-cased)."""
    request_id = str(uuid.uuid4())
    headers = {"content-type": "application/json", "x-amzn-requestid": request_id,
               "content-length": str(len(body.encode("utf-8")))}
    if is_error:
        headers["x-amzn-errortype"] = is_error.get("__type", "InternalFailureException")
    return {"RequestId": request_id, "HTTPHeaders": headers, "RetryAttempts": 0}


class Paginator:
    """`client.get_paginator(name)`, as botocore's: `paginate(**kwargs)` gives a PageIterator."""

    def __init__(self, method, result_key):
        self._method = method
        self._result_key = result_key

    def paginate(self, PaginationConfig: Optional[Dict[str, Any]] = None, **kwargs: Any) -> "PageIterator":
        return PageIterator(self._method, self._result_key, kwargs, PaginationConfig or {})


class PageIterator:
    """The pages of a list call, following nextToken. PaginationConfig takes MaxItems (items in
    all, across pages), PageSize (maxResults) and StartingToken (a resume_token or a service
    nextToken). Resume tokens are encoded as botocore encodes them, so either side can resume."""

    def __init__(self, method, result_key, kwargs, config):
        self._method = method
        self._result_key = result_key
        self._kwargs = dict(kwargs)
        self._max_items = config.get("MaxItems")
        if "PageSize" in config:
            self._kwargs["maxResults"] = config["PageSize"]
        self._token, self._skip = _parse_token(config.get("StartingToken"))
        self.resume_token = None

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        kwargs, token, skip, seen = dict(self._kwargs), self._token, self._skip, 0
        while True:
            if token:
                kwargs["nextToken"] = token
            page = self._method(**kwargs)
            items = page.get(self._result_key, [])
            if skip:
                items = page[self._result_key] = items[skip:]
            following = page.get("nextToken")
            if self._max_items is not None and seen + len(items) >= self._max_items:
                keep = self._max_items - seen
                if keep < len(items):  # resume inside this page
                    page[self._result_key] = items[:keep]
                    page.pop("nextToken", None)
                    self.resume_token = _encode_token(token, skip + keep)
                elif following:
                    self.resume_token = _encode_token(following, 0)
                yield page
                return
            seen += len(items)
            yield page
            if not following:
                return
            token, skip = following, 0

    def build_full_result(self) -> Dict[str, Any]:
        """Every item of every page in one response, and NextToken when MaxItems stopped early."""
        items = []
        for page in self:
            items.extend(page.get(self._result_key, []))
        result = {self._result_key: items}
        if self.resume_token:
            result["NextToken"] = self.resume_token
        return result

    def search(self, expression: str) -> Iterator[Any]:
        """Yields the JMESPath expression's results over every page (needs the jmespath package,
        which botocore depends on)."""
        import jmespath
        compiled = jmespath.compile(expression)
        for page in self:
            found = compiled.search(page)
            if isinstance(found, list):
                yield from found
            else:
                yield found


def _encode_token(token, skip):
    document = {"nextToken": token}
    if skip:
        document["boto_truncate_amount"] = skip
    return base64.b64encode(json.dumps(document).encode("utf-8")).decode("ascii")


def _parse_token(text):
    """(nextToken, items to skip) from a resume token; a service nextToken passes through."""
    if not text:
        return None, 0
    try:
        document = json.loads(base64.b64decode(text, validate=True).decode("utf-8"))
    except Exception:
        return text, 0
    if not isinstance(document, dict):
        return text, 0
    return document.get("nextToken"), int(document.get("boto_truncate_amount", 0))


def _docstring(service, spec):
    arguments = ", ".join(a + (" (required)" if a in spec.get("required", []) else "")
                          for a in spec.get("arguments", [])) or "none"
    return ("%s on the engine, as boto3's %s client has it.\n\nKeyword arguments: %s.\n"
            "Returns the response dict with ResponseMetadata; raises client.exceptions.<Code>."
            % (spec["name"], service, arguments))


class ClientMeta:
    """`client.meta`: the parts of boto3's ClientMeta that mean something without a network."""

    def __init__(self, service, region, operations):
        self.service_name = service
        self.region_name = region
        self.method_to_api_mapping = {name: spec["name"] for name, spec in operations.items()}


class Client:
    def __init__(self, engine: Any, service: str) -> None:
        if service not in OPERATIONS:
            raise ValueError("Unknown service: %r. Valid service names are: %s"
                             % (service, ", ".join(sorted(OPERATIONS))))
        self._engine = engine
        self._service = service
        self._operations = OPERATIONS[service]
        self.exceptions = errors.Exceptions()
        self.waiter_names = []
        self.meta = ClientMeta(service, engine.region, self._operations)

    def __getattr__(self, name: str) -> Callable[..., Dict[str, Any]]:
        operations = self.__dict__.get("_operations", {})
        if name not in operations:
            raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))
        spec = operations[name]

        def method(*args, **kwargs):
            if args:
                raise TypeError("%s() only accepts keyword arguments." % name)
            return self._call(spec, kwargs)

        method.__name__ = name
        method.__doc__ = _docstring(self._service, spec)
        return method

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._operations))

    def _call(self, spec, kwargs):
        request = kwargs
        for path in spec.get("input_blobs", []):
            request = _walk(request, path, _blob)
        for path in spec.get("input_timestamps", []):
            request = _walk(request, path, _timestamp_in)
        status, text = self._engine.call_raw(spec["name"], json.dumps(request))
        document = json.loads(text) if text else {}
        if status != 0:
            raise errors.from_document(document, spec["name"], _metadata(text, is_error=document))
        if spec["status"] == 204:  # the service sends no body with 204
            document, text = {}, ""
        for path in spec.get("output_timestamps", []):
            document = _walk(document, path, _timestamp_out)
        document["ResponseMetadata"] = dict(_metadata(text), HTTPStatusCode=spec["status"])
        return document

    # -- paginators and waiters, as boto3 has them --------------------------------------------

    def can_paginate(self, operation_name: str) -> bool:
        return self._operations.get(operation_name, {}).get("pageable", False)

    def get_paginator(self, operation_name: str) -> Paginator:
        if not self.can_paginate(operation_name):
            raise errors.OperationNotPageableError(operation_name=operation_name)
        return Paginator(getattr(self, operation_name), self._operations[operation_name]["result_key"])

    def close(self) -> None:
        """As boto3's close(): the client holds no connections, so nothing to release; the
        engine stays open (close it with engine.close())."""

    def get_waiter(self, waiter_name: str) -> Any:
        raise ValueError("Waiter does not exist: %s" % waiter_name)
