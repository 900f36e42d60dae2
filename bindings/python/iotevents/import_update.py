"""`iotevents import --update`: what to do with each resource of an import given what the state
directory already holds: create it (it is not there), leave it (it is there as the import would
make it: "unchanged"), or update it in place as AWS would (UpdateInput, UpdateDetectorModel,
UpdateAlarmModel: a model gets a new version; TagResource/UntagResource for the tags). Without
--update, a resource that is there already is a problem naming it. A model's key cannot be
updated (AWS replaces such a model, dropping its detectors): a changed key is a problem too."""
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from . import import_shapes
from .import_state import Held

if TYPE_CHECKING:
    from .importer import Item

UPDATE = {"CreateInput": "UpdateInput", "CreateDetectorModel": "UpdateDetectorModel",
          "CreateAlarmModel": "UpdateAlarmModel"}

Call = Tuple[str, Dict[str, Any]]


class Step:
    """One resource of the import: what happens to it ("created", "updated", "unchanged") and
    the calls that do it."""

    def __init__(self, item: "Item", outcome: str, calls: List[Call]) -> None:
        self.item = item
        self.outcome = outcome
        self.calls = calls


def _update_request(item: "Item") -> Dict[str, Any]:
    # The Update request's members, read from the service model, taken from the Create request:
    # a member the import leaves out (a description) is left out, and so removed, as AWS does.
    members = import_shapes.service_model()["shapes"][import_shapes.request_shape(UPDATE[item.operation])]["members"]
    return {member: value for member, value in item.request.items() if member in members}


def _tag_calls(arn: str, old: Dict[str, str], new: Dict[str, str]) -> List[Call]:
    calls: List[Call] = []
    changed = {key: value for key, value in new.items() if old.get(key) != value}
    if changed:
        calls.append(("TagResource", {"resourceArn": arn, "tags": [{"key": k, "value": v} for k, v in sorted(changed.items())]}))
    removed = sorted(set(old) - set(new))
    if removed:
        calls.append(("UntagResource", {"resourceArn": arn, "tagKeys": removed}))
    return calls


def step(item: "Item", existing: Optional[Held], imported: Held, update: bool) -> Tuple[Optional[Step], Optional[str]]:
    """(step, None) or (None, problem) for an item; `existing` is what the state directory
    holds under its name, `imported` the item as an engine holds it once created."""
    if existing is None:
        return Step(item, "created", [(item.operation, item.request)]), None
    if not update:
        return None, "%s (%s): already exists in the state directory (--update updates what differs)" % (item.where, item.label)
    if existing.request == imported.request and existing.tags == imported.tags:
        return Step(item, "unchanged", []), None
    if existing.request.get("key") != imported.request.get("key"):
        return None, ("%s (%s): its key is %r in the state directory and %r here: a model's key cannot be updated "
                      "(AWS replaces the model and its detectors); delete it first"
                      % (item.where, item.label, existing.request.get("key"), imported.request.get("key")))
    calls: List[Call] = []
    if existing.request != imported.request:
        calls.append((UPDATE[item.operation], _update_request(item)))
    calls.extend(_tag_calls(existing.arn, existing.tags, imported.tags))
    return Step(item, "updated", calls), None
