"""The check the AWS CLI (botocore's ParamValidator) makes on a request before sending it, so an
`iotevents <operation>` subcommand refuses what `aws` refuses, with the same report:

    Parameter validation failed:
    Invalid length for parameter inputDefinition.attributes, value: 0, valid min length: 1

botocore checks types, required members, unknown members and `min` (length of strings, lists
and maps, value of numbers), not `max`, patterns or enums: those are the service's (the engine's)
to refuse. Our service models have no unions, documents or host labels, so those checks are
left out. Without botocore installed the AWS-CLI subcommands must still work, hence this copy
of its rules rather than an import."""
import datetime
import decimal
from typing import Any, Dict, List, Tuple

_SCALAR = {
    "float": (float, decimal.Decimal, int), "double": (float, decimal.Decimal, int), "integer": (int,), "long": (int,),
    "boolean": (bool,), "string": (str,),
}
_CONTAINER = {"structure": (dict,), "map": (dict,), "list": (list, tuple)}


def _types(kinds: Tuple[type, ...]) -> str:
    return ", ".join(str(kind) for kind in kinds)


class _Report:
    def __init__(self) -> None:
        self.lines: List[str] = []

    def add(self, name: str, text: str) -> None:
        """One line of the report; {name} is the member's path ("input" for the request)."""
        self.lines.append(text.replace("{name}", name[1:] if name.startswith(".") else (name or "input")))


def _min(report: _Report, name: str, value: Any, shape: Dict[str, Any], what: str) -> None:
    if "min" in shape and value < shape["min"]:
        report.add(name, "Invalid %s for parameter {name}, value: %s, valid min %s: %s"
                   % (what, value, what if what == "length" else "value", shape["min"]))


def _timestamp(value: Any) -> bool:
    if isinstance(value, (int, float, datetime.datetime)) and not isinstance(value, bool):
        return True
    if isinstance(value, str):
        try:
            float(value)
            return True
        except ValueError:
            try:
                datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
                return True
            except ValueError:
                return False
    return False


def _check(value: Any, shape_name: str, shapes: Dict[str, Any], name: str, report: _Report) -> None:
    shape = shapes[shape_name]
    kind = shape["type"]
    valid = _SCALAR.get(kind) or _CONTAINER.get(kind)
    if valid is not None and not isinstance(value, valid):  # as botocore: True passes for an integer
        report.add(name, "Invalid type for parameter {name}, value: %s, type: %s, valid types: %s"
                   % (value, type(value), _types(valid)))
        return
    if kind == "structure":
        for member in shape.get("required", []):
            if member not in value:
                report.add(name, 'Missing required parameter in {name}: "%s"' % member)
        members = shape.get("members", {})
        for key in value:
            if key not in members:
                report.add(name, 'Unknown parameter in {name}: "%s", must be one of: %s' % (key, ", ".join(members)))
        for key in value:
            if key in members:
                _check(value[key], members[key]["shape"], shapes, "%s.%s" % (name, key), report)
    elif kind == "list":
        _min(report, name, len(value), shape, "length")
        for i, item in enumerate(value):
            _check(item, shape["member"]["shape"], shapes, "%s[%d]" % (name, i), report)
    elif kind == "map":
        for key, item in value.items():
            _check(key, shape["key"]["shape"], shapes, "%s (key: %s)" % (name, key), report)
            _check(item, shape["value"]["shape"], shapes, "%s.%s" % (name, key), report)
    elif kind == "string":
        _min(report, name, len(value), shape, "length")
    elif kind in ("integer", "long", "double", "float"):
        _min(report, name, value, shape, "value")
    elif kind == "blob" and not isinstance(value, (bytes, bytearray, str)):
        report.add(name, "Invalid type for parameter {name}, value: %s, type: %s, valid types: %s, %s, file-like object"
                   % (value, type(value), bytes, bytearray))
    elif kind == "timestamp" and not _timestamp(value):
        report.add(name, "Invalid type for parameter {name}, value: %s, type: %s, valid types: %s, timestamp-string"
                   % (value, type(value), datetime.datetime))


def validate(request: Dict[str, Any], input_shape: str, shapes: Dict[str, Any]) -> str:
    """The AWS CLI's report on `request` ("" when it would send it)."""
    report = _Report()
    _check(request, input_shape, shapes, "", report)
    return "Parameter validation failed:\n" + "\n".join(report.lines) if report.lines else ""
