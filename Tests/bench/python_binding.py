"""make bench, the Python rows: messages per second on the heartbeat workload (10-message
BatchPutMessage calls over 1 000 devices, base64 payloads) through

  * the C ABI directly (Tests/bench/heartbeat_workload.c, the baseline),
  * the binding's boto3-shaped client (`data.batch_put_message(messages=[...])`, bytes payloads),
    ten messages a call, and one message a call (the same messages),
  * the binding's Engine.call_raw with the request text prepared (the ctypes cost alone),
  * the same heartbeat state machine written with the `transitions` package from PyPI, as a
    Python developer would write it without this library (payload decoding, a per-device
    machine, the watchdog deadline and the counters, nothing more).

Every figure is measured in this one run, best of ROUNDS alternating rounds, and reported as a
ratio to the C baseline: wall-clock figures drift on these machines, their ratios much less.

    python_binding.py LIBRARY C_BENCH MODELS_DIR [CALLS] [JSON_OUT]
"""
import base64
import heapq
import json
import os
import subprocess
import sys
import time

KEYS, ROUNDS, WATCHDOG_MS = 1000, 3, 300000
START = 1700000000000


def messages_of(call):
    out = []
    for m in range(10):
        n = call * 10 + m
        payload = json.dumps({"deviceId": "dev-%d" % (n % KEYS), "battery": n % 100}, separators=(",", ":")).encode()
        out.append({"messageId": str(n), "inputName": "Heartbeat", "payload": payload})
    return out


def through_client(library, models, calls, per_call=10):
    import iotevents
    with iotevents.Engine(library=library, clock="manual", start_time_millis=START) as engine:
        control, data = engine.client("iotevents"), engine.client("iotevents-data")
        with open(os.path.join(models, "heartbeat-input.json")) as f:
            control.create_input(**json.load(f))
        with open(os.path.join(models, "heartbeat.json")) as f:
            control.create_detector_model(**json.load(f))
        batches = [messages_of(c) for c in range(calls)]
        if per_call == 1:
            batches = [[m] for batch in batches for m in batch]
        started = time.perf_counter()
        for messages in batches:
            data.batch_put_message(messages=messages)
        return calls * 10 / (time.perf_counter() - started)


def through_call_raw(library, models, calls):
    import iotevents
    with iotevents.Engine(library=library, clock="manual", start_time_millis=START) as engine:
        for op, name in (("CreateInput", "heartbeat-input.json"), ("CreateDetectorModel", "heartbeat.json")):
            with open(os.path.join(models, name)) as f:
                assert engine.call_raw(op, f.read())[0] == 0
        texts = []
        for c in range(calls):
            messages = [dict(m, payload=base64.b64encode(m["payload"]).decode()) for m in messages_of(c)]
            texts.append(json.dumps({"messages": messages}))
        started = time.perf_counter()
        for text in texts:
            engine.call_raw("BatchPutMessage", text)
        return calls * 10 / (time.perf_counter() - started)


def with_transitions(calls):
    """The heartbeat model by hand: Online/Offline per device, a 5-minute watchdog reset by each
    beat, beats and battery kept per device. Requests arrive as boto3 would send them."""
    from transitions import Machine

    class Device:
        def __init__(self, device_id):
            self.device_id, self.beats, self.battery, self.deadline = device_id, 0, None, 0

        def count(self, battery, now):
            self.beats += 1
            self.battery = battery
            self.deadline = now + WATCHDOG_MS

    machine = Machine(states=["Online", "Offline"], initial="Online", auto_transitions=False,
                      transitions=[{"trigger": "beat", "source": ["Online", "Offline"], "dest": "Online",
                                    "after": "count"},
                                   {"trigger": "timeout", "source": "Online", "dest": "Offline"}])
    devices, deadlines, now = {}, [], START
    wire = [json.dumps({"messages": [dict(m, payload=base64.b64encode(m["payload"]).decode())
                                     for m in messages_of(c)]}) for c in range(calls)]
    started = time.perf_counter()
    for text in wire:
        while deadlines and deadlines[0][0] <= now:  # due watchdogs first, as the engine does
            due, device_id = heapq.heappop(deadlines)
            device = devices[device_id]
            if device.deadline == due and device.state == "Online":
                device.timeout()
        for message in json.loads(text)["messages"]:
            payload = json.loads(base64.b64decode(message["payload"]))
            device_id = payload["deviceId"]
            device = devices.get(device_id)
            if device is None:
                device = devices[device_id] = Device(device_id)
                machine.add_model(device)
            device.beat(payload["battery"], now)
            heapq.heappush(deadlines, (device.deadline, device_id))
    return calls * 10 / (time.perf_counter() - started)


def through_c(c_bench, models, calls):
    out = subprocess.run([c_bench, models, str(calls), str(KEYS)], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def main():
    library, c_bench, models = sys.argv[1:4]
    calls = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
    json_out = sys.argv[5] if len(sys.argv) > 5 else None
    rows = {"C ABI (baseline)": lambda: through_c(c_bench, models, calls),
            "Python client (batch_put_message)": lambda: through_client(library, models, calls),
            "Python client, one message a call": lambda: through_client(library, models, calls, per_call=1),
            "Python Engine.call_raw": lambda: through_call_raw(library, models, calls),
            "transitions package, by hand": lambda: with_transitions(calls)}
    best = {name: 0.0 for name in rows}
    for _ in range(ROUNDS):
        for name, run in rows.items():
            best[name] = max(best[name], run())
    baseline = best["C ABI (baseline)"]
    print("| heartbeat workload, %d x 10 messages, %d keys | messages/s | vs C ABI |" % (calls, KEYS))
    print("|---|---:|---:|")
    for name, rate in best.items():
        print("| %s | %.0f | %.2f |" % (name, rate, rate / baseline))
    client, hand = best["Python client (batch_put_message)"], best["transitions package, by hand"]
    print("(the binding's client runs the model at %.1fx the speed of the transitions version)" % (client / hand))
    if json_out:
        with open(json_out, "w") as f:
            json.dump([{"figure": name, "messages_per_second": round(rate), "ratio_to_c": round(rate / baseline, 3)}
                       for name, rate in best.items()], f, indent=1)


if __name__ == "__main__":
    main()
