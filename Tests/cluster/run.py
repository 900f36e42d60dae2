#!/usr/bin/env python3
"""The cluster tests (make check-cluster, check-cluster-long, bench-cluster): a three-node
nats-server cluster with JetStream and `iotevents cluster` workers on loopback, every process
started and stopped here.

    python Tests/cluster/run.py failover [KEYS MESSAGES]    kill -9 of a worker and a NATS node restarted mid-stream
    python Tests/cluster/run.py rebalance [KEYS MESSAGES]   a fourth worker joins mid-stream
    python Tests/cluster/run.py bench [KEYS MESSAGES]       messages/s with 1, 2, 3 workers; takeover time

Each scenario then checks: the state of every detector (DescribeDetector) equals a single engine
run of the same stream messages (same times, same order), and the action stream holds every
action of that run exactly once. Runs with nats-py importable (tests/run.sh makes the venv) and
IOTEVENTS_LIBRARY naming the library."""
import asyncio
import base64
import collections
import json
import os
import random
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, NatsCluster, Worker, scratch, wait_for  # noqa: E402

from iotevents.cluster import feed, names, snapshots  # noqa: E402

PARTITIONS = 16
#: Snapshots often, so that a killed worker's partitions are restored from one and replayed.
WORKER_OPTIONS = ("--snapshot-every-messages", "250", "--snapshot-every-seconds", "1")
ENGINE = {"limits": {"minTimerSeconds": 1}}
READING = {"inputName": "Reading", "inputDefinition": {"attributes": [{"jsonPath": "id"}, {"jsonPath": "value"}]}}
# A count of messages per key (a message applied twice, or lost, changes it), a one-second timer
# re-set by every message (so keys that pause fire it), a default-payload action (its
# actionExecutionId is the Nats-Msg-Id) and a custom-payload one (a digest is).
METER = {
    "detectorModelName": "meter", "key": "id", "roleArn": "arn:aws:iam::123456789012:role/r",
    "detectorModelDefinition": {"initialStateName": "Active", "states": [
        {"stateName": "Active",
         "onEnter": {"events": [{"eventName": "arm", "condition": "true",
                                 "actions": [{"setTimer": {"timerName": "quiet", "seconds": 1}}]}]},
         "onInput": {
             "events": [{"eventName": "count", "condition": "currentInput(\"Reading\")", "actions": [
                 {"setVariable": {"variableName": "count", "value": "$variable.count + 1"}},
                 {"setVariable": {"variableName": "sum", "value": "$variable.sum + $input.Reading.value"}},
                 {"setTimer": {"timerName": "quiet", "seconds": 1}}]}],
             "transitionEvents": [{"eventName": "silence", "condition": "timeout(\"quiet\")", "nextState": "Quiet",
                                   "actions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:quiet"}}]}]}},
        {"stateName": "Quiet", "onInput": {"transitionEvents": [
            {"eventName": "wake", "condition": "currentInput(\"Reading\")", "nextState": "Active", "actions": [
                {"setVariable": {"variableName": "count", "value": "$variable.count + 1"}},
                {"setVariable": {"variableName": "sum", "value": "$variable.sum + $input.Reading.value"}},
                {"iotTopicPublish": {"mqttTopic": "meters/wake", "payload": {
                    "contentExpression": "'${$input.Reading.id} woke at ${$variable.count}'", "type": "STRING"}}}]}]}}]},
}
METER["detectorModelDefinition"]["states"][0]["onEnter"]["events"].insert(0, {
    "eventName": "init", "condition": "isUndefined($variable.count)", "actions": [
        {"setVariable": {"variableName": "count", "value": "0"}}, {"setVariable": {"variableName": "sum", "value": "0"}}]})


