"""`iotevents cluster ...`: run a worker, create the streams and buckets, store models, print
the server configuration's subject mapping."""
import argparse
import asyncio
import json
import sys
from typing import Any, List

from . import names
from .settings import Settings, with_suffix


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "cluster", help="run detectors partitioned by key over NATS JetStream (docs/cluster.md)",
        description="Workers that share the partitions of a NATS JetStream stream: each partition is owned by "
                    "one worker through a lease, runs one engine, and is snapshotted to an object store. "
                    "Needs nats-py: pip install 'iotevents[cluster]'.")
    commands = parser.add_subparsers(dest="cluster_command", metavar="COMMAND")
    commands.required = True
    worker = commands.add_parser("worker", help="run a worker until SIGTERM or Ctrl-C (then hand over cleanly)")
    _common(worker)
    worker.add_argument("--name", help="worker name; a random suffix is added (default 'worker')")
    worker.add_argument("--engine-config", metavar="FILE",
                        help="the partition engines' iotevents_open configuration (JSON; not clock or stateDirectory)")
    worker.add_argument("--snapshot-every-messages", type=int, default=5000)
    worker.add_argument("--snapshot-every-seconds", type=float, default=10.0)
    worker.add_argument("--lease-ttl", type=float, default=6.0, help="seconds a lease lives unrenewed (default 6)")
    worker.add_argument("--tick-interval-millis", type=int, default=1000,
                        help="between messages, how often an idle partition with a due timer ticks (default 1000)")
    worker.set_defaults(run=_run_worker)
    setup = commands.add_parser("setup", help="create the streams and buckets (idempotent)")
    _common(setup)
    setup.set_defaults(run=_run_setup)
    put = commands.add_parser("put-model", help="store CreateInput / CreateDetectorModel / CreateAlarmModel "
                                                "requests in the model bucket (workers apply them)")
    _common(put)
    put.add_argument("files", nargs="+", metavar="FILE")
    put.set_defaults(run=_run_put_model)
    publish = commands.add_parser("publish", help="publish JSON messages (one per line) to iotevents.in.<input>.<key>")
    _common(publish)
    publish.add_argument("--input", required=True, help="the input's name")
    publish.add_argument("--key", required=True, metavar="MEMBER",
                         help="the payload member holding the key (the detector model's key)")
    publish.add_argument("file", metavar="FILE", help="JSON lines, one message payload each ('-': standard input)")
    publish.set_defaults(run=_run_publish)
    mapping = commands.add_parser("server-config", help="print the nats-server mapping that partitions by key")
    mapping.add_argument("--partitions", type=int, default=16)
    mapping.set_defaults(run=_run_server_config)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--servers", default="nats://127.0.0.1:4222",
                        help="comma-separated NATS URLs (default nats://127.0.0.1:4222)")
    parser.add_argument("--partitions", type=int, default=16, help="must match the server's mapping (default 16)")
    parser.add_argument("--replicas", type=int, default=3, help="stream and bucket replicas (default 3)")


def _settings(arguments: argparse.Namespace, **more: Any) -> Settings:
    return Settings(servers=[s.strip() for s in arguments.servers.split(",") if s.strip()],
                    partitions=arguments.partitions, replicas=arguments.replicas, **more)


def _needs_nats() -> None:
    try:
        import nats  # noqa: F401
    except ImportError:
        raise SystemExit("iotevents cluster: needs nats-py (pip install 'iotevents[cluster]')")


def _run_worker(arguments: argparse.Namespace) -> int:
    _needs_nats()
    from .worker import run
    engine = {}
    if arguments.engine_config:
        with open(arguments.engine_config, encoding="utf-8") as f:
            engine = json.load(f)
    try:
        settings = _settings(arguments, worker_id=with_suffix(arguments.name), engine=engine,
                             snapshot_every_messages=arguments.snapshot_every_messages,
                             snapshot_every_seconds=arguments.snapshot_every_seconds,
                             lease_ttl=arguments.lease_ttl, tick_interval_millis=arguments.tick_interval_millis)
    except ValueError as error:
        print("iotevents cluster worker: %s" % error, file=sys.stderr)
        return 2
    return run(settings)


def _run_setup(arguments: argparse.Namespace) -> int:
    _needs_nats()

    async def main() -> None:
        import nats
        from .setup import ensure_when_ready as ensure
        nc = await nats.connect(servers=_settings(arguments).servers)
        await ensure(nc.jetstream(), _settings(arguments))
        await nc.drain()

    asyncio.run(main())
    return 0


def _run_put_model(arguments: argparse.Namespace) -> int:
    _needs_nats()
    requests: List[Any] = []
    for path in arguments.files:
        with open(path, encoding="utf-8") as f:
            requests.append(json.load(f))

    async def main() -> None:
        import nats
        from . import models
        from .setup import ensure_when_ready as ensure
        nc = await nats.connect(servers=_settings(arguments).servers)
        _, _, bucket, _ = await ensure(nc.jetstream(), _settings(arguments))
        for request in requests:
            print(await models.put(bucket, request))
        await nc.drain()

    asyncio.run(main())
    return 0


def _run_publish(arguments: argparse.Namespace) -> int:
    _needs_nats()
    stream = sys.stdin if arguments.file == "-" else open(arguments.file, encoding="utf-8")
    messages = []
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            payload = json.loads(line)
            key = payload.get(arguments.key) if isinstance(payload, dict) else None
            if not isinstance(key, (str, int)) or not str(key) or any(c in str(key) for c in " .*>\t"):
                print("iotevents cluster publish: line %d: %s is %r, not a key a subject token can hold "
                      "(no spaces, '.', '*' or '>')" % (number, arguments.key, key), file=sys.stderr)
                return 2
            messages.append((names.ingest_subject(arguments.input, str(key)), line.strip().encode("utf-8")))

    async def main() -> None:
        import nats
        nc = await nats.connect(servers=_settings(arguments).servers)
        js = nc.jetstream()
        for subject, body in messages:
            await js.publish(subject, body)
        await nc.drain()

    asyncio.run(main())
    print("published %d messages" % len(messages))
    return 0


def _run_server_config(arguments: argparse.Namespace) -> int:
    source, destination = names.subject_mapping(arguments.partitions)
    print('mappings = {\n  "%s": "%s"\n}' % (source, destination))
    return 0
