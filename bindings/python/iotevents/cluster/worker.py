"""A worker: its presence, its leases and the partitions they give it.

Every heartbeat (lease_ttl / 4) it renews its presence and each lease it holds, computes which
partitions it should own among the live workers (leases.assignment), hands over those it should
no longer own (last snapshot, then the lease released) and takes those it should own once their
lease is free. A lease it fails to renew is lost: the partition stops at once, writing nothing
(its successor restores the last snapshot and replays the rest)."""
import asyncio
import sys
import time
from typing import Any, Dict, Optional

from . import leases, models, setup
from .partition import Entries, Partition
from .settings import Settings


class Owned:
    """A partition this worker holds: its lease revision, when it was last renewed, its task."""

    def __init__(self, partition: Partition, revision: int) -> None:
        self.partition = partition
        self.revision = revision
        self.renewed = time.monotonic()
        self.running = True
        self.task: Optional["asyncio.Task[None]"] = None


class Worker:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.owned: Dict[int, Owned] = {}
        self.model_entries: Optional[Entries] = None
        self.stopping = asyncio.Event()

    def log(self, text: str) -> None:
        print("iotevents cluster: %s: %s" % (self.settings.worker_id, text), file=sys.stderr, flush=True)

    async def run(self) -> None:
        import nats
        settings = self.settings
        async def connection_error(error: Exception) -> None:
            # One line, not nats-py's traceback: a node going away is expected and survived.
            self.log("connection: %r" % (error,))

        self.nc = await nats.connect(servers=settings.servers, name=settings.worker_id, max_reconnect_attempts=-1,
                                     reconnect_time_wait=0.5, connect_timeout=5, error_cb=connection_error)
        self.js = self.nc.jetstream(timeout=5)
        self.leases, self.workers, self.model_bucket, self.snapshot_store = await setup.ensure_when_ready(self.js, settings)
        self.model_entries = await models.read_all(self.model_bucket)
        self.log("started (%d partitions, servers %s)" % (settings.partitions, ",".join(settings.servers)))
        heartbeat = settings.lease_ttl / 4
        try:
            while not self.stopping.is_set():
                try:
                    await self.beat()
                except Exception as error:  # a node down, a leader election: next heartbeat
                    self.log("heartbeat failed: %r" % (error,))
                try:
                    await asyncio.wait_for(self.stopping.wait(), heartbeat)
                except asyncio.TimeoutError:
                    pass
        finally:
            await self.shutdown()

    async def beat(self) -> None:
        settings = self.settings
        await self.renew_all()
        await leases.announce(self.workers, settings.worker_id)
        entries = await models.read_all(self.model_bucket, self.model_entries)
        if entries != self.model_entries:
            self.model_entries = entries
        alive = await leases.live_workers(self.workers)
        for number in range(settings.partitions):
            desired = leases.assignment(number, alive)
            owned = self.owned.get(number)
            if owned is not None:
                if desired != settings.worker_id:
                    self.log("hands partition %d over to %s" % (number, desired))
                    await self.hand_over(number, snapshot=True)
            elif desired == settings.worker_id:
                revision = await leases.acquire(self.leases, number, settings.worker_id)
                if revision is not None:
                    await self.take_over(number, revision)

    async def renew_all(self) -> None:
        """Renews every held lease at once; a partition whose lease is lost stops, unsnapshotted."""
        numbers = list(self.owned)
        results = await asyncio.gather(*[leases.renew(self.leases, n, self.settings.worker_id, self.owned[n].revision)
                                         for n in numbers], return_exceptions=True)
        for number, result in zip(numbers, results):
            owned = self.owned.get(number)
            if owned is None:
                continue
            if isinstance(result, BaseException):
                self.log("renewing the lease of partition %d: %r" % (number, result))
            elif result is None:
                self.log("lost the lease of partition %d" % number)
                await self.hand_over(number, snapshot=False)
            else:
                owned.revision, owned.renewed = result, time.monotonic()

    async def take_over(self, number: int, revision: int) -> None:
        started = time.monotonic()
        holder: Dict[str, Owned] = {}

        def holds_lease() -> bool:
            owned = holder.get("it")
            return owned is not None and time.monotonic() - owned.renewed < self.settings.lease_ttl * 0.75

        partition = Partition(number, self.settings, self.js, self.snapshot_store, holds_lease)
        owned = Owned(partition, revision)
        holder["it"] = owned
        self.owned[number] = owned
        try:
            await partition.start(self.model_entries or {})
        except Exception as error:
            self.log("could not take partition %d over: %r" % (number, error))
            del self.owned[number]
            await partition.stop(snapshot=False)
            await leases.release(self.leases, number, revision)
            return
        self.log("took partition %d over at sequence %d in %.3f s" % (number, partition.sequence,
                                                                        time.monotonic() - started))
        owned.task = asyncio.ensure_future(self.drive(owned))

    async def drive(self, owned: Owned) -> None:
        """Runs a partition's steps until it is handed over; a step that fails (a node down)
        is retried from the last applied sequence."""
        partition = owned.partition
        while owned.running:
            try:
                await partition.step(self.model_entries)
            except Exception as error:
                if not owned.running:
                    break
                self.log("partition %d: %r; reading again after sequence %d" % (partition.number, error,
                                                                                  partition.sequence))
                await asyncio.sleep(0.5)
                try:
                    await partition.subscribe()
                except Exception as again:
                    self.log("partition %d: resubscribing: %r" % (partition.number, again))

    async def hand_over(self, number: int, snapshot: bool) -> None:
        """Stops a partition after its current step; with `snapshot` (a rebalance, a clean stop)
        writes its last snapshot and releases the lease, so its next owner replays nothing."""
        owned = self.owned.pop(number)
        owned.running = False
        if owned.task is not None:
            await owned.task
        if snapshot:
            # Renewed just before the last snapshot, so that it is written under a lease this
            # worker certainly holds (a slow heartbeat must not leave the last state unwritten).
            try:
                revision = await leases.renew(self.leases, number, self.settings.worker_id, owned.revision)
            except Exception as error:
                self.log("partition %d: renewing before the last snapshot: %r" % (number, error))
                revision = None
            if revision is None:
                snapshot = False
            else:
                owned.revision, owned.renewed = revision, time.monotonic()
        try:
            written = await owned.partition.stop(snapshot=snapshot)
        except Exception as error:
            self.log("partition %d: last snapshot failed: %r" % (number, error))
            written = False
        if written:
            await leases.release(self.leases, number, owned.revision)
            self.log("handed partition %d over at sequence %d" % (number, owned.partition.sequence))
        elif snapshot:
            self.log("partition %d stopped without its last snapshot: its next owner replays after sequence %d"
                     % (number, owned.partition.snapshot_sequence))

    async def shutdown(self) -> None:
        for number in list(self.owned):
            try:
                await self.hand_over(number, snapshot=True)
            except Exception as error:
                self.log("partition %d: %r" % (number, error))
        try:
            await leases.withdraw(self.workers, self.settings.worker_id)
            await self.nc.drain()
        except Exception:
            pass
        self.log("stopped")


def run(settings: Settings) -> int:
    """Runs a worker until SIGTERM or SIGINT, then hands every partition over cleanly."""
    import signal

    async def main() -> None:
        worker = Worker(settings)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, worker.stopping.set)
        await worker.run()

    asyncio.run(main())
    return 0
