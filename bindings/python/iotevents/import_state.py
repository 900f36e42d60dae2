"""What an engine holds of the resources `iotevents import` creates, in a form to compare with
what an import would create: each resource as the Create request its Describe answer gives back
(import_shapes.document_requests: read-only members dropped, defaults as the engine filled them
in) and its tags. Both sides are read from an engine, so a default the engine supplies (an
evaluation method, say) never reads as a difference."""
from typing import Any, Dict, Iterator, List, Optional, Tuple

from . import import_shapes
from .errors import ClientError

#: Per Create operation: the Describe operation, the member naming the resource, and the List
#: operation with its summaries' member.
DESCRIBE: Dict[str, Tuple[str, str]] = {"CreateInput": ("DescribeInput", "inputName"),
                                       "CreateDetectorModel": ("DescribeDetectorModel", "detectorModelName"),
                                       "CreateAlarmModel": ("DescribeAlarmModel", "alarmModelName")}
LIST: Dict[str, Tuple[str, str]] = {"CreateInput": ("ListInputs", "inputSummaries"),
                                   "CreateDetectorModel": ("ListDetectorModels", "detectorModelSummaries"),
                                   "CreateAlarmModel": ("ListAlarmModels", "alarmModelSummaries")}


class Held:
    """A resource as an engine holds it: its Create request (no tags), tags and ARN."""

    def __init__(self, request: Dict[str, Any], tags: Dict[str, str], arn: str) -> None:
        self.request = request
        self.tags = tags
        self.arn = arn

    def create_request(self) -> Dict[str, Any]:
        """The Create request that makes this resource again, tags included."""
        request = dict(self.request)
        if self.tags:
            request["tags"] = [{"key": key, "value": value} for key, value in sorted(self.tags.items())]
        return request


def _arn(operation: str, described: Dict[str, Any]) -> str:
    if operation == "CreateInput":
        return str(described["input"]["inputConfiguration"]["inputArn"])
    if operation == "CreateDetectorModel":
        return str(described["detectorModel"]["detectorModelConfiguration"]["detectorModelArn"])
    return str(described["alarmModelArn"])


def held(engine: Any, operation: str, name: str, tags: bool = True) -> Optional[Held]:
    """The resource `name` of the kind `operation` creates, as `engine` holds it; None when it
    has none. tags=False leaves the tags out (ListTagsForResource finds only resources made
    under the engine's own region and account)."""
    describe, member = DESCRIBE[operation]
    try:
        described = engine.call(describe, {member: name})
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return None
        raise
    (_, request), = import_shapes.document_requests(described)
    request.pop("tags", None)
    arn = _arn(operation, described)
    listed = engine.call("ListTagsForResource", {"resourceArn": arn}).get("tags", []) if tags else []
    return Held(request, {tag["key"]: tag["value"] for tag in listed}, arn)


def _names(engine: Any, operation: str) -> Iterator[str]:
    list_operation, summaries = LIST[operation]
    member = DESCRIBE[operation][1]
    request: Dict[str, Any] = {}
    while True:
        page = engine.call(list_operation, request)
        for summary in page.get(summaries, []):
            yield str(summary[member])
        if not page.get("nextToken"):
            return
        request = {"nextToken": page["nextToken"]}


def everything(engine: Any, tags: bool) -> List[Tuple[str, Held]]:
    """(Create operation, resource) of every resource the engine holds: inputs, then detector
    models, then alarm models, the order in which another engine accepts them."""
    resources = []
    for operation in DESCRIBE:
        for name in _names(engine, operation):
            try:
                resource = held(engine, operation, name, tags)
            except ClientError:
                # Made under another region or account, so its tags cannot be listed: it is copied
                # without them (the import does not touch it: load() has read every resource it does).
                resource = held(engine, operation, name, tags=False)
            if resource is not None:
                resources.append((operation, resource))
    return resources
