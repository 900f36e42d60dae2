#!/usr/bin/env python3
"""The iotevents-mqttd tests against a real mosquitto broker (make check-mqttd runs the short
set, make check-mqttd-long the 50-run crash test, make bench-mqttd the throughput row).

    python3 Tests/mqttd/run.py motor | bad-configs | bad-outbox | bad-messages | tls | reconnect | timers | timer-crash [RUNS] | reload | changed-while-down | crash [RUNS] | bench [MESSAGES]

The daemon is build/iotevents-mqttd (MQTTD=... for another); LD_LIBRARY_PATH picks the library."""
import json
import os
import random
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (HERE, ROOT, Broker, Daemon, Subscriber, base_config, daemon_path, describe_detectors,  # noqa: E402
                     publish, scratch, wait_for)
import subprocess  # noqa: E402

MOTOR_MODELS = os.path.join(HERE, "models", "motor")
COUNTER_MODELS = os.path.join(HERE, "models", "counter")
MOTOR_READINGS = [("Fulton-A32", 80), ("Fulton-A33", 60), ("Fulton-A32", 60), ("Fulton-A33", 90),
                  ("Fulton-A32", 55), ("Fulton-A32", 50)]


def motor_payloads():
    return [json.dumps({"messageId": "%05d" % (i + 1), "motorid": m, "sensorData": {"pressure": p}})
            for i, (m, p) in enumerate(MOTOR_READINGS)]


def without_times(doc):
    """The action document without what changes from run to run: the evaluation time and, in
    the sns payload, its time and execution id."""
    doc = dict(doc)
    doc.pop("eventTime", None)
    if doc.get("payloadType") == "JSON":
        payload = json.loads(doc["payload"])
        payload.pop("eventTime", None)
        payload.get("payload", {}).pop("actionExecutionId", None)
        doc["payload"] = payload
    return doc


def test_motor(tls=None, name="motor"):
    """The developer guide's motor scenario over MQTT: readings on motors/<id>/pressure, the sns
    actions on iotevents/actions/sns, compared with Tests/mqttd/motor-expected.jsonl; then the
    detectors' states read from the state directory. Each reading is published once and once more
    (the same messageId): the engine state must count it once."""
    work = scratch(name)
    broker = Broker(work, tls=tls)
    broker.start()
    sub = Subscriber(broker, "iotevents/#", work)
    state = os.path.join(work, "state")
    config = base_config(broker, state, [MOTOR_MODELS],
                         [{"topicFilter": "motors/+/pressure", "inputName": "PressureInput", "messageIdPath": "messageId",
                           "batchSize": 10}])
    daemon = Daemon(config, work)
    daemon.start()
    try:
        daemon.wait_connected()
        for i, payload in enumerate(motor_payloads()):
            motor = MOTOR_READINGS[i][0]
            publish(broker, "motors/%s/pressure" % motor, [payload, payload])
        with open(os.path.join(HERE, "motor-expected.jsonl")) as f:
            expected = [json.loads(line) for line in f if line.strip()]
        wait_for(lambda: len(sub.messages("iotevents/actions/")) >= len(expected), 20, "the motor's actions")
        time.sleep(0.5)
        got = [without_times(json.loads(p)) for _, p in sub.messages("iotevents/actions/")]
        topics = {t for t, _ in sub.messages("iotevents/actions/")}
        assert topics == {"iotevents/actions/sns"}, topics
        assert got == expected, "actions differ:\n%s\nexpected:\n%s" % (
            "\n".join(json.dumps(g, sort_keys=True) for g in got), "\n".join(json.dumps(e, sort_keys=True) for e in expected))
        wait_for(lambda: sub.messages("iotevents/mqttd/status"), 5, "a status message")
        status = json.loads(sub.messages("iotevents/mqttd/status")[-1][1])
        assert status["errors"] == 0 and status["messageErrors"] == 0, status
        assert daemon.stop() == 0, daemon.log_text()
        assert "stopped: 12 message(s) in, 3 action(s) out, 0 in the outbox" in daemon.log_text(), daemon.log_text()
        states = describe_detectors(state, "motorDetectorModel", ["Fulton-A32", "Fulton-A33"])
        assert states == {"Fulton-A32": ("Normal", {"pressureThresholdBreached": "0"}),
                          "Fulton-A33": ("Dangerous", {"pressureThresholdBreached": "3"})}, states
    finally:
        daemon.stop()
        sub.stop()
        broker.stop()
    print("%s: %d actions as expected, duplicates of every reading ignored, detectors Normal/0 and Dangerous/3" % (name, len(expected)))


