#!/bin/sh
# make bench-messages: callgrind instructions per message of BatchPutMessage (10 messages a call,
# heartbeat and threshold models, KEYS keys) beside the JSON work any implementation must do
# (Tests/bench/message_path.c), for both profiles and both payload sizes. Instruction counts do
# not depend on the machine's load; only the measured phase is counted (--toggle-collect). With
# SWIFT_DETERMINISTIC_HASHING the engine's count still varies by up to ~400 per message (0.7 %)
# between runs of the same build (measured: 61 382 to 61 795), so smaller changes need several
# runs to show; the baseline repeats within a few instructions.
#   message_path.sh BENCH_BINARY BUILD_DIR [CALLS] [KEYS]
set -eu
bench=$1
out=$2
calls=${3:-1000}
keys=${4:-10000}
count() { # profile mode size
    SWIFT_DETERMINISTIC_HASHING=1 LD_LIBRARY_PATH=$out/$1 valgrind --tool=callgrind --toggle-collect=measured_calls --callgrind-out-file=/dev/null \
        "$bench" "$2" examples/models "$calls" "$keys" "$3" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
mkdir -p "$out/bench"
json="$out/bench/messages.json"
messages=$((calls * 10))
b_small=$(( $(count standard baseline small) / messages ))
b_large=$(( $(count standard baseline large) / messages ))
echo "| message path ($keys keys, $messages messages measured) | profile | payloads | engine instr/msg | baseline instr/msg | ratio |"
echo "|---|---|---|---:|---:|---:|"
printf '[' > "$json"
sep=""
for p in standard small; do
    for size in small large; do
        e=$(( $(count $p engine $size) / messages ))
        if [ $size = small ]; then b=$b_small; else b=$b_large; fi
        ratio=$(awk "BEGIN { printf \"%.2f\", $e / $b }")
        echo "| BatchPutMessage | $p | $size | $e | $b | $ratio |"
        printf '%s{"figure":"BatchPutMessage","profile":"%s","payloads":"%s","engine":%d,"baseline":%d,"ratio":%s}' \
            "$sep" "$p" "$size" "$e" "$b" "$ratio" >> "$json"
        sep=","
    done
done
echo "]" >> "$json"
echo "(written to $json; small = ~50-byte base64 payloads, large = ~1 KB payloads, half base64, half JSON objects)"
