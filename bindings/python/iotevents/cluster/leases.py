"""Partition ownership: one lease per partition in a key-value bucket whose entries live
lease_ttl seconds unless renewed, taken and renewed by compare-and-set on the entry's revision,
so two workers can never both believe they hold one (the second write of a revision fails).

Which worker should own a partition is computed, not negotiated: every live worker (an entry in
the worker bucket, renewed like a lease) sorts the live worker ids the same way and partition p
goes to the (p mod n)-th. A worker releases what it should no longer own (after its last
snapshot) and takes what it should own once the lease is free; a dead worker's leases expire."""
from typing import Any, List, Optional

from . import names


def assignment(partition: int, workers: List[str]) -> Optional[str]:
    """The worker that should own `partition` among `workers` (None when there are none)."""
    if not workers:
        return None
    ordered = sorted(workers)
    return ordered[partition % len(ordered)]


async def live_workers(bucket: Any) -> List[str]:
    from nats.js.errors import NoKeysError
    try:
        keys: List[str] = await bucket.keys()
        return keys
    except NoKeysError:
        return []


async def announce(bucket: Any, worker_id: str) -> None:
    """Puts (or renews) this worker's presence entry."""
    await bucket.put(worker_id, b"alive")


async def withdraw(bucket: Any, worker_id: str) -> None:
    await bucket.delete(worker_id)


async def acquire(bucket: Any, partition: int, worker_id: str) -> Optional[int]:
    """Takes the partition's lease if nobody holds it; returns its revision, or None."""
    from nats.js.errors import KeyWrongLastSequenceError
    try:
        revision: int = await bucket.create(names.lease_key(partition), worker_id.encode("utf-8"))
        return revision
    except KeyWrongLastSequenceError:
        return None


async def renew(bucket: Any, partition: int, worker_id: str, revision: int) -> Optional[int]:
    """Renews a lease held at `revision`; returns the new revision, or None when it was lost
    (expired and taken by another worker, or deleted)."""
    from nats.js.errors import KeyWrongLastSequenceError
    try:
        new_revision: int = await bucket.update(names.lease_key(partition), worker_id.encode("utf-8"), last=revision)
        return new_revision
    except KeyWrongLastSequenceError:
        return None


async def release(bucket: Any, partition: int, revision: int) -> None:
    """Gives a lease up (only if still at `revision`: never someone else's)."""
    from nats.js.errors import KeyWrongLastSequenceError
    try:
        await bucket.delete(names.lease_key(partition), last=revision)
    except KeyWrongLastSequenceError:
        pass


async def holder(bucket: Any, partition: int) -> Optional[str]:
    from nats.js.errors import NotFoundError
    try:
        entry = await bucket.get(names.lease_key(partition))
    except NotFoundError:  # never held, or released (a delete marker)
        return None
    return entry.value.decode("utf-8") if entry.value else None