def test_reconnect():
    """The broker stopped for 2 s under a running daemon: it reconnects with backoff (the status
    counts it), keeps its session, and consumes what was published before and after; the
    actions made while it was away reach the subscriber once the broker is back."""
    work = scratch("reconnect")
    broker = Broker(work)
    broker.start()
    sub = Subscriber(broker, "out/#", work)
    config = base_config(broker, os.path.join(work, "state"), [COUNTER_MODELS],
                         [{"topicFilter": "seq/#", "inputName": "Seq", "messageIdPath": "id", "batchSize": 10}])
    daemon = Daemon(config, work)
    daemon.start()
    try:
        daemon.wait_connected()
        publish(broker, "seq/a", counter_payloads(2, 10))
        broker.stop()
        time.sleep(2)
        broker.start()
        publish(broker, "seq/a", counter_payloads(2, 10, start=11))
        wait_for(lambda: check_counter_actions(sub, 2, 20)[0], 20, "every action after the broker came back")
        wait_for(lambda: daemon.log_text().count("connected to") >= 2, 10, "the reconnection")
        attempts = daemon.log_text().count("cannot connect")
        # backoff from 50 ms doubling to 500 ms: about 6 attempts in 2 s (40 without backoff)
        assert 2 <= attempts <= 12, "%d connection attempts in 2 s" % attempts
        assert daemon.stop() == 0
    finally:
        daemon.stop()
        sub.stop()
        broker.stop()
    print("reconnect: the broker stopped 2 s under the daemon: %d attempts with backoff, reconnected, every action delivered in order"
          % attempts)


def heartbeat_models(work):
    """A models directory under work: the examples' heartbeat model with its watchdog at 1 s
    instead of 300 (the daemons' configurations set minTimerSeconds 1)."""
    models = os.path.join(work, "models")
    os.makedirs(models)
    for name in ("heartbeat.json", "heartbeat-input.json"):
        with open(os.path.join(ROOT, "examples", "models", name)) as f, open(os.path.join(models, name), "w") as g:
            g.write(f.read().replace('"durationExpression": "300"', '"durationExpression": "1"'))
    return models


def test_timers():
    """Timers, ticked by the daemon at each deadline: the examples' heartbeat model with a 1 s watchdog
    (minTimerSeconds 1): a device that beats once goes Offline by itself and its sns action is
    published; its next beat publishes iotTopicPublish to devices/<id>/online. A watchdog due
    while the daemon was stopped fires after its restart."""
    work = scratch("timers")
    models = heartbeat_models(work)
    broker = Broker(work)
    broker.start()
    sub = Subscriber(broker, "#", work)
    config = base_config(broker, os.path.join(work, "state"), [models],
                         [{"topicFilter": "beats/+", "inputName": "Heartbeat", "messageIdPath": "id"}])
    config["engine"]["limits"] = {"minTimerSeconds": 1}
    daemon = Daemon(config, work)
    daemon.start()

    def offline(device):
        return [d for d in (json.loads(p) for _, p in sub.messages("iotevents/actions/sns"))
                if d["source"].get("keyValue") == device and d["source"]["stateName"] == "Offline"]
    try:
        daemon.wait_connected()
        publish(broker, "beats/dev1", [json.dumps({"id": "b1", "deviceId": "dev1", "battery": 80})])
        wait_for(lambda: offline("dev1"), 5, "dev1's watchdog")
        assert json.loads(offline("dev1")[0]["payload"]) == {"device": "dev1", "status": "offline", "beats": 1}, offline("dev1")
        publish(broker, "beats/dev1", [json.dumps({"id": "b2", "deviceId": "dev1", "battery": 79})])
        wait_for(lambda: sub.messages("devices/dev1/online"), 5, "dev1 back online")
        publish(broker, "beats/dev2", [json.dumps({"id": "b3", "deviceId": "dev2", "battery": 50})])
        time.sleep(0.2)
        assert daemon.stop() == 0
        time.sleep(1.5)  # dev2's watchdog falls due while the daemon is down
        assert not offline("dev2")
        daemon.start()
        wait_for(lambda: offline("dev2"), 5, "dev2's watchdog after the restart")
        assert daemon.stop() == 0
    finally:
        daemon.stop()
        sub.stop()
        broker.stop()
    print("timers: a watchdog fired at its deadline and its action was published; one due during a restart fired after it")


