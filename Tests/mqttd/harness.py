"""What the iotevents-mqttd tests share: a real mosquitto broker on a free loopback port (started
and stopped by the test), subscribers and publishers (the mosquitto clients), the daemon itself.
Standard-library Python only."""
import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


class Broker:
    """mosquitto with persistence (a restart keeps persistent sessions and their queues)."""

    def __init__(self, workdir, tls=None):
        self.dir = os.path.join(workdir, "broker")
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        self.tls = tls
        self.process = None
        lines = ["listener %d 127.0.0.1" % self.port, "allow_anonymous true", "persistence true",
                 "persistence_location %s/" % self.dir, "log_dest file %s/broker.log" % self.dir,
                 "max_queued_messages 100000", "max_inflight_messages 20",
                 # run as root, mosquitto would switch to the user mosquitto, who cannot write here
                 "user " + getpass.getuser()]
        if tls:
            lines += ["cafile " + tls["ca"], "certfile " + tls["server_cert"], "keyfile " + tls["server_key"],
                      "require_certificate true"]
        self.conf = os.path.join(self.dir, "mosquitto.conf")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self):
        self.process = subprocess.Popen(["mosquitto", "-c", self.conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def listening():
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return True
            except OSError:
                return False
        wait_for(listening, 10, "the broker on port %d" % self.port)

    def stop(self):
        """SIGTERM: mosquitto writes its persistence file, then exits."""
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client_args(self):
        args = ["-h", "127.0.0.1", "-p", str(self.port)]
        if self.tls:
            args += ["--cafile", self.tls["ca"], "--cert", self.tls["client_cert"], "--key", self.tls["client_key"]]
        return args


class Subscriber:
    """mosquitto_sub with a persistent session at QoS 1: it reconnects after a broker restart and
    gets what was queued meanwhile. Lines are 'topic payload'."""

    def __init__(self, broker, topic, workdir, client_id="test-subscriber"):
        self.path = os.path.join(workdir, client_id + ".out")
        self.out = open(self.path, "wb")
        self.process = subprocess.Popen(["mosquitto_sub"] + broker.client_args() +
                                        ["-q", "1", "-c", "-i", client_id, "-v", "-t", topic, "-t", "probe/" + client_id],
                                        stdout=self.out, stderr=subprocess.DEVNULL)
        # ready when its own probe comes back
        deadline = time.time() + 10
        while time.time() < deadline and "probe/" + client_id not in self.text():
            publish(broker, "probe/" + client_id, ["ready"])
            time.sleep(0.1)
        assert "probe/" + client_id in self.text(), "the subscriber never connected"

    def text(self):
        self.out.flush()
        with open(self.path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def messages(self, topic_prefix):
        found = []
        for line in self.text().splitlines():
            topic, _, payload = line.partition(" ")
            if topic.startswith(topic_prefix):
                found.append((topic, payload))
        return found

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.out.close()


def publish(broker, topic, payloads, retries=100):
    """Publishes each payload at QoS 1 (mosquitto_pub -l waits for every PUBACK); the whole list is
    sent again when the broker is down (the daemon must take a repeated messageId once)."""
    data = "".join(p + "\n" for p in payloads).encode()
    for _ in range(retries):
        result = subprocess.run(["mosquitto_pub"] + broker.client_args() + ["-q", "1", "-t", topic, "-l"],
                                input=data, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        if result.returncode == 0:
            return
        time.sleep(0.1)
    raise AssertionError("could not publish to " + topic)


def daemon_path():
    return os.environ.get("MQTTD", os.path.join(ROOT, "build", "iotevents-mqttd"))


class Daemon:
    def __init__(self, config, workdir, name="daemon"):
        self.config_path = os.path.join(workdir, name + ".json")
        with open(self.config_path, "w") as f:
            json.dump(config, f, indent=1)
        self.log_path = os.path.join(workdir, name + ".log")
        self.process = None

    def start(self):
        self.log = open(self.log_path, "ab")
        wrapper = os.environ.get("MQTTD_WRAP", "").split()  # e.g. valgrind and its options
        self.process = subprocess.Popen(wrapper + [daemon_path(), self.config_path], stdout=self.log, stderr=self.log)

    def wait_connected(self, timeout=30):
        """Until the daemon has connected (and sent its subscriptions): messages published before
        its session first exists would not be kept for it."""
        wait_for(lambda: "connected to" in self.log_text(), timeout, "the daemon to connect")
        time.sleep(0.2)

    def signal(self, number):
        self.process.send_signal(number)

    def stop(self, timeout=30):
        """SIGTERM and the exit status (the daemon drains its outbox first)."""
        if not self.process:
            return None
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=timeout)
        self.process = None
        self.log.close()
        return status

    def kill(self):
        assert self.process.poll() is None, "the daemon had exited (%s): %s" % (self.process.returncode, self.log_text()[-1500:])
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None
        self.log.close()

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


def base_config(broker, state_dir, models, rules, **extra):
    config = {"broker": {"host": "127.0.0.1", "port": broker.port, "clientId": "mqttd-under-test",
                         "cleanSession": False, "reconnectMinMillis": 50, "reconnectMaxMillis": 500},
              "engine": {"stateDirectory": state_dir},
              "models": models, "rules": rules, "status": {"intervalSeconds": 1}}
    if broker.tls:
        config["broker"]["tls"] = {"caFile": broker.tls["ca"], "certFile": broker.tls["client_cert"],
                                   "keyFile": broker.tls["client_key"]}
    config.update(extra)
    return config


def scratch(name):
    path = os.path.join(ROOT, "build", "mqttd-tests", name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def describe_detectors(state_dir, model, keys):
    """Opens the (stopped) daemon's state directory with the Python binding and reads variable n
    ... or the whole state of each keyed detector."""
    import sys
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    from iotevents.engine import Engine
    library = os.environ.get("IOTEVENTS_LIBRARY", os.path.join(ROOT, "build", "standard", "libiotevents.so.0"))
    engine = Engine(library=library, state_directory=state_dir)
    try:
        found = {}
        for key in keys:
            detector = engine.call("DescribeDetector", {"detectorModelName": model, "keyValue": key})["detector"]
            found[key] = (detector["state"]["stateName"],
                          {v["name"]: v["value"] for v in detector["state"]["variables"]})
        return found
    finally:
        engine.close()


def tempdir():
    return tempfile.mkdtemp(prefix="mqttd-")
