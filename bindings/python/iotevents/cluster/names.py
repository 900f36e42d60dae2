"""Every subject, stream and bucket name of the cluster, in one place."""
from typing import Tuple

#: Where producers publish: iotevents.in.<inputName>.<key>.
INGEST_PREFIX = "iotevents.in"
#: What the server's subject mapping turns an ingest subject into, and the input stream holds.
PARTITION_PREFIX = "iotevents.p"
#: Actions out: iotevents.out.<action type>.
ACTION_PREFIX = "iotevents.out"
#: Requests to a partition (queries and data API calls): iotevents.rpc.<partition>.
RPC_PREFIX = "iotevents.rpc"

#: The header of a _call message that names where its reply goes.
REPLY_HEADER = "Iotevents-Reply"

INPUT_STREAM = "IOTEVENTS_IN"
ACTION_STREAM = "IOTEVENTS_OUT"
LEASE_BUCKET = "iotevents-leases"
WORKER_BUCKET = "iotevents-workers"
MODEL_BUCKET = "iotevents-models"
SNAPSHOT_BUCKET = "iotevents-snapshots"


def subject_mapping(partitions: int) -> Tuple[str, str]:
    """The server configuration's mapping (source, destination) that partitions by key: the
    server hashes the key token, so every message of a key lands on the same partition."""
    return (INGEST_PREFIX + ".*.*",
            "%s.{{partition(%d,2)}}.{{wildcard(1)}}.{{wildcard(2)}}" % (PARTITION_PREFIX, partitions))


def ingest_subject(input_name: str, key: str) -> str:
    return "%s.%s.%s" % (INGEST_PREFIX, input_name, key)


def partition_filter(partition: int) -> str:
    return "%s.%d.>" % (PARTITION_PREFIX, partition)


def parse_partition_subject(subject: str) -> Tuple[int, str, str]:
    """(partition, inputName, key) of iotevents.p.<partition>.<inputName>.<key>."""
    parts = subject.split(".")
    if len(parts) != 5 or ".".join(parts[:2]) != PARTITION_PREFIX:
        raise ValueError("subject %r is not %s.<partition>.<inputName>.<key>" % (subject, PARTITION_PREFIX))
    return int(parts[2]), parts[3], parts[4]


def lease_key(partition: int) -> str:
    return "p%d" % partition


def consumer_name(partition: int) -> str:
    return "partition-%d" % partition


def snapshot_object(partition: int) -> str:
    return "partition-%d" % partition


def tick_subject(partition: int) -> str:
    """Where a partition's owner publishes its ticks: straight into its partition subject (the
    input stream holds iotevents.p.>), so they are ordered with the messages."""
    return "%s.%d._tick._" % (PARTITION_PREFIX, partition)


def rpc_subject(partition: int) -> str:
    return "%s.%d" % (RPC_PREFIX, partition)