def test_timer_crash(runs, devices=300):
    """kill -9 around the moment many watchdogs fire in one tick (the heartbeat model at 1 s,
    `devices` devices that beat once), then a restart: every device's Offline action must reach
    the subscriber (at least once), whether the kill fell before, during or after the tick."""
    work = scratch("timer-crash")
    models = heartbeat_models(work)
    broker = Broker(work)
    broker.start()
    sub = Subscriber(broker, "iotevents/actions/#", work)
    config = base_config(broker, os.path.join(work, "state"), [models],
                         [{"topicFilter": "beats/+", "inputName": "Heartbeat", "messageIdPath": "id", "batchSize": 10}])
    config["engine"]["limits"] = {"minTimerSeconds": 1}
    daemon = Daemon(config, work)
    daemon.start()
    daemon.wait_connected()
    rng = random.Random(int(os.environ.get("MQTTD_SEED", "27")))
    expected = set()
    try:
        for run in range(runs):
            names = ["r%d-dev%d" % (run, d) for d in range(devices)]
            publish(broker, "beats/x", [json.dumps({"id": "b-" + n, "deviceId": n, "battery": 1}) for n in names])
            expected.update(names)
            time.sleep(rng.uniform(0.7, 1.3))  # the watchdogs fall due about 1 s after the beats
            daemon.kill()
            daemon.start()
        def offline():
            return {json.loads(p)["source"]["keyValue"] for _, p in sub.messages("iotevents/actions/sns")}
        # a tick the engine logged before all its actions reached the outbox: the engine hands
        # them over again when the restarted daemon sets its handler (README.md), none is lost
        wait_for(lambda: expected <= offline(), 30, "every device's Offline action")
        missing = expected - offline()
        assert not missing, "%d Offline actions missing" % len(missing)
        assert daemon.stop() == 0
    finally:
        daemon.stop()
        sub.stop()
        broker.stop()
    print("timer-crash: %d kill -9 around a tick firing %d watchdogs: all %d Offline actions delivered; %d actions of "
          "interrupted ticks handed over again by the engine at restarts" % (runs, devices, len(expected), handed_over_again(daemon)))


