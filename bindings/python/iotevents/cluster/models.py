"""The model bucket: the inputs, detector models and alarm models every partition's engine runs.

Entries are the Create* requests themselves, keyed by kind and name:
    input.<inputName>            a CreateInput request
    detector-model.<name>        a CreateDetectorModel request
    alarm-model.<name>           a CreateAlarmModel request
A partition applies what changed since the revisions its engine holds (kept in its snapshot):
a new entry is created, a changed one updated (Update*: the same members without key and
tags), a removed one deleted. Inputs before the models that read them, deletions in reverse."""
import json
import sys
from typing import Any, Dict, List, Optional, Tuple

from . import names
from ..engine import Engine
from ..errors import ClientError

#: kind prefix -> (Create, Update, Delete operation, name member), in creation order.
KINDS = [
    ("input.", ("CreateInput", "UpdateInput", "DeleteInput", "inputName")),
    ("detector-model.", ("CreateDetectorModel", "UpdateDetectorModel", "DeleteDetectorModel", "detectorModelName")),
    ("alarm-model.", ("CreateAlarmModel", "UpdateAlarmModel", "DeleteAlarmModel", "alarmModelName")),
]
#: Members of a Create request that its Update does not take.
CREATE_ONLY = ("key", "tags")

Entries = Dict[str, Tuple[int, bytes]]


def entry_key(request: Dict[str, Any]) -> str:
    """The bucket key of a Create* request (by the name member it has)."""
    for prefix, (_, _, _, member) in KINDS:
        name = request.get(member)
        if isinstance(name, str) and (member != "inputName" or "inputDefinition" in request):
            return prefix + name
    raise ValueError("not a CreateInput, CreateDetectorModel or CreateAlarmModel request: it has no "
                     "inputName with inputDefinition, detectorModelName or alarmModelName")


def _kind(key: str) -> Tuple[str, Tuple[str, str, str, str]]:
    for prefix, operations in KINDS:
        if key.startswith(prefix):
            return prefix, operations
    raise ValueError("model bucket key %r: not input.*, detector-model.* or alarm-model.*" % key)


def _order(key: str) -> int:
    return [prefix for prefix, _ in KINDS].index(_kind(key)[0])


def reconcile(engine: Engine, entries: Entries, applied: Dict[str, int], label: str) -> Dict[str, int]:
    """Brings the engine to the bucket's entries; returns the revisions it now holds. A request
    the engine refuses is reported on stderr and not retried until its entry changes."""
    now = dict(applied)
    for key in sorted((k for k in entries if applied.get(k) != entries[k][0]), key=_order):
        revision, value = entries[key]
        _, (create, update, _, member) = _kind(key)
        request = json.loads(value)
        try:
            if key in applied:
                engine.call(update, {k: v for k, v in request.items() if k not in CREATE_ONLY})
            else:
                engine.call(create, request)
        except ClientError as error:
            print("iotevents cluster: %s: model bucket entry %s (revision %d): %s" % (label, key, revision, error),
                  file=sys.stderr)
        now[key] = revision
    for key in sorted((k for k in applied if k not in entries), key=_order, reverse=True):
        _, (_, _, delete, member) = _kind(key)
        try:
            engine.call(delete, {member: key.split(".", 1)[1]})
        except ClientError as error:
            print("iotevents cluster: %s: deleting %s: %s" % (label, key, error), file=sys.stderr)
        del now[key]
    return now


async def read_all(bucket: Any, previous: Optional[Entries] = None) -> Entries:
    """Every entry of the model bucket: key -> (revision, value).

    A key of `previous` the listing lacks is read on its own before it counts as deleted: a
    listing can come back short (a slow server answers a watcher late), and a model taken for
    deleted would be deleted from every engine, with its detectors."""
    from nats.js.errors import NotFoundError
    keys = await _listed_keys(bucket)
    keys += [key for key in (previous or {}) if key not in keys]
    entries: Entries = {}
    for key in keys:
        try:
            entry = await bucket.get(key)
        except NotFoundError:  # deleted (KeyDeletedError, KeyNotFoundError: both are NotFoundError)
            continue
        if entry.value:
            entries[key] = (entry.revision, entry.value)
    return entries


async def _listed_keys(bucket: Any) -> List[str]:
    """The bucket's keys from its stream's per-subject counts (one request the server answers
    whole), not from a key watcher, which can stop early and list too few."""
    stream = "KV_" + names.MODEL_BUCKET
    prefix = "$KV.%s." % names.MODEL_BUCKET
    info = await bucket._js.stream_info(stream, subjects_filter=prefix + ">")
    subjects = info.state.subjects or {}
    return sorted(subject[len(prefix):] for subject in subjects)


async def put(bucket: Any, request: Dict[str, Any]) -> str:
    """Stores a Create* request in the bucket; returns its key."""
    key = entry_key(request)
    await bucket.put(key, json.dumps(request, sort_keys=True).encode("utf-8"))
    return key
