"""boto3-shaped clients over an Engine: `engine.client("iotevents-data")` and
`engine.client("iotevents")` have a snake_case method per operation, keyword arguments named as
the API members, and return what boto3 returns (timezone-aware datetimes, ResponseMetadata)."""
import base64
import datetime
import uuid

from . import errors
from ._operations import OPERATIONS

_UTC = datetime.timezone.utc


def _walk(value, path, convert):
    """Applies convert to every value at path ("*" = each element) inside value, in place;
    returns the possibly replaced value."""
    if not path:
        return convert(value)
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(value, list):
            for i, element in enumerate(value):
                value[i] = _walk(element, rest, convert)
        elif isinstance(value, dict):
            for key in value:
                value[key] = _walk(value[key], rest, convert)
    elif isinstance(value, dict) and head in value:
        value[head] = _walk(value[head], rest, convert)
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


class Paginator:
    """`client.get_paginator(name).paginate(**kwargs)`: pages of a list call, following nextToken.
    PaginationConfig takes PageSize (maxResults) and StartingToken, as botocore's does."""

    def __init__(self, method):
        self._method = method

    def paginate(self, PaginationConfig=None, **kwargs):
        config = PaginationConfig or {}
        if "PageSize" in config:
            kwargs["maxResults"] = config["PageSize"]
        if config.get("StartingToken"):
            kwargs["nextToken"] = config["StartingToken"]
        while True:
            page = self._method(**kwargs)
            yield page
            token = page.get("nextToken")
            if not token:
                return
            kwargs["nextToken"] = token


class Client:
    def __init__(self, engine, service):
        if service not in OPERATIONS:
            raise ValueError("Unknown service: %r. Valid service names are: %s"
                             % (service, ", ".join(sorted(OPERATIONS))))
        self._engine = engine
        self._service = service
        self._operations = OPERATIONS[service]
        self.exceptions = errors.Exceptions()
        self.waiter_names = []

    def __getattr__(self, name):
        operations = self.__dict__.get("_operations", {})
        if name not in operations:
            raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))
        spec = operations[name]

        def method(*args, **kwargs):
            if args:
                raise TypeError("%s() only accepts keyword arguments." % name)
            return self._call(spec, kwargs)

        method.__name__ = name
        return method

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._operations))

    def _call(self, spec, kwargs):
        request = dict(kwargs)
        for path in spec.get("input_blobs", []):
            request = _walk(request, path, _blob)
        for path in spec.get("input_timestamps", []):
            request = _walk(request, path, _timestamp_in)
        response = self._engine.call(spec["name"], request)
        for path in spec.get("output_timestamps", []):
            response = _walk(response, path, _timestamp_out)
        response["ResponseMetadata"] = {
            "RequestId": str(uuid.uuid4()), "HTTPStatusCode": spec["status"],
            "HTTPHeaders": {}, "RetryAttempts": 0,
        }
        return response

    # -- paginators and waiters, as boto3 has them --------------------------------------------

    def can_paginate(self, operation_name):
        return self._operations.get(operation_name, {}).get("pageable", False)

    def get_paginator(self, operation_name):
        if not self.can_paginate(operation_name):
            raise errors.OperationNotPageableError(operation_name=operation_name)
        return Paginator(getattr(self, operation_name))

    def get_waiter(self, waiter_name):
        raise ValueError("Waiter does not exist: %s" % waiter_name)