def test_bad_messages():
    """Messages the engine cannot take (not JSON, empty, too large, a message id the API refuses,
    unknown input fields) cost only themselves: counted in the status, logged; the daemon keeps
    serving and a good message in the same batch still runs."""
    work = scratch("bad-messages")
    broker = Broker(work)
    broker.start()
    sub = Subscriber(broker, "iotevents/#", work)
    state = os.path.join(work, "state")
    config = base_config(broker, state, [MOTOR_MODELS],
                         [{"topicFilter": "motors/+/pressure", "inputName": "PressureInput", "messageIdPath": "messageId",
                           "batchSize": 10},
                          {"topicFilter": "nowhere/#", "inputName": "NoSuchInput"}])
    daemon = Daemon(config, work)
    daemon.start()
    try:
        daemon.wait_connected()
        bad = ["not json at all", "[1, 2, 3]", json.dumps({"messageId": "bad id!", "motorid": "M", "sensorData": {"pressure": 1}}),
               json.dumps({"messageId": "x" * 65, "motorid": "M"}), json.dumps({"motorid": "M", "pad": "p" * 5000}),
               json.dumps({"messageId": {"nested": 1}, "motorid": "M"}), "\u00ff not json"]  # (mosquitto_pub -l cannot send a NUL: it drops the next line)
        good = json.dumps({"messageId": 424242, "motorid": "Fulton-A99", "sensorData": {"pressure": 99}})
        publish(broker, "motors/M/pressure", bad + [good])
        publish(broker, "nowhere/x", ['{"a": 1}'])
        publish(broker, "unrouted/x", ['{"a": 1}'])
        wait_for(lambda: any(json.loads(p).get("source", {}).get("keyValue") == "Fulton-A99"
                             for _, p in sub.messages("iotevents/actions/sns")), 10, "the good message's action")
        def counted():
            statuses = [json.loads(p) for _, p in sub.messages("iotevents/mqttd/status")]
            return statuses and statuses[-1]["messageErrors"] >= 4 and statuses[-1]["messagesIn"] >= 9
        wait_for(counted, 10, "the status to count the refused messages")
        assert daemon.process.poll() is None, daemon.log_text()
        status = json.loads(sub.messages("iotevents/mqttd/status")[-1][1])
        assert daemon.stop() == 0, daemon.log_text()
    finally:
        daemon.stop()
        sub.stop()
        broker.stop()
    print("bad-messages: %d refused and counted, the good one in the same batch ran, the daemon kept serving (status %s)"
          % (status["messageErrors"], json.dumps(status, sort_keys=True)))


def test_bad_configs():
    """Each Tests/mqttd/bad-configs/<case>.json must make the daemon exit 2 before it connects,
    with exactly one line on stderr: the one in <case>.expected."""
    work = scratch("bad-configs")
    cases = sorted(f[:-5] for f in os.listdir(os.path.join(HERE, "bad-configs")) if f.endswith(".json"))
    failed = 0
    for case in cases:
        path = os.path.join(HERE, "bad-configs", case + ".json")
        with open(path) as f:
            text = f.read().replace("@WORK@", work).replace("@MODELS@", os.path.join(HERE, "models"))
        config = os.path.join(work, case + ".json")
        with open(config, "w") as f:
            f.write(text)
        with open(os.path.join(HERE, "bad-configs", case + ".expected")) as f:
            expected = f.read().strip().replace("@WORK@", work).replace("@MODELS@", os.path.join(HERE, "models"))
        result = subprocess.run(os.environ.get("MQTTD_WRAP", "").split() + [daemon_path(), config], capture_output=True, text=True, timeout=60)
        lines = result.stderr.strip().splitlines()
        want = "iotevents-mqttd: %s: %s" % (config, expected)
        if result.returncode != 2 or lines != [want]:
            failed += 1
            print("bad-configs %s: status %d, stderr %r; expected status 2 and %r" % (case, result.returncode, lines, want))
    print("bad-configs: %d passed, %d failed" % (len(cases) - failed, failed))
    assert failed == 0


