"""Creates (or finds) the cluster's streams and buckets. Idempotent: every worker runs it on
start, and `iotevents cluster setup` runs it alone."""
from typing import Any, Tuple

from . import names
from .settings import Settings


async def ensure_when_ready(js: Any, settings: Settings, timeout: float = 60.0) -> Tuple[Any, Any, Any, Any]:
    """ensure(), retried while the cluster elects its JetStream leaders (a cluster that just
    started, or lost a node, answers nothing for a few seconds)."""
    import asyncio
    import time
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await ensure(js, settings)
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def ensure(js: Any, settings: Settings) -> Tuple[Any, Any, Any, Any]:
    """The lease, worker, model and snapshot buckets, after making sure the input and action
    streams exist."""
    from nats.js.api import KeyValueConfig, ObjectStoreConfig, StorageType, StreamConfig
    from nats.js.errors import BadRequestError
    streams = [
        # Messages: kept by age, not by acknowledgement, so a new owner can replay from any
        # snapshot younger than max_age (a day by default).
        StreamConfig(name=names.INPUT_STREAM, subjects=[names.PARTITION_PREFIX + ".>"], storage=StorageType.FILE,
                     num_replicas=settings.replicas, max_age=24 * 3600.0, duplicate_window=settings.dedup_window),
        StreamConfig(name=names.ACTION_STREAM, subjects=[names.ACTION_PREFIX + ".>"], storage=StorageType.FILE,
                     num_replicas=settings.replicas, max_age=24 * 3600.0, duplicate_window=settings.dedup_window),
    ]
    for config in streams:
        try:
            await js.add_stream(config=config)
        except BadRequestError:
            await js.update_stream(config=config)
    leases = await js.create_key_value(config=KeyValueConfig(
        bucket=names.LEASE_BUCKET, history=1, ttl=settings.lease_ttl, replicas=settings.replicas,
        storage=StorageType.FILE))
    workers = await js.create_key_value(config=KeyValueConfig(
        bucket=names.WORKER_BUCKET, history=1, ttl=settings.lease_ttl, replicas=settings.replicas,
        storage=StorageType.FILE))
    model_bucket = await js.create_key_value(config=KeyValueConfig(
        bucket=names.MODEL_BUCKET, history=5, replicas=settings.replicas, storage=StorageType.FILE))
    snapshot_store = await js.create_object_store(names.SNAPSHOT_BUCKET, config=ObjectStoreConfig(
        replicas=settings.replicas, storage=StorageType.FILE))
    return leases, workers, model_bucket, snapshot_store
