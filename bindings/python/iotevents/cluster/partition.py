"""One partition on the worker that holds its lease: its engine, its durable consumer, its
snapshots and its actions out.

A step fetches a batch in stream order, runs each message at its stream time (feed.apply),
publishes the batch's actions and waits for the stream to store them, acknowledges the batch,
and now and then writes a snapshot that covers it. Actions are stored before the snapshot that
covers their messages is written, so a crash at any point loses none: the next owner replays
from the snapshot and publishes them again, with the same Nats-Msg-Id (actions.py)."""
import asyncio
import json
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import actions, feed, models, names, snapshots
from .settings import Settings

#: Messages fetched per step.
BATCH = 256


class Partition:
    def __init__(self, number: int, settings: Settings, js: Any, snapshot_store: Any,
                 holds_lease: Callable[[], bool]) -> None:
        self.number = number
        self.settings = settings
        self.js = js
        self.snapshot_store = snapshot_store
        self.holds_lease = holds_lease
        self.label = "%s partition %d" % (settings.worker_id, number)
        self.engine: Any = None
        self.subscription: Any = None
        self.queries: Any = None
        #: The last stream sequence applied to the engine, and the engine clock (epoch ms).
        self.sequence = 0
        self.clock = 0
        #: Model bucket revisions the engine holds (models.reconcile).
        self.model_revisions: Dict[str, int] = {}
        self.models_seen: Optional[Entries] = None
        self.pending_actions: List[Dict[str, Any]] = []
        #: Changes not yet in a snapshot: how many messages, since when (monotonic seconds).
        self.unsnapshotted = 0
        self.dirty_since: Optional[float] = None
        self.snapshot_sequence = 0
        self.expected_delivery = 1
        self.last_tick = 0.0
        self.applied = 0
        self.failed_actions = 0
        self.restored_detectors = 0

    # -- taking over ----------------------------------------------------------------------------

    async def start(self, model_entries: "Entries") -> None:
        """Restores the latest snapshot (or starts empty), applies the model bucket, and reads
        the stream from the sequence after the snapshot's."""
        stored = await snapshots.load(self.snapshot_store, self.number)
        config = self.settings.engine_config()
        if stored is None:
            self.engine = feed.open_engine(config)
        else:
            self.engine = feed.open_engine(config, snapshot=stored.engine)
            self.sequence = self.snapshot_sequence = stored.sequence
            self.clock = stored.clock
            self.model_revisions = stored.models
        self.engine.on_action(self.pending_actions.append)
        self.reconcile(model_entries)
        await self.subscribe()
        self.queries = await self.js._nc.subscribe(names.rpc_subject(self.number), cb=self.answer)

    async def answer(self, message: Any) -> None:
        """A read of the data API (queries.READS) on this partition's engine, by request-reply:
        the state after the last batch applied. Writes go through the stream (feed.CALLS)."""
        from .queries import READS
        try:
            document = json.loads(message.data)
            operation = document["operation"]
            if operation not in READS:
                raise ValueError("%r is not one of %s" % (operation, ", ".join(sorted(READS))))
            if self.engine is None:
                raise ValueError("partition %d is being handed over" % self.number)
            status, text = self.engine.call_raw(operation, json.dumps(document["request"]))
            reply = '{"status":%d,"body":%s}' % (status, text or "{}")
        except (ValueError, KeyError, TypeError) as error:
            reply = json.dumps({"status": 1, "body": {"__type": "InvalidRequestException", "message": str(error)}})
        await message.respond(reply.encode("utf-8"))

    async def subscribe(self) -> None:
        """(Re)creates the partition's durable consumer at the sequence after the last applied."""
        from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
        from nats.js.errors import NotFoundError
        if self.subscription is not None:
            try:
                await self.subscription.unsubscribe()
            except Exception:
                pass
            self.subscription = None
        name = names.consumer_name(self.number)
        try:
            await self.js.delete_consumer(names.INPUT_STREAM, name)
        except NotFoundError:
            pass
        config = ConsumerConfig(durable_name=name, filter_subject=names.partition_filter(self.number),
                                deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=self.sequence + 1,
                                ack_policy=AckPolicy.ALL, ack_wait=60, max_ack_pending=20 * BATCH)
        self.subscription = await self.js.pull_subscribe(names.partition_filter(self.number), durable=name,
                                                         stream=names.INPUT_STREAM, config=config)
        self.expected_delivery = 1

    def reconcile(self, entries: Optional["Entries"]) -> None:
        if entries is None or entries is self.models_seen:
            return
        self.models_seen = entries
        revisions = models.reconcile(self.engine, entries, self.model_revisions, self.label)
        if revisions != self.model_revisions:
            self.model_revisions = revisions
            self.mark_dirty(0)

    # -- running --------------------------------------------------------------------------------

    async def step(self, model_entries: Optional["Entries"]) -> None:
        """One batch (or, when the partition is caught up, one wall-clock tick)."""
        import nats.errors
        self.reconcile(model_entries)
        try:
            batch = await self.subscription.fetch(batch=BATCH, timeout=0.25)
        except (nats.errors.TimeoutError, asyncio.TimeoutError):
            batch = []
        applied = 0
        reset = False
        for message in batch:
            metadata = message.metadata
            if metadata.sequence.consumer != self.expected_delivery:
                # A delivery went missing or came again (a reconnect, a redelivery): reading on
                # could apply a later message before an earlier one. Start over after the last
                # applied sequence; what this batch held comes again, in order.
                await self.subscribe()
                reset = True
                break
            self.expected_delivery += 1
            sequence = metadata.sequence.stream
            if sequence <= self.sequence:
                continue
            partition, input_name, _key = names.parse_partition_subject(message.subject)
            millis = feed.stream_millis(message.reply)
            errors: List[Dict[str, Any]] = []
            if input_name == feed.TICK_INPUT:
                feed.apply_tick(self.engine, millis)
            elif input_name == feed.CALL_INPUT:
                reply = feed.apply_call(self.engine, message.data, millis)
                # The caller waits for this; a replay answers again, to nobody (core NATS).
                reply_to = (message.headers or {}).get(names.REPLY_HEADER)
                if reply_to:
                    await self.js._nc.publish(reply_to, reply.encode("utf-8"))
            else:
                errors = feed.apply(self.engine, input_name, message.data, sequence, millis)
            for entry in errors:
                print("iotevents cluster: %s: message %d (%s): %s" % (self.label, sequence, input_name,
                                                                     entry.get("errorMessage")), file=sys.stderr)
            self.sequence = sequence
            self.clock = max(self.clock, millis)
            applied += 1
        if applied:
            await self.publish_actions()
            self.applied += applied
            self.mark_dirty(applied)
        if batch and not reset:
            # After the actions are stored: acknowledges the batch, repeats included.
            await batch[-1].ack()
        elif not batch:
            await self.wall_tick()
        await self.snapshot_if_due()

    async def wall_tick(self) -> None:
        """Between messages, timers still fire: when an expiry is due by the wall clock, the owner
        publishes a tick into the partition's subject (at most every tick_interval_millis). The
        clock moves when the tick comes back from the stream, at the time the stream stamped it:
        a clock moved by the wall clock itself could pass a message stamped earlier that the
        consumer had not seen yet (a replica behind, a leader election), and a replay of the
        log would then not give the same state."""
        now = time.monotonic()
        deadline = self.engine.next_deadline()
        if deadline is None or deadline > int(time.time() * 1000):
            return
        if now - self.last_tick < self.settings.tick_interval_millis / 1000:
            return
        self.last_tick = now
        try:
            await self.js.publish(names.tick_subject(self.number), b"", stream=names.INPUT_STREAM, timeout=2)
        except Exception:  # not stored now: the next idle step tries again
            self.last_tick = 0.0

    async def publish_actions(self) -> None:
        """Publishes the pending actions and waits until the stream has stored every one (retried
        until it has: the stream drops the repeats by their Nats-Msg-Id)."""
        outgoing: List[Tuple[str, bytes, Dict[str, str]]] = []
        for action in self.pending_actions:
            message = actions.outgoing(self.number, action)
            if message is None:
                self.failed_actions += 1
            else:
                outgoing.append(message)
        self.pending_actions.clear()
        for start in range(0, len(outgoing), 512):
            chunk = outgoing[start:start + 512]
            delay = 0.1
            while True:
                try:
                    await asyncio.gather(*[self.js.publish(subject, body, headers=headers, stream=names.ACTION_STREAM,
                                                           timeout=5)
                                           for subject, body, headers in chunk])
                    break
                except Exception as error:  # a node down, a leader election: try again
                    print("iotevents cluster: %s: publishing actions: %r; retrying" % (self.label, error), file=sys.stderr)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 2.0)

    # -- snapshots ------------------------------------------------------------------------------

    def mark_dirty(self, messages: int) -> None:
        self.unsnapshotted += messages
        if self.dirty_since is None:
            self.dirty_since = time.monotonic()

    async def snapshot_if_due(self) -> None:
        if self.dirty_since is None:
            return
        if (self.unsnapshotted >= self.settings.snapshot_every_messages
                or time.monotonic() - self.dirty_since >= self.settings.snapshot_every_seconds):
            await self.snapshot()

    async def snapshot(self) -> bool:
        """Writes the engine's state with the last applied sequence; only while this worker
        still holds the lease (a worker that lost it must not overwrite its successor's)."""
        if self.dirty_since is None:
            return True
        if not self.holds_lease():
            return False
        stored = snapshots.Stored(self.sequence, self.engine.snapshot(), dict(self.model_revisions), self.clock)
        await snapshots.save(self.snapshot_store, self.number, stored, self.settings.worker_id)
        self.snapshot_sequence = self.sequence
        self.unsnapshotted = 0
        self.dirty_since = None
        return True

    # -- handing over ---------------------------------------------------------------------------

    async def stop(self, snapshot: bool) -> bool:
        """Stops reading; with `snapshot`, writes a last snapshot first, so the next owner
        replays nothing (a rebalance applies no message twice). Returns whether the state is
        all in the object store (False: the next owner replays from an older snapshot)."""
        written = False
        try:
            if snapshot:
                written = await self.snapshot()
        finally:
            if self.queries is not None:
                try:
                    await self.queries.unsubscribe()
                except Exception:
                    pass
                self.queries = None
            if self.subscription is not None:
                try:
                    await self.subscription.unsubscribe()
                except Exception:
                    pass
            if self.engine is not None:
                self.engine.close()
                self.engine = None
        return written


Entries = models.Entries
