#!/bin/sh
# make bench-replay: messages/s of `iotevents replay` (the command line, on the standard and the
# small library): MESSAGES heartbeat messages (default 1 000 000; BENCH_SCALE=small: 100 000) from
# 1 000 devices, one a second, so that every device's 300 s watchdog fires between its beats (a
# transition and an action each time), replayed into a fresh state directory with --format json.
#   replay.sh BUILD_DIR [MESSAGES]
set -eu
out=$1
if [ "${BENCH_SCALE:-}" = small ]; then default=100000; else default=1000000; fi
messages=${2:-$default}
work=$out/bench/replay; rm -rf "$work"; mkdir -p "$work"
python3 - "$work/messages.jsonl" "$messages" <<'PY'
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        f.write(json.dumps({"inputName": "Heartbeat", "payload": {"deviceId": "dev-%d" % (i % 1000), "battery": i % 100},
                            "timestamp": 1700000000000 + 1000 * i}) + "\n")
PY
echo "| iotevents replay, $messages heartbeat messages, 1 000 devices | profile | seconds | messages/s | transcript lines |"
echo "|---|---|---:|---:|---:|"
printf '[' > "$out/bench/replay.json"; sep=""
for p in standard small; do
    state=$work/state-$p; rm -rf "$state"
    python3 - "$out/$p/libiotevents.so.0" "$state" <<'PY'
import json, sys
sys.path.insert(0, "bindings/python")
import iotevents
with iotevents.Engine(library=sys.argv[1], state_directory=sys.argv[2], clock="manual", start_time_millis=1700000000000) as e:
    e.call("CreateInput", json.load(open("examples/models/heartbeat-input.json")))
    e.call("CreateDetectorModel", json.load(open("examples/models/heartbeat.json")))
PY
    start=$(date +%s.%N)
    IOTEVENTS_LIBRARY=$out/$p/libiotevents.so.0 PYTHONPATH=bindings/python python3 -m iotevents replay \
        --state-directory "$state" --format json "$work/messages.jsonl" > "$work/transcript-$p.jsonl"
    end=$(date +%s.%N)
    seconds=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
    rate=$(awk "BEGIN { printf \"%d\", $messages / ($end - $start) }")
    lines=$(wc -l < "$work/transcript-$p.jsonl")
    echo "| messages/s through the command line | $p | $seconds | $rate | $lines |"
    printf '%s{"profile":"%s","messages":%d,"seconds":%s,"messages_per_second":%d}' "$sep" "$p" "$messages" "$seconds" "$rate" >> "$out/bench/replay.json"; sep=","
done
echo "]" >> "$out/bench/replay.json"
cmp -s "$work/transcript-standard.jsonl" "$work/transcript-small.jsonl" && echo "(both profiles gave the same transcript)" \
    || { echo "the profiles' transcripts differ"; exit 1; }
