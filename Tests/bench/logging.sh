#!/bin/sh
# make bench-logging (issue 28): what logging costs the message path, in callgrind instructions
# per message (Tests/bench/message_path.c, small payloads, 10 000 keys): no log handler (the
# default), a handler with logging disabled, then PutLoggingOptions at ERROR, INFO and DEBUG
# (the handler only counts the records' bytes). "Off" rows must equal the first within noise.
#   logging.sh BENCH_BINARY BUILD_DIR [CALLS] [KEYS]
set -eu
bench=$1
out=$2
calls=${3:-1000}
keys=${4:-10000}
messages=$((calls * 10))
count() { # profile logging
    MESSAGE_PATH_LOGGING=$2 SWIFT_DETERMINISTIC_HASHING=1 LD_LIBRARY_PATH=$out/$1 valgrind --tool=callgrind \
        --toggle-collect=measured_calls --callgrind-out-file=/dev/null \
        "$bench" engine examples/models "$calls" "$keys" small 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
mkdir -p "$out/bench"
json="$out/bench/logging.json"
echo "| logging ($keys keys, $messages messages measured) | profile | engine instr/msg | ratio to no handler |"
echo "|---|---|---:|---:|"
printf '[' > "$json"
sep=""
for p in standard small; do
    base=$(( $(count $p "") / messages ))
    for level in none handler ERROR INFO DEBUG; do
        if [ $level = none ]; then e=$base; else e=$(( $(count $p $level) / messages )); fi
        ratio=$(awk "BEGIN { printf \"%.3f\", $e / $base }")
        echo "| $level | $p | $e | $ratio |"
        printf '%s{"figure":"logging","profile":"%s","level":"%s","engine":%d,"ratio":%s}' "$sep" "$p" "$level" "$e" "$ratio" >> "$json"
        sep=","
    done
done
echo "]" >> "$json"
echo "(written to $json; none = no log handler, handler = a handler with logging disabled)"