# An alarm per key on high readings (acknowledge flow on): the operator calls over the cluster.
HIGH = {
    "alarmModelName": "high", "key": "id", "roleArn": "arn:aws:iam::123456789012:role/r", "severity": 2,
    "alarmRule": {"simpleRule": {"inputProperty": "$input.Reading.value", "comparisonOperator": "GREATER",
                                 "threshold": "97"}},
    "alarmEventActions": {"alarmActions": [{"sns": {"targetArn": "arn:aws:sns:us-east-1:123456789012:high"}}]},
    "alarmCapabilities": {"acknowledgeFlow": {"enabled": True},
                          "initializationConfiguration": {"disabledOnInitialization": False}},
}
MODELS = [("CreateInput", READING), ("CreateDetectorModel", METER), ("CreateAlarmModel", HIGH)]


def python():
    return sys.executable


class Run:
    """One scenario's cluster, workers and NATS connection."""

    def __init__(self, label, workers):
        self.dir = scratch(label)
        self.nats = NatsCluster(self.dir, PARTITIONS)
        self.nats.start()
        with open(os.path.join(self.dir, "engine.json"), "w") as f:
            json.dump(ENGINE, f)
        self.workers = []
        self.count = 0
        self.label = label
        self.initial_workers = workers
        self.passed = False

    def add_worker(self, extra=WORKER_OPTIONS):
        self.count += 1
        worker = Worker(self.dir, "w%d" % self.count, self.nats.urls, ENGINE, python(), extra)
        self.workers.append(worker)
        return worker

    async def connect(self):
        import nats
        from iotevents.cluster import models, setup
        from iotevents.cluster.settings import Settings
        async def connection_error(error):
            print("  test client: %r" % (error,), flush=True)

        self.nc = await nats.connect(servers=self.nats.urls, max_reconnect_attempts=-1, reconnect_time_wait=0.3,
                                     error_cb=connection_error)
        self.js = self.nc.jetstream(timeout=10)
        settings = Settings(servers=self.nats.urls, partitions=PARTITIONS)
        _, _, bucket, self.store = await setup.ensure_when_ready(self.js, settings)
        for _, request in MODELS:
            await models.put(bucket, request)

    async def publish(self, keys, messages, rate, events=()):
        """Publishes `messages` readings over `keys` keys at about `rate` per second, each with a
        Nats-Msg-Id (a retry after a node failure is stored once); `events` maps a message index
        to a function run when publishing reaches it."""
        events = dict(events)
        choose = random.Random(30)  # the same keys every run; gaps per key vary, so timers fire
        started = time.monotonic()
        chunk = max(1, rate // 20)
        for start in range(0, messages, chunk):
            for index in range(start, min(start + chunk, messages)):
                if index in events:
                    print("  at message %d: %s" % (index, events[index].__doc__ or events[index].__name__), flush=True)
                    await asyncio.get_running_loop().run_in_executor(None, events[index])
            batch = []
            for index in range(start, min(start + chunk, messages)):
                key = "k%d" % choose.randrange(keys)
                body = json.dumps({"id": key, "value": index % 100}).encode()
                batch.append((names.ingest_subject("Reading", key), body, {"Nats-Msg-Id": "m%d" % index}))
            await self.publish_all(batch)
            delay = started + (start + chunk) / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)

    async def publish_all(self, batch):
        delay = 0.1
        while batch:
            results = await asyncio.gather(*[self.js.publish(s, b, headers=h, timeout=5) for s, b, h in batch],
                                           return_exceptions=True)
            batch = [m for m, r in zip(batch, results) if isinstance(r, Exception)]
            if batch:
                await asyncio.sleep(delay)
                delay = min(2 * delay, 2)

    async def caught_up(self):
        """True when every partition's consumer has delivered and had acknowledged everything."""
        for p in range(PARTITIONS):
            try:
                info = await self.js._jsm.consumer_info(names.INPUT_STREAM, names.consumer_name(p), timeout=2)
            except Exception:
                return False
            if info.num_pending or info.num_ack_pending:
                return False
        return True

    async def wait_caught_up(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.caught_up():
                return
            await asyncio.sleep(0.5)
        raise AssertionError("the workers did not catch up within %d s" % timeout)

    async def stream_messages(self, stream, subject):
        """Every message of a stream, in order: (sequence, subject, data, stream ms, headers)."""
        from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
        info = await self.js.stream_info(stream)
        total = info.state.messages
        name = "check-%d" % int(time.time() * 1000)
        sub = await self.js.pull_subscribe(subject, durable=name, stream=stream, config=ConsumerConfig(
            durable_name=name, deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE))
        out = []
        while len(out) < total:
            for m in await sub.fetch(batch=1000, timeout=5):
                out.append((m.metadata.sequence.stream, m.subject, m.data, feed.stream_millis(m.reply), m.headers or {}))
        await self.js.delete_consumer(stream, name)
        return out

    def stop(self):
        """Stops everything; the scratch directory (logs, JetStream stores) is kept only when the
        scenario failed, for a look at what happened."""
        for worker in self.workers:
            worker.stop()
        self.nats.stop_all()
        if self.passed:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            print("  kept for inspection: %s" % self.dir, flush=True)


def describe_all(engine, kind="detector"):
    """DescribeDetector (or DescribeAlarm) of every detector of meter (alarm of high), by key."""
    list_operation, describe, model, member = {
        "detector": ("ListDetectors", "DescribeDetector", {"detectorModelName": "meter"}, "detectorSummaries"),
        "alarm": ("ListAlarms", "DescribeAlarm", {"alarmModelName": "high"}, "alarmSummaries")}[kind]
    out = {}
    token = None
    while True:
        request = dict(model, maxResults=250)
        if token:
            request["nextToken"] = token
        page = engine.call(list_operation, request)
        for summary in page[member]:
            key = summary["keyValue"]
            out[key] = engine.call(describe, dict(model, keyValue=key))[kind]
        token = page.get("nextToken")
        if not token:
            return out


def comparable(action):
    """An action without its actionExecutionId, which counts executions per engine (a partition's
    engine and the single reference engine number them differently)."""
    action = dict(action)
    payload = action.get("payload")
    if isinstance(payload, str) and "actionExecutionId" in payload:
        document = json.loads(payload)
        document["payload"].pop("actionExecutionId", None)
        action["payload"] = document
    return json.dumps(action, sort_keys=True)


async def queries(run, keys):
    """The data API over the cluster (iotevents.cluster.queries): a BatchUpdateDetector through
    the stream, DescribeDetector and DescribeAlarm-style lookups, and ListDetectors merged over
    the partitions in pages of 97; returns keyValue -> stateName as listed."""
    from iotevents.cluster.queries import ClusterData, ClusterError
    data = ClusterData(run.nc, PARTITIONS)
    update = {"detectors": [{"messageId": "u1", "detectorModelName": "meter", "keyValue": "k1", "state": {
        "stateName": "Quiet", "variables": [{"name": "count", "value": "1000"}, {"name": "sum", "value": "0"}],
        "timers": []}}]}
    answer = await data.call("BatchUpdateDetector", update)
    assert answer == {"batchUpdateDetectorErrorEntries": []}, answer
    described = await data.call("DescribeDetector", {"detectorModelName": "meter", "keyValue": "k1"})
    assert described["detector"]["state"]["stateName"] == "Quiet", described
    assert {v["name"]: v["value"] for v in described["detector"]["state"]["variables"]}["count"] == "1000", described
    alarms = await data.call("ListAlarms", {"alarmModelName": "high"})
    active = [a["keyValue"] for a in alarms["alarmSummaries"] if a["stateName"] == "ACTIVE"]
    assert active, "no ACTIVE alarm to acknowledge: %s" % alarms["alarmSummaries"][:3]
    acknowledged = await data.call("BatchAcknowledgeAlarm", {"acknowledgeActionRequests": [
        {"requestId": "ack-%d" % i, "alarmModelName": "high", "keyValue": key, "note": "seen"}
        for i, key in enumerate(active[:3])]})
    assert acknowledged == {}, acknowledged
    for key in active[:3]:
        alarm = await data.call("DescribeAlarm", {"alarmModelName": "high", "keyValue": key})
        assert alarm["alarm"]["alarmState"]["stateName"] == "ACKNOWLEDGED", alarm
    try:
        await data.call("DescribeDetector", {"detectorModelName": "meter", "keyValue": "nobody"})
        raise AssertionError("DescribeDetector of an unknown key answered")
    except ClusterError as error:
        assert error.document["__type"] == "ResourceNotFoundException", error.document
    listed = {}
    token = None
    pages = 0
    while True:
        request = {"detectorModelName": "meter", "maxResults": 97}
        if token:
            request["nextToken"] = token
        page = await data.call("ListDetectors", request)
        pages += 1
        for summary in page["detectorSummaries"]:
            assert summary["keyValue"] not in listed, "ListDetectors listed %s twice" % summary["keyValue"]
            listed[summary["keyValue"]] = summary["state"]["stateName"]
        token = page.get("nextToken")
        if not token:
            break
    assert pages == (len(listed) + 96) // 97, "%d pages for %d detectors" % (pages, len(listed))
    await serve_cluster(run)
    print("  queries: BatchUpdateDetector and BatchAcknowledgeAlarm (%d alarms) through the stream, DescribeDetector, "
          "DescribeAlarm, ListAlarms, ListDetectors of %d detectors in %d pages over %d partitions"
          % (len(active[:3]), len(listed), pages, PARTITIONS), flush=True)
    return listed


async def serve_cluster(run):
    """`iotevents serve --cluster` over HTTP (the AWS REST-JSON routes, unsigned): DescribeDetector,
    a ListDetectors page, and a BatchPutMessage that reaches its detector through the stream."""
    import subprocess
    import urllib.error
    import urllib.request
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings", "python"), PYTHONUNBUFFERED="1")
    server = subprocess.Popen([python(), "-m", "iotevents", "serve", "--port", "0", "--cluster", ",".join(run.nats.urls)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        line = server.stdout.readline()
        assert "listening on http://" in line, line + server.stdout.read()
        base = line.split("listening on ")[1].split()[0]

        def http(method, path, body=None):
            # 503 is the cluster's documented "a partition is moving to another worker; try
            # again" (queries.py): after a rebalance a handover may still be under way.
            for attempt in range(20):
                request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                                 headers={"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        return json.loads(response.read())
                except urllib.error.HTTPError as error:
                    if error.code != 503 or attempt == 19:
                        raise
                    time.sleep(0.5)

        loop = asyncio.get_running_loop()
        before = await loop.run_in_executor(None, http, "GET", "/detectors/meter/keyValues/?keyValue=k2")
        count = {v["name"]: v["value"] for v in before["detector"]["state"]["variables"]}["count"]
        page = await loop.run_in_executor(None, http, "GET", "/detectors/meter?maxResults=250")
        assert len(page["detectorSummaries"]) == 250 and page.get("nextToken"), page.keys()
        put = await loop.run_in_executor(None, http, "POST", "/inputs/messages", {"messages": [
            {"messageId": "over-http", "inputName": "Reading", "payload": base64.b64encode(b'{"id":"k2","value":5}').decode()}]})
        assert put == {"BatchPutMessageErrorEntries": []}, put
        deadline = time.monotonic() + 30
        while True:
            after = await loop.run_in_executor(None, http, "GET", "/detectors/meter/keyValues/?keyValue=k2")
            if {v["name"]: v["value"] for v in after["detector"]["state"]["variables"]}["count"] == str(int(count) + 1):
                break
            assert time.monotonic() < deadline, "the message sent over HTTP did not reach k2: %s" % after
            await asyncio.sleep(0.3)
    finally:
        server.terminate()
        server.wait(30)


async def check(run, with_states=False):
    """The comparison against one engine given the stream's messages; returns figures."""
    messages = await run.stream_messages(names.INPUT_STREAM, names.PARTITION_PREFIX + ".>")
    config = dict(ENGINE, clock="manual", startTimeMillis=0)
    reference = feed.open_engine(config)
    for operation, request in MODELS:
        reference.call(operation, request)
    expected = []
    reference.on_action(expected.append)
    for sequence, subject, data, millis, _ in messages:
        _, input_name, _ = names.parse_partition_subject(subject)
        if input_name == feed.TICK_INPUT:
            feed.apply_tick(reference, millis)
            continue
        if input_name == feed.CALL_INPUT:
            reply = json.loads(feed.apply_call(reference, data, millis))
            assert reply["status"] == 0, reply
            continue
        errors = feed.apply(reference, input_name, data, sequence, millis)
        assert not errors, errors
    # Every partition's last snapshot, ticked to one common end time with the reference.
    partitions = {}
    for p in range(PARTITIONS):
        stored = await snapshots.load(run.store, p)
        if stored is not None:
            partitions[p] = stored
    end = max([s.clock for s in partitions.values()] + [messages[-1][3] if messages else 0])
    while reference.next_deadline() is not None and reference.next_deadline() <= end:
        reference.tick(end)
    reference.tick(end)
    late = []
    states = {}
    alarms = {}
    for p, stored in partitions.items():
        engine = feed.open_engine(config, snapshot=stored.engine)
        engine.on_action(late.append)
        while engine.next_deadline() is not None and engine.next_deadline() <= end:
            engine.tick(end)
        engine.tick(end)
        for key, detector in describe_all(engine).items():
            assert key not in states, "key %s is in two partitions" % key
            states[key] = detector
        for key, alarm in describe_all(engine, "alarm").items():
            alarms[key] = alarm
        engine.close()
    want = describe_all(reference)
    assert set(states) == set(want), "detectors: %d in the partitions, %d in the reference run" % (len(states), len(want))
    different = [k for k in want if states[k] != want[k]]
    assert not different, "%d detectors differ from the single-engine run, e.g. %s:\n  cluster:   %s\n  reference: %s" % (
        len(different), different[0], json.dumps(states[different[0]], sort_keys=True),
        json.dumps(want[different[0]], sort_keys=True))
    want_alarms = describe_all(reference, "alarm")
    different = [k for k in want_alarms if alarms.get(k) != want_alarms[k]]
    assert set(alarms) == set(want_alarms) and not different, "alarms: %d in the partitions, %d in the reference, " \
        "%d differ, e.g. %s" % (len(alarms), len(want_alarms), len(different), different[:1])
    published = await run.stream_messages(names.ACTION_STREAM, names.ACTION_PREFIX + ".>")
    got = collections.Counter(comparable(json.loads(m[2])) for m in published)
    got.update(comparable(a) for a in late)
    wanted = collections.Counter(comparable(a) for a in expected if "error" not in a)
    missing, extra = wanted - got, got - wanted
    assert not missing and not extra, "actions: %d missing, %d extra (of %d), e.g. %s" % (
        sum(missing.values()), sum(extra.values()), sum(wanted.values()), (list(missing) + list(extra))[0])
    ids = collections.Counter(m[4].get("Nats-Msg-Id") for m in published)
    assert max(ids.values(), default=1) == 1, "a Nats-Msg-Id appears twice in the action stream"
    reference.close()
    figures = {"messages": len(messages), "detectors": len(want), "alarms": len(want_alarms), "actions": len(published),
               "actions fired at the end": len(late), "partitions": len(partitions)}
    return (figures, states) if with_states else figures


def took_over(worker, partition=None):
    return [line for line in worker.log().splitlines() if "took partition" in line
            and (partition is None or "partition %d over" % partition in line)]


async def failover(keys, messages):
    run = Run("failover", 3)
    try:
        await run.connect()
        workers = [run.add_worker() for _ in range(3)]
        wait_for(lambda: sum(len(took_over(w)) for w in workers) >= PARTITIONS, 60, "16 partitions owned")
        victim = workers[0]

        def kill_worker():
            """kill -9 of worker w1"""
            victim.kill9()

        def restart_worker():
            """worker w1 restarted (a new worker id)"""
            run.add_worker()

        def stop_node():
            """NATS node n3 stopped"""
            run.nats.stop(2)

        def start_node():
            """NATS node n3 restarted"""
            run.nats.start(2)

        events = {messages * 3 // 10: kill_worker, messages * 4 // 10: restart_worker,
                  messages * 55 // 100: stop_node, messages * 75 // 100: start_node}
        rate = 1000
        started = time.monotonic()
        await run.publish(keys, messages, rate, events.items())
        published = time.monotonic() - started
        await run.wait_caught_up(300)
        print("  published %d messages in %.1f s; all applied after %.1f s" % (
            messages, published, time.monotonic() - started), flush=True)
        # Let the last timers fire (1 s timers, ticks every second), then stop cleanly.
        await asyncio.sleep(4)
        await run.wait_caught_up(60)
        for worker in run.workers:
            worker.stop()
        figures = await check(run)
        assert any("took partition" in line and "at sequence 0 " not in line
                   for w in run.workers[1:] for line in took_over(w)), "no partition was taken over from a snapshot"
        print("failover: %s" % figures)
        run.passed = True
        await run.nc.close()
    finally:
        run.stop()


async def rebalance(keys, messages):
    run = Run("rebalance", 3)
    try:
        await run.connect()
        workers = [run.add_worker() for _ in range(3)]
        wait_for(lambda: sum(len(took_over(w)) for w in workers) >= PARTITIONS, 60, "16 partitions owned")

        def join():
            """a fourth worker joins"""
            run.add_worker()

        await run.publish(keys, messages, 1000, [(messages // 2, join)])
        await run.wait_caught_up(300)
        await asyncio.sleep(4)
        await run.wait_caught_up(60)
        listed = await queries(run, keys)
        # The message sent over HTTP set k2's timer: let it fire before the workers stop.
        await asyncio.sleep(4)
        await run.wait_caught_up(60)
        fourth = run.workers[3]
        taken = took_over(fourth)
        assert taken, "the fourth worker took no partition"
        # A clean handover replays nothing: every takeover starts at the sequence a handover
        # ended at (or at 0, the partition's first owner), so no message is applied twice to
        # any detector. (The first workers also hand partitions over as each of them joins.)
        handed = set()
        for worker in run.workers:
            for line in worker.log().splitlines():
                if "handed partition" in line:
                    words = line.split()
                    handed.add((int(words[words.index("partition") + 1]), int(words[-1])))
        first = set()
        for worker in run.workers:
            for line in took_over(worker):
                words = line.split()
                partition, start = int(words[words.index("partition") + 1]), int(words[words.index("sequence") + 1])
                if start == 0 and partition not in first:
                    first.add(partition)
                    continue
                assert (partition, start) in handed, "partition %d was taken over at sequence %d, where no handover ended" % (
                    partition, start)
        for worker in run.workers:
            worker.stop()
        figures, states = await check(run, with_states=True)
        final = {k: (d["state"]["stateName"]) for k, d in states.items()}
        assert listed == final, "ListDetectors over the cluster differs from the detectors' final states: %s" % (
            sorted((k, listed.get(k), final.get(k)) for k in set(listed) | set(final) if listed.get(k) != final.get(k))[:5])
        figures["moved to the fourth worker"] = len(taken)
        print("rebalance: %s" % figures)
        run.passed = True
        await run.nc.close()
    finally:
        run.stop()


def main():
    scenario = sys.argv[1] if len(sys.argv) > 1 else "failover"
    keys = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    messages = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    scenarios = {"failover": failover, "rebalance": rebalance}
    if scenario == "bench":
        from bench import bench
        asyncio.run(bench(keys, messages))
        return
    print("cluster %s: %d keys, %d messages, %d partitions, 3 NATS nodes" % (scenario, keys, messages, PARTITIONS), flush=True)
    asyncio.run(scenarios[scenario](keys, messages))


if __name__ == "__main__":
    main()
