"""What the cluster tests start and stop: a nats-server cluster with JetStream on loopback, and
`iotevents cluster worker` processes. Everything lives in one scratch directory, on ports the
kernel picked, and is stopped by the test (or at exit)."""
import atexit
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))

from iotevents.cluster import names  # noqa: E402

_STARTED = []


def _cleanup():
    for process in _STARTED:
        if process.poll() is None:
            process.kill()
            process.wait()


atexit.register(_cleanup)


def free_ports(count):
    sockets, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))


class NatsCluster:
    """Three (or N) nats-server nodes with JetStream, routes between them, and the mapping
    that partitions iotevents.in.<input>.<key> by key."""

    def __init__(self, scratch, partitions, nodes=3):
        self.scratch = scratch
        ports = free_ports(2 * nodes)
        self.client_ports, self.route_ports = ports[:nodes], ports[nodes:]
        self.processes = [None] * nodes
        source, destination = names.subject_mapping(partitions)
        for i in range(nodes):
            routes = ", ".join("nats-route://127.0.0.1:%d" % p for j, p in enumerate(self.route_ports) if j != i)
            with open(self.config(i), "w") as f:
                f.write('server_name: n%d\nlisten: 127.0.0.1:%d\n' % (i + 1, self.client_ports[i]))
                f.write('jetstream { store_dir: "%s", max_memory_store: 64MB, max_file_store: 2GB }\n'
                        % os.path.join(scratch, "js-n%d" % (i + 1)))
                f.write('cluster { name: iotevents, listen: 127.0.0.1:%d, routes: [%s] }\n' % (self.route_ports[i], routes))
                f.write('mappings = { "%s": "%s" }\n' % (source, destination))

    def config(self, i):
        return os.path.join(self.scratch, "n%d.conf" % (i + 1))

    @property
    def urls(self):
        return ["nats://127.0.0.1:%d" % p for p in self.client_ports]

    def start(self, i=None):
        for n in ([i] if i is not None else range(len(self.processes))):
            log = open(os.path.join(self.scratch, "n%d.log" % (n + 1)), "a")
            process = subprocess.Popen(["nats-server", "-c", self.config(n)], stdout=log, stderr=subprocess.STDOUT)
            _STARTED.append(process)
            self.processes[n] = process
        for n in ([i] if i is not None else range(len(self.processes))):
            wait_for(lambda: self._listening(n), 20, "nats-server n%d" % (n + 1))

    def _listening(self, n):
        try:
            socket.create_connection(("127.0.0.1", self.client_ports[n]), timeout=0.5).close()
            return True
        except OSError:
            return False

    def stop(self, i):
        """Stops one node cleanly (SIGTERM), as an operator restarting it would."""
        process = self.processes[i]
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    def stop_all(self):
        for process in self.processes:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


class Worker:
    """One `iotevents cluster worker` process, its stderr in the scratch directory."""

    def __init__(self, scratch, name, servers, engine_config, python, extra=()):
        self.name = name
        self.log_path = os.path.join(scratch, "%s.log" % name)
        config = os.path.join(scratch, "engine.json")
        env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings", "python"), PYTHONUNBUFFERED="1")
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [python, "-m", "iotevents", "cluster", "worker", "--name", name, "--servers", ",".join(servers),
                 "--engine-config", config] + list(extra), stdout=log, stderr=subprocess.STDOUT, env=env)
        _STARTED.append(self.process)

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        """SIGTERM: the worker hands every partition over (last snapshots) and exits."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=120)

    def log(self):
        with open(self.log_path) as f:
            return f.read()


def scratch(label):
    base = os.path.join(ROOT, "build", "cluster-tests")
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix=label + "-", dir=base)