def test_bad_outbox():
    """A damaged outbox file: a bad line before the last one stops the start (exit 2, the file
    and line named) instead of silently dropping actions; a torn last line (a crash while it was
    written) is dropped, and the actions before it are kept."""
    work = scratch("bad-outbox")
    good = json.dumps({"s": 1, "t": "out/x", "q": 1, "p": "kept"})
    cases = [("damaged-middle", "garbage\n" + good + "\n", 2, "mqttd-outbox: line 1 is damaged (not the last line)"),
             ("not-a-record", json.dumps({"x": 1}) + "\n", 2, "mqttd-outbox: line 1 is not an outbox record"),
             ("torn-last", good + "\n" + '{"s": 2, "t": "out/x", "q"', 0, None)]
    failed = 0
    for name, text, status, message in cases:
        state = os.path.join(work, name)
        os.makedirs(state)
        with open(os.path.join(state, "mqttd-outbox"), "w") as f:
            f.write(text)
        config = os.path.join(work, name + ".json")
        with open(config, "w") as f:
            json.dump({"broker": {"host": "127.0.0.1"}, "engine": {"stateDirectory": state},
                       "rules": [{"topicFilter": "a/+", "inputName": "I"}]}, f)
        result = subprocess.run(os.environ.get("MQTTD_WRAP", "").split() + [daemon_path(), "--check-config", config],
                                capture_output=True, text=True, timeout=60)
        lines = result.stderr.strip().splitlines()
        ok = result.returncode == status
        if message:
            ok = ok and lines == ["iotevents-mqttd: %s: %s/%s" % (config, state, message)]
        else:
            with open(os.path.join(state, "mqttd-outbox")) as f:
                ok = ok and [json.loads(line) for line in f] == [json.loads(good)]  # rewritten with the kept action only
        if not ok:
            failed += 1
            print("bad-outbox %s: status %d, stderr %r" % (name, result.returncode, lines))
    print("bad-outbox: %d passed, %d failed" % (len(cases) - failed, failed))
    assert failed == 0


