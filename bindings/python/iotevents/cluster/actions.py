"""Action documents out to iotevents.out.<type>, each with a Nats-Msg-Id that a replay of the
same messages reproduces, so the action stream's de-duplication drops the repeats a takeover's
replay publishes (docs/cluster.md, "Actions out")."""
import hashlib
import json
from typing import Any, Dict, Optional, Tuple

from . import names


def execution_id(action: Dict[str, Any]) -> Optional[str]:
    """The engine's actionExecutionId, which a default payload carries (deterministic: derived
    from model, key, event, time and the engine's execution counter, which snapshots keep)."""
    payload = action.get("payload")
    if not isinstance(payload, str) or '"actionExecutionId"' not in payload:
        return None
    try:
        document = json.loads(payload)
    except ValueError:
        return None
    inner = document.get("payload") if isinstance(document, dict) else None
    found = inner.get("actionExecutionId") if isinstance(inner, dict) else None
    return found if isinstance(found, str) else None


def message_id(partition: int, action: Dict[str, Any], text: str) -> str:
    """Nats-Msg-Id of an action: its actionExecutionId when its payload has one; otherwise (a
    custom payload) a digest of the whole document, which holds the detector, event, evaluation
    time and payload -- so two byte-identical custom actions within the window count as one."""
    found = execution_id(action)
    if found:
        return "p%d-%s" % (partition, found)
    return "p%d-sha256-%s" % (partition, hashlib.sha256(text.encode("utf-8")).hexdigest()[:40])


def outgoing(partition: int, action: Dict[str, Any]) -> Optional[Tuple[str, bytes, Dict[str, str]]]:
    """(subject, body, headers) of one action document; None for one that carries "error" (not
    carried out: the header says a host must not forward it; the worker counts it)."""
    if "error" in action:
        return None
    text = json.dumps(action, sort_keys=True, separators=(",", ":"))
    kind = action.get("type") if isinstance(action.get("type"), str) else "unknown"
    headers = {"Nats-Msg-Id": message_id(partition, action, text), "Iotevents-Partition": str(partition)}
    return "%s.%s" % (names.ACTION_PREFIX, kind), text.encode("utf-8"), headers
