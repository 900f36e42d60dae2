"""The Create requests of `iotevents import`, read from the iotevents service model (botocore's
service-2.json, as the package carries it), so that no member name is listed by hand:

* CloudFormation properties (PascalCase: `DetectorModelDefinition`, `OnInput`, `IotSiteWise`,
  `DynamoDBv2`, ...) become the API's members by comparing each name, lower-cased, with the member
  names of the shape the value goes to; values are coerced to the shape's type as CloudFormation
  does (`"60"` for an integer, `true` for a string).
* A saved `aws iotevents describe-input` / `describe-detector-model` / `describe-alarm-model`
  output becomes the Create request: the configuration's members that the Create request has,
  and the definition; read-only members (arn, status, creationTime, version, ...) are dropped.
* A plain Create request is recognised by its required members and passed through."""
from typing import Any, Dict, List, Optional, Tuple

from . import _botocore_data

Shape = Dict[str, Any]

#: The operation of each IoT Events resource type of CloudFormation, and the member naming it.
RESOURCE_TYPES: Dict[str, Tuple[str, str]] = {
    "AWS::IoTEvents::Input": ("CreateInput", "inputName"),
    "AWS::IoTEvents::DetectorModel": ("CreateDetectorModel", "detectorModelName"),
    "AWS::IoTEvents::AlarmModel": ("CreateAlarmModel", "alarmModelName"),
}

#: What each operation creates, as the output lines say it.
KINDS: Dict[str, str] = {"CreateInput": "input", "CreateDetectorModel": "detector model",
                         "CreateAlarmModel": "alarm model"}

class ConversionError(ValueError):
    """A value that does not fit the service model; the message names where (a member path)."""


def service_model() -> Dict[str, Any]:
    """iotevents' service-2.json (read once per process)."""
    return _botocore_data.service_model("iotevents")


def _shape(name: str) -> Shape:
    shape: Shape = service_model()["shapes"][name]
    return shape


def request_shape(operation: str) -> str:
    """The name of an operation's input shape."""
    name: str = service_model()["operations"][operation]["input"]["shape"]
    return name


def _coerce_scalar(value: Any, shape: Shape, path: str) -> Any:
    kind = shape["type"]
    if isinstance(value, (dict, list)):
        raise ConversionError("%s: expected a %s, got %s" % (path, kind, "an object" if isinstance(value, dict) else "a list"))
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ConversionError("%s: expected a boolean, got %r" % (path, value))
    if kind in ("integer", "long"):
        if isinstance(value, bool):
            raise ConversionError("%s: expected an integer, got %r" % (path, value))
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise ConversionError("%s: expected an integer, got %r" % (path, value)) from None
    if kind in ("double", "float"):
        if isinstance(value, bool):
            raise ConversionError("%s: expected a number, got %r" % (path, value))
        if isinstance(value, (int, float)):
            return value
        try:
            return float(str(value).strip())
        except ValueError:
            raise ConversionError("%s: expected a number, got %r" % (path, value)) from None
    return value  # timestamps, blobs: as given


def from_cloudformation(value: Any, shape_name: str, path: str) -> Any:
    """A CloudFormation property value converted to the shape `shape_name`: structure members
    matched by lower-cased name (an unknown one is a ConversionError naming its path), list
    elements converted in turn, scalars coerced. CloudFormation's Tags ({Key, Value}) match
    the API's Tag ({key, value}) the same way."""
    shape = _shape(shape_name)
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            raise ConversionError("%s: expected an object, got %r" % (path, value))
        members = shape.get("members", {})
        by_lower = {name.lower(): name for name in members}
        result: Dict[str, Any] = {}
        for key, element in value.items():
            member = by_lower.get(str(key).lower())
            if member is None:
                raise ConversionError("%s: unknown property %r (expected one of %s)"
                                      % (path, key, ", ".join(_pascal(m) for m in members)))
            result[member] = from_cloudformation(element, members[member]["shape"], "%s.%s" % (path, key))
        return result
    if kind == "list":
        if not isinstance(value, list):
            raise ConversionError("%s: expected a list, got %r" % (path, value))
        member_shape = shape["member"]["shape"]
        return [from_cloudformation(element, member_shape, "%s[%d]" % (path, i)) for i, element in enumerate(value)]
    if kind == "map":
        if not isinstance(value, dict):
            raise ConversionError("%s: expected an object, got %r" % (path, value))
        value_shape = shape["value"]["shape"]
        return {str(k): from_cloudformation(v, value_shape, "%s.%s" % (path, k)) for k, v in value.items()}
    return _coerce_scalar(value, shape, path)


def _pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def resource_request(resource_type: str, properties: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    """(operation, request) for the properties of a CloudFormation IoT Events resource."""
    operation, _ = RESOURCE_TYPES[resource_type]
    request = from_cloudformation(properties, request_shape(operation), "Properties")
    return operation, request


# -- saved describe outputs and plain Create requests ----------------------------------------------

def _create_members(operation: str) -> List[str]:
    return list(_shape(request_shape(operation)).get("members", {}))


def _keep(document: Dict[str, Any], operation: str) -> Dict[str, Any]:
    members = _create_members(operation)
    return {key: value for key, value in document.items() if key in members}


def _required(operation: str) -> List[str]:
    required: List[str] = _shape(request_shape(operation)).get("required", [])
    return required


def document_requests(document: Any) -> List[Tuple[str, Dict[str, Any]]]:
    """(operation, request) for a saved describe output or a plain Create request (an
    `iotevents import --emit` line also); ValueError when the document is neither."""
    if not isinstance(document, dict):
        raise ValueError("not a CloudFormation template, a describe output or a Create request")
    if set(document) == {"operation", "request"} and document["operation"] in KINDS:
        if not isinstance(document["request"], dict):
            raise ValueError("the request of %s is not an object" % document["operation"])
        return [(document["operation"], document["request"])]
    if set(document) == {"input"} and isinstance(document["input"], dict):
        described = document["input"]
        configuration = described.get("inputConfiguration")
        if not isinstance(configuration, dict) or "inputDefinition" not in described:
            raise ValueError("a describe-input output needs input.inputConfiguration and input.inputDefinition")
        request = _keep(configuration, "CreateInput")
        request["inputDefinition"] = described["inputDefinition"]
        return [("CreateInput", request)]
    if set(document) == {"detectorModel"} and isinstance(document["detectorModel"], dict):
        described = document["detectorModel"]
        configuration = described.get("detectorModelConfiguration")
        if not isinstance(configuration, dict) or "detectorModelDefinition" not in described:
            raise ValueError("a describe-detector-model output needs detectorModel.detectorModelConfiguration "
                             "and detectorModel.detectorModelDefinition")
        request = _keep(configuration, "CreateDetectorModel")
        request["detectorModelDefinition"] = described["detectorModelDefinition"]
        return [("CreateDetectorModel", request)]
    # describe-alarm-model answers flat: the Create members and read-only ones beside them.
    read_only = set(_shape("DescribeAlarmModelResponse")["members"]) - set(_create_members("CreateAlarmModel"))
    if "alarmModelName" in document and read_only & set(document):
        return [("CreateAlarmModel", _keep(document, "CreateAlarmModel"))]
    for operation in KINDS:
        if all(member in document for member in _required(operation)):
            return [(operation, document)]
    raise ValueError("not a CloudFormation template, a describe-input/-detector-model/-alarm-model output or "
                     "a CreateInput/CreateDetectorModel/CreateAlarmModel request (members: %s)"
                     % ", ".join(sorted(map(str, document))))