def make_ca(work):
    """A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl."""
    d = os.path.join(work, "pki")
    os.makedirs(d)

    def run(*args):
        subprocess.run(["openssl"] + list(args), cwd=d, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=test-ca")
    for who in ("server", "client"):
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr", "-subj", "/CN=127.0.0.1")
        with open(os.path.join(d, who + ".ext"), "w") as f:
            f.write("subjectAltName=IP:127.0.0.1\n")
        run("x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", who + ".crt",
            "-days", "2", "-extfile", who + ".ext")
    return {"ca": d + "/ca.crt", "server_cert": d + "/server.crt", "server_key": d + "/server.key",
            "client_cert": d + "/client.crt", "client_key": d + "/client.key"}


def expect_never_connects(broker, config, work, name):
    """A daemon with `config` against `broker` fails every attempt and logs each one (whether
    libmosquitto ends the handshake inside mosquitto_connect or later, in the connection's loop);
    it never connects. Stops both."""
    daemon = Daemon(config, work, name)
    daemon.start()
    try:
        try:
            wait_for(lambda: daemon.log_text().count("cannot connect") >= 2, 30, "%s: two failed attempts logged" % name)
        except AssertionError as e:
            raise AssertionError("%s; the daemon's log:\n%s" % (e, daemon.log_text()))
        assert "connected to" not in daemon.log_text(), daemon.log_text()
        assert daemon.stop() == 0
    finally:
        daemon.stop()
        broker.stop()


def test_tls():
    """The motor scenario over TLS, the broker requiring a client certificate; then a daemon
    with another CA must not get in (it never consumes a message), nor one speaking TLS to a
    plain broker (which closes the socket mid-handshake)."""
    work = scratch("tls-pki")
    tls = make_ca(work)
    test_motor(tls=tls, name="tls")
    rules = [{"topicFilter": "motors/+/pressure", "inputName": "PressureInput"}]
    other = make_ca(os.path.join(work, "other"))
    broker = Broker(work, tls=tls)
    broker.start()
    config = base_config(broker, os.path.join(work, "state"), [MOTOR_MODELS], rules)
    config["broker"]["tls"]["caFile"] = other["ca"]  # a broker this CA did not sign
    expect_never_connects(broker, config, work, "wrong-ca")
    print("tls: a daemon trusting another CA never connects")
    plain = Broker(os.path.join(work, "plain"))
    plain.start()
    config = base_config(plain, os.path.join(work, "plain-state"), [MOTOR_MODELS], rules)
    config["broker"]["tls"] = {"caFile": tls["ca"], "certFile": tls["client_cert"], "keyFile": tls["client_key"]}
    expect_never_connects(plain, config, work, "tls-to-plain")
    print("tls: a daemon speaking TLS to a plain broker never connects, and logs every failed attempt")


def copy_counter_models(work):
    """A copy of the counter models the test may edit; returns its directory."""
    models = os.path.join(work, "models")
    os.makedirs(models)
    for name in os.listdir(COUNTER_MODELS):
        with open(os.path.join(COUNTER_MODELS, name)) as f, open(os.path.join(models, name), "w") as g:
            g.write(f.read())
    return models


def test_changed_while_down():
    """A model file edited while the daemon was stopped is applied when it starts again
    (UpdateDetectorModel: the counter's actions move to the new topic); restarted with the same
    files, nothing is updated and the detectors are kept (the count goes on)."""
    work = scratch("changed-while-down")
    models = copy_counter_models(work)
    broker = Broker(work)
    broker.start()
    sub = Subscriber(broker, "out/#", work)
    config = base_config(broker, os.path.join(work, "state"), [models],
                         [{"topicFilter": "seq/#", "inputName": "Seq", "messageIdPath": "id"}])
    daemons = []
    try:
        for run in range(3):
            daemon = Daemon(config, work, "run%d" % run)
            daemons.append(daemon)
            daemon.start()
            daemon.wait_connected()
            publish(broker, "seq/a", counter_payloads(1, 1, start=run + 1))
            topic = "out/counter" if run < 2 else "out/changed"
            wait_for(lambda: len(sub.messages(topic)) >= (run + 1 if run < 2 else 1), 10, "run %d's action" % run)
            assert daemon.stop() == 0
            log = daemon.log_text()
            last = json.loads(sub.messages(topic)[-1][1])
            if run < 2:
                assert "UpdateDetectorModel" not in log, log
                assert last["n"] == run + 1, last  # the detector kept its count across the restart
            else:
                assert "UpdateDetectorModel counter" in log and "UpdateInput" not in log, log
                assert last["n"] == 1, last  # an update starts the detectors again (AWS did too)
            if run == 1:
                path = os.path.join(models, "counter.json")
                with open(path) as f:
                    text = f.read()
                with open(path, "w") as f:
                    f.write(text.replace('"out/counter"', '"out/changed"'))
    finally:
        for daemon in daemons:
            daemon.stop()
        sub.stop()
        broker.stop()
    print("changed-while-down: a restart with the same files kept the model; a file changed while stopped was applied at start")


def test_reload():
    """SIGHUP applies a changed model file with UpdateDetectorModel: the counter's actions move
    to the topic the new version names; an unchanged file is left alone; a broken file is
    reported and the daemon keeps serving with what it had."""
    work = scratch("reload")
    models = copy_counter_models(work)
    broker = Broker(work)
    broker.start()
    sub = Subscriber(broker, "out/#", work)
    config = base_config(broker, os.path.join(work, "state"), [models],
                         [{"topicFilter": "seq/#", "inputName": "Seq", "messageIdPath": "id"}])
    daemon = Daemon(config, work)
    daemon.start()
    try:
        daemon.wait_connected()
        publish(broker, "seq/a", counter_payloads(1, 1))
        wait_for(lambda: sub.messages("out/counter"), 10, "the first action")
        path = os.path.join(models, "counter.json")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace('"out/counter"', '"out/reloaded"'))
        daemon.signal(signal.SIGHUP)
        wait_for(lambda: "UpdateDetectorModel counter" in daemon.log_text(), 10, "the update")
        assert "UpdateInput" not in daemon.log_text(), daemon.log_text()
        publish(broker, "seq/a", counter_payloads(1, 1, start=2))
        wait_for(lambda: sub.messages("out/reloaded"), 10, "an action of the new version")
        with open(path, "w") as f:
            f.write("{ broken")
        daemon.signal(signal.SIGHUP)
        wait_for(lambda: "reload: " in daemon.log_text(), 10, "the reload error")
        publish(broker, "seq/a", counter_payloads(1, 1, start=3))
        wait_for(lambda: len(sub.messages("out/reloaded")) >= 2, 10, "the daemon still serving")
        assert daemon.stop() == 0
    finally:
        daemon.stop()
        sub.stop()
        broker.stop()
    print("reload: SIGHUP updated the changed model (actions on its new topic), left the input alone, survived a broken file")


