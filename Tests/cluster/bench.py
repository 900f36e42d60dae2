"""make bench-cluster's row (Tests/cluster/run.py bench KEYS MESSAGES):
* messages/s with 1, 2 and 3 workers: MESSAGES readings over KEYS keys are in the stream, then
  the workers start; the rate is MESSAGES / (time from the first takeover until every
  partition's consumer has every message applied and acknowledged);
* the takeover of a partition of KEYS detectors: its snapshot (KEYS detectors, each with a timer)
  is in the object store before a worker starts; the worker's own log says how long it took from
  acquiring the lease to reading the stream (snapshot fetched, restored, models reconciled,
  consumer created). After a kill -9 add the lease's time to live (6 s by default) before a
  worker can acquire it."""
import asyncio
import json
import time

from iotevents.cluster import feed, names, snapshots

import run as scenarios


async def throughput(keys, messages, count):
    """The messages are in the stream before the workers start (a backlog, so the publisher's own
    speed is not measured); the rate runs from the first takeover to the last acknowledgement,
    and includes the handovers of a cluster whose workers start together."""
    run = scenarios.Run("bench-%d" % count, count)
    try:
        await run.connect()
        await run.publish(keys, messages, 10**9)
        workers = [run.add_worker(("--snapshot-every-messages", "5000", "--snapshot-every-seconds", "10"))
                   for _ in range(count)]
        scenarios.wait_for(lambda: any(scenarios.took_over(w) for w in workers), 60, "a first takeover")
        started = time.monotonic()
        await run.wait_caught_up(900)
        elapsed = time.monotonic() - started
        await run.nc.close()
        run.passed = True
        return elapsed
    finally:
        run.stop()


async def takeover(keys):
    run = scenarios.Run("bench-takeover", 1)
    try:
        await run.connect()
        config = dict(scenarios.ENGINE, clock="manual", startTimeMillis=0)
        engine = feed.open_engine(config)
        engine.call("CreateInput", scenarios.READING)
        engine.call("CreateDetectorModel", scenarios.METER)
        now = int(time.time() * 1000)
        for i in range(keys):
            body = json.dumps({"id": "k%d" % i, "value": i % 100}).encode()
            feed.apply(engine, "Reading", body, i + 1, now)
        text = engine.snapshot()
        detectors = len(scenarios.describe_all(engine)) if keys <= 20000 else keys
        engine.close()
        # The model bucket's revisions the engine holds, so the worker reconciles nothing.
        from iotevents.cluster import models
        from iotevents.cluster.settings import Settings
        from iotevents.cluster import setup
        _, _, bucket, _ = await setup.ensure_when_ready(run.js, Settings(servers=run.nats.urls, partitions=scenarios.PARTITIONS))
        revisions = {key: revision for key, (revision, _) in (await models.read_all(bucket)).items()}
        await snapshots.save(run.store, 0, snapshots.Stored(0, text, revisions, now), "bench")
        worker = run.add_worker()
        scenarios.wait_for(lambda: scenarios.took_over(worker, 0), 120, "the takeover of partition 0")
        line = scenarios.took_over(worker, 0)[0]
        seconds = float(line.split(" in ")[1].split()[0])
        await run.nc.close()
        run.passed = True
        return detectors, len(text), seconds
    finally:
        run.stop()


async def bench(keys, messages):
    rows = []
    for count in (1, 2, 3):
        elapsed = await throughput(keys, messages, count)
        rows.append("%d worker%s %7.0f messages/s (a backlog of %d messages over %d keys applied in %.1f s)"
                    % (count, " " if count == 1 else "s", messages / elapsed, messages, keys, elapsed))
        print("bench-cluster: " + rows[-1], flush=True)
    detectors, size, seconds = await takeover(keys)
    print("bench-cluster: takeover of a partition of %d detectors: %.3f s (snapshot %.1f MB of text: fetched, "
          "restored, consumer created); after a kill -9 add up to the lease TTL (6 s)" % (detectors, seconds, size / 1e6),
          flush=True)
