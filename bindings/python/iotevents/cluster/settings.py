"""A worker's settings, checked once: a bad value is an error naming the member."""
import dataclasses
import secrets
from typing import Any, Dict, List, Optional


@dataclasses.dataclass(frozen=True)
class Settings:
    #: NATS server URLs (any node of the cluster; the client fails over between them).
    servers: List[str]
    #: The number of partitions: must equal the server mapping's partition(N, 2).
    partitions: int = 16
    #: This worker's identity in leases: a name plus a random suffix, so a restarted worker is a
    #: new one and never mistakes a dead predecessor's lease for its own.
    worker_id: str = ""
    #: Replicas of the streams and buckets (3 in a three-node cluster).
    replicas: int = 3
    #: Seconds a lease lives unrenewed; renewed every lease_ttl / 4.
    lease_ttl: float = 6.0
    #: A partition's snapshot is written after this many applied messages...
    snapshot_every_messages: int = 5000
    #: ... or this many seconds after the first unsnapshotted change.
    snapshot_every_seconds: float = 10.0
    #: Between messages, a partition whose next expiry is due publishes a tick into its own
    #: partition subject at most this often (ms): the clock moves when the stream delivers it,
    #: at the time the stream stamped it, so ticks are part of the log (feed.TICK_INPUT).
    tick_interval_millis: int = 1000
    #: Seconds the action stream remembers Nats-Msg-Id values (its de-duplication window).
    dedup_window: float = 120.0
    #: The iotevents_open configuration of every partition's engine (its clock is always
    #: "manual"; limits, region, accountId and the like are taken from here).
    engine: Dict[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.servers or not all(isinstance(s, str) and s for s in self.servers):
            raise ValueError("servers: give at least one NATS URL (nats://host:port)")
        _positive_int("partitions", self.partitions, 1024)
        _positive_int("replicas", self.replicas, 5)
        _positive_int("snapshot_every_messages", self.snapshot_every_messages, 10**9)
        _positive_number("lease_ttl", self.lease_ttl)
        _positive_number("snapshot_every_seconds", self.snapshot_every_seconds)
        _positive_number("dedup_window", self.dedup_window)
        if not isinstance(self.tick_interval_millis, int) or isinstance(self.tick_interval_millis, bool) \
                or self.tick_interval_millis < 10:
            raise ValueError("tick_interval_millis: an integer >= 10, not %r" % (self.tick_interval_millis,))
        if not isinstance(self.engine, dict):
            raise ValueError("engine: a JSON object (the iotevents_open configuration), not %r" % (self.engine,))
        if "clock" in self.engine or "stateDirectory" in self.engine or "timerThread" in self.engine:
            raise ValueError("engine: clock, stateDirectory and timerThread are the cluster's own "
                             "(a manual clock driven by the stream, state in the object store)")
        if not self.worker_id:
            object.__setattr__(self, "worker_id", "worker-" + secrets.token_hex(4))
        elif not all(c.isalnum() or c in "-_" for c in self.worker_id):
            raise ValueError("worker_id: letters, digits, '-' and '_' only, not %r" % self.worker_id)

    def engine_config(self) -> Dict[str, Any]:
        """The partition engines' iotevents_open configuration (library key names)."""
        config = dict(self.engine)
        config["clock"] = "manual"
        config.setdefault("startTimeMillis", 0)
        return config


def _positive_int(name: str, value: Any, most: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= most:
        raise ValueError("%s: an integer from 1 to %d, not %r" % (name, most, value))


def _positive_number(name: str, value: Any) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
        raise ValueError("%s: a number > 0, not %r" % (name, value))


def with_suffix(name: Optional[str]) -> str:
    """A worker id from a name given on the command line: name-<random>."""
    return "%s-%s" % (name or "worker", secrets.token_hex(4))
