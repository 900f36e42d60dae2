"""A partition's snapshot in the object store: the engine's state (iotevents_snapshot) and the
last stream sequence applied to it, written together, so a new owner restores one and replays
from the sequence after the other."""
import json
from typing import Any, Dict, NamedTuple, Optional

from . import names

FORMAT = 1


class Stored(NamedTuple):
    sequence: int
    engine: str
    #: Revisions of the model bucket's entries the engine holds (models.py).
    models: Dict[str, int]
    clock: int


async def load(store: Any, partition: int) -> Optional[Stored]:
    """The partition's latest snapshot, or None when it has never been written."""
    from nats.js.errors import NotFoundError, ObjectNotFoundError
    try:
        result = await store.get(names.snapshot_object(partition))
    except (ObjectNotFoundError, NotFoundError):
        return None
    document = json.loads(result.data)
    if document.get("format") != FORMAT or document.get("partition") != partition:
        raise ValueError("object %s is not a format-%d snapshot of partition %d"
                         % (names.snapshot_object(partition), FORMAT, partition))
    return Stored(int(document["sequence"]), document["engine"], dict(document.get("models", {})),
                  int(document.get("clock", 0)))


async def save(store: Any, partition: int, stored: Stored, worker_id: str) -> None:
    """Replaces the partition's snapshot (the object store keeps the newest only)."""
    document = {"format": FORMAT, "partition": partition, "sequence": stored.sequence,
                "clock": stored.clock, "models": stored.models, "worker": worker_id, "engine": stored.engine}
    await store.put(names.snapshot_object(partition), json.dumps(document).encode("utf-8"))