def counter_payloads(devices, per_device, start=1):
    payloads = []
    for seq in range(start, start + per_device):
        for d in range(devices):
            payloads.append(json.dumps({"id": "d%d-%d" % (d, seq), "device": "d%d" % d, "seq": seq}))
    return payloads


def start_publish(broker, topic, payloads):
    """mosquitto_pub -l in the background, one payload a line, QoS 1."""
    process = subprocess.Popen(["mosquitto_pub"] + broker.client_args() + ["-q", "1", "-t", topic, "-l"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.stdin.write("".join(p + "\n" for p in payloads).encode())
        process.stdin.close()
    except BrokenPipeError:
        pass
    return process


def handed_over_again(daemon):
    """How many actions the engine handed over again at the daemon's starts: those of calls and
    ticks interrupted before all their actions had reached the outbox (the daemon says so)."""
    marker = "the engine handed over "
    return sum(int(line.split(marker)[1].split(" ")[0]) for line in daemon.log_text().splitlines() if marker in line)


def check_counter_actions(sub, devices, per_device):
    """Every action at least once and, per device, in order: after dropping repeats the sequence
    numbers are 1..N, and n (the engine's count) equals seq (each message counted once). Returns
    (complete, duplicates)."""
    per = {}
    duplicates = 0
    for _, payload in sub.messages("out/counter"):
        doc = json.loads(payload)
        seen = per.setdefault(doc["device"], [])
        assert doc["n"] == doc["seq"], "a message counted twice or skipped: %s" % doc
        if seen and doc["seq"] <= seen[-1]:
            duplicates += 1  # a resend: at-least-once
            assert doc["seq"] in seen, doc
            continue
        expected = (seen[-1] if seen else 0) + 1
        assert doc["seq"] == expected, "device %s: seq %d after %s (lost or out of order)" % (doc["device"], doc["seq"], seen[-3:])
        seen.append(doc["seq"])
    complete = all((per.get("d%d" % d) or [0])[-1] == per_device for d in range(devices))
    return complete, duplicates


def test_crash(runs, devices=4, per_run=100):
    """Broker restarted mid-stream and the daemon kill -9'd at random moments, `runs` times; the
    publisher repeats what the broker did not acknowledge. Then: every device's count (read from
    the state directory) is exactly the number of messages published, and every action reached
    the subscriber at least once, in order per device. Reports the duplicates seen."""
    work = scratch("crash")
    broker = Broker(work)
    broker.start()
    sub = Subscriber(broker, "out/#", work)
    state = os.path.join(work, "state")
    config = base_config(broker, state, [COUNTER_MODELS],
                         [{"topicFilter": "seq/#", "inputName": "Seq", "messageIdPath": "id", "batchSize": 10}])
    daemon = Daemon(config, work)
    daemon.start()
    daemon.wait_connected()  # its session exists from here on, kept across kills and restarts
    rng = random.Random(int(os.environ.get("MQTTD_SEED", "27")))
    kills = restarts = 0
    try:
        for run in range(runs):
            payloads = counter_payloads(devices, per_run, start=run * per_run + 1)
            publisher = start_publish(broker, "seq/a", payloads)
            time.sleep(rng.uniform(0, 0.15))  # a random moment of the consumption
            if run % 3 == 1:  # the broker restarted mid-stream
                broker.stop()
                time.sleep(rng.uniform(0, 0.2))
                broker.start()
                restarts += 1
                time.sleep(rng.uniform(0, 0.1))
            daemon.kill()
            kills += 1
            daemon.start()
            if publisher.wait(timeout=60) != 0:  # the broker went away under it: all again
                publish(broker, "seq/a", payloads)
        total = runs * per_run
        wait_for(lambda: check_counter_actions(sub, devices, total)[0], 60, "every action")
        assert daemon.stop() == 0, daemon.log_text()[-2000:]
        complete, duplicates = check_counter_actions(sub, devices, total)
        assert complete
        counts = describe_detectors(state, "counter", ["d%d" % d for d in range(devices)])
        for key, (_, variables) in counts.items():
            assert variables["n"] == str(total), "%s counted %s messages, %d were published" % (key, variables["n"], total)
    finally:
        daemon.stop()
        sub.stop()
        broker.stop()
    print("crash: %d kill -9, %d broker restarts: %d messages each counted once by the engine; all %d actions delivered in "
          "order per device, %d duplicate deliveries; %d actions of interrupted calls handed over again by the engine at restarts"
          % (kills, restarts, total * devices, total * devices, duplicates, handed_over_again(daemon)))


def test_bench(messages, durability="always"):
    """One publisher (mosquitto_pub -l, QoS 1) -> broker -> daemon (batches of 10) -> engine ->
    an sns action per message -> broker -> one subscriber. Messages/s into the engine: messages
    over the time from the first publish to the last action's eventTime (the engine's evaluation
    time); actions/s to the subscriber: over the time until the last one arrived."""
    work = scratch("bench")
    broker = Broker(work)
    broker.start()
    sub = Subscriber(broker, "iotevents/actions/#", work)
    state = os.path.join(work, "state")
    config = base_config(broker, state, [os.path.join(HERE, "models", "bench")],
                         [{"topicFilter": "seq/#", "inputName": "Seq", "messageIdPath": "id", "batchSize": 10}])
    config["engine"]["durability"] = durability
    daemon = Daemon(config, work)
    daemon.start()
    try:
        daemon.wait_connected()
        payloads = counter_payloads(10, messages // 10)
        started = time.time()
        publish(broker, "seq/a", payloads)
        wait_for(lambda: len(sub.messages("iotevents/actions/sns")) >= len(payloads), 300, "every action")
        delivered = time.time()
        last_evaluation = max(json.loads(p)["eventTime"] for _, p in sub.messages("iotevents/actions/sns")) / 1000.0
        assert daemon.stop() == 0
    finally:
        daemon.stop()
        sub.stop()
        broker.stop()
    into_engine = len(payloads) / (last_evaluation - started)
    to_subscriber = len(payloads) / (delivered - started)
    print("bench-mqttd (durability %s, batches of 10): %d messages: %.0f messages/s publisher -> engine, %.0f actions/s to the subscriber"
          % (durability, len(payloads), into_engine, to_subscriber))


SCENARIOS = {
    "motor": lambda args: test_motor(),
    "bad-configs": lambda args: test_bad_configs(),
    "bad-outbox": lambda args: test_bad_outbox(),
    "bad-messages": lambda args: test_bad_messages(),
    "tls": lambda args: test_tls(),
    "timers": lambda args: test_timers(),
    "reconnect": lambda args: test_reconnect(),
    "timer-crash": lambda args: test_timer_crash(int(args[0]) if args else 5),
    "reload": lambda args: test_reload(),
    "changed-while-down": lambda args: test_changed_while_down(),
    "crash": lambda args: test_crash(int(args[0]) if args else 5),
    "bench": lambda args: test_bench(int(args[0]) if args else 2000, args[1] if len(args) > 1 else "always"),
}

if __name__ == "__main__":
    scenario = SCENARIOS.get(sys.argv[1] if len(sys.argv) > 1 else "")
    if scenario is None:
        sys.exit(__doc__)
    scenario(sys.argv[2:])
