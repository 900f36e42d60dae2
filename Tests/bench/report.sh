#!/bin/sh
# make bench-report: the rows of the performance issue that the other make bench tables do not
# give, each for both profiles (LD_LIBRARY_PATH picks build/standard or build/small) and, where
# one exists, beside a baseline measured in the same run. Prints one markdown table (progress on
# stderr), writes BUILD_DIR/bench/report.json.
#   1 throughput: heartbeat workload (heartbeat_workload.c: 3000 BatchPutMessage calls of 10
#     messages, 10 000 keys, timed from the first call, detectors created on the way), and the
#     same requests once the detectors exist (message_path.c engine heartbeat wall: 3000 calls
#     warm up, the next 3000 are timed), messages/s, best of 5 rounds; baseline: the JSON work
#     of the same requests (message_path.c baseline heartbeat wall), timed as the latter, in the
#     same rounds
#   2 latency of a 1-message BatchPutMessage (latency.c): instructions/call (callgrind, 2000
#     calls) and p50/p99 of 20 000 timed calls; baseline: the JSON work of the same request
#   3 memory per detector at 100 000 and at LARGE detectors (detector_memory.c)        [long]
#   4 one iotevents_tick firing LARGE due watchdogs (maxEvaluationsPerCall raised to its maximum,
#     one tick), iotevents_next_deadline with LARGE pending (timers_at_scale.c)        [long]
#   5 ListDetectors unfiltered page of 100 and DescribeDetector at LARGE detectors
#     (pages_at_scale.c); baseline: jansson parse of the request + dump of the response  [long]
#   6 CreateDetectorModel instructions/call (model_load.c, callgrind) of the heartbeat model and of
#     the largest detector model in Tests/cases/*/; baseline: jansson parse + response dump
#   7 stripped size of each library (as make size)
# LARGE is 1 000 000, or 100 000 with BENCH_SCALE=small (a quick check; the [long] rows).
# Wall-clock rows move with the machine's load; instruction counts repeat (run with
# SWIFT_DETERMINISTIC_HASHING=1).
#   Tests/bench/report.sh BUILD_DIR
set -eu
out=${1:-build}
models=examples/models
scale=${BENCH_SCALE:-full}
if [ "$scale" = small ]; then large=100000; else large=1000000; fi
mkdir -p "$out/bench"
rows=$(mktemp); json=$(mktemp); trap 'rm -f "$rows" "$json"' EXIT
started=$(date +%s)
say() { echo "report: $*" >&2; }

run() { # PROFILE PROGRAM ARGS...: the program's output, run against PROFILE's library
    _p=$1; shift
    LD_LIBRARY_PATH=$out/$_p "$@"
}
count() { # PROFILE FUNCTION PROGRAM ARGS...: instructions callgrind counts inside FUNCTION
    _p=$1; _f=$2; shift 2
    SWIFT_DETERMINISTIC_HASHING=1 LD_LIBRARY_PATH=$out/$_p valgrind --tool=callgrind --toggle-collect="$_f" \
        --callgrind-out-file=/dev/null "$@" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
div() { awk "BEGIN { if ($2 == 0) print \"-\"; else printf \"%.${3:-2}f\", $1 / $2 }"; }
max() { awk "BEGIN { print ($1 > $2) ? $1 : $2 }"; }
field() { echo "$1" | awk "{ print \$$2 }"; }

# pair NUM FIGURE UNIT STANDARD SMALL [BASELINE_STANDARD BASELINE_SMALL]: a row for each profile,
# each beside its baseline ("-": none) with value/baseline, and small/standard on the small row.
sep=""
pair() { # (sh has no local variables: every name here starts with _)
    _n=$1; _figure=$2; _unit=$3; _std=$4; _sml=$5; _bstd=${6:--}; _bsml=${7:--}
    for _p in standard small; do
        if [ $_p = standard ]; then _v=$_std; _b=$_bstd; _vs="-"; else _v=$_sml; _b=$_bsml; _vs=$(div "$_sml" "$_std"); fi
        if [ "$_b" = - ]; then _r="-"; _bj=null; _rj=null; else _r=$(div "$_v" "$_b"); _bj=$_b; _rj=$_r; fi
        if [ "$_vs" = - ]; then _vj=null; else _vj=$_vs; fi
        echo "| $_n | $_figure | $_p | $_v | $_b | $_r | $_vs | $_unit |" >> "$rows"
        printf '%s\n  {"row":%s,"figure":"%s","profile":"%s","value":%s,"unit":"%s","baseline":%s,"ratio_to_baseline":%s,"small_to_standard":%s}' \
            "$sep" "$_n" "$_figure" "$_p" "$_v" "$_unit" "$_bj" "$_rj" "$_vj" >> "$json"
        sep=","
    done
}

# 1. Throughput, best of 5 rounds; each round runs both profiles' engine and the baseline.
say "1 throughput (5 rounds)"
t_std=0; t_sml=0; w_std=0; w_sml=0; t_base=0
for round in 1 2 3 4 5; do
    t_std=$(max "$t_std" "$(run standard "$out/heartbeat-workload" $models 3000 10000)")
    t_sml=$(max "$t_sml" "$(run small "$out/heartbeat-workload" $models 3000 10000)")
    w_std=$(max "$w_std" "$(run standard "$out/message-path" engine $models 3000 10000 heartbeat wall)")
    w_sml=$(max "$w_sml" "$(run small "$out/message-path" engine $models 3000 10000 heartbeat wall)")
    t_base=$(max "$t_base" "$(run standard "$out/message-path" baseline $models 3000 10000 heartbeat wall)")
done
pair 1 "heartbeat workload, 3000 calls of 10 messages, 10 000 keys, from no detectors (best of 5)" "messages/s" \
    "$t_std" "$t_sml" "$t_base" "$t_base"
pair 1 "the same requests once all 10 000 detectors exist (message_path engine, after 3000 calls; best of 5)" "messages/s" \
    "$w_std" "$w_sml" "$t_base" "$t_base"

# 2. Single-message latency.
say "2 latency"
base_i=$(( $(count standard measured_calls "$out/latency" baseline $models 2000 1000 count) / 2000 ))
std_i=$(( $(count standard measured_calls "$out/latency" engine $models 2000 1000 count) / 2000 ))
sml_i=$(( $(count small measured_calls "$out/latency" engine $models 2000 1000 count) / 2000 ))
pair 2 "BatchPutMessage of 1 message, instructions/call (callgrind)" "instructions" "$std_i" "$sml_i" "$base_i" "$base_i"
base_w=$(run standard "$out/latency" baseline $models 20000 1000 wall)
std_w=$(run standard "$out/latency" engine $models 20000 1000 wall)
sml_w=$(run small "$out/latency" engine $models 20000 1000 wall)
us() { awk "BEGIN { printf \"%.2f\", $1 / 1000 }"; }
pair 2 "BatchPutMessage of 1 message, p50 of 20 000 calls" "µs" "$(us "$(field "$std_w" 1)")" "$(us "$(field "$sml_w" 1)")" \
    "$(us "$(field "$base_w" 1)")" "$(us "$(field "$base_w" 1)")"
pair 2 "BatchPutMessage of 1 message, p99 of 20 000 calls" "µs" "$(us "$(field "$std_w" 2)")" "$(us "$(field "$sml_w" 2)")" \
    "$(us "$(field "$base_w" 2)")" "$(us "$(field "$base_w" 2)")"

# 3. Memory per detector.
sizes=100000; [ "$large" = 100000 ] || sizes="100000 $large"
for n in $sizes; do
    say "3 memory at $n detectors"
    m_std=$(run standard "$out/detector-memory" $models $n); m_sml=$(run small "$out/detector-memory" $models $n)
    pair 3 "memory per detector at $n detectors, resident (VmRSS)" "bytes" "$(field "$m_std" 1)" "$(field "$m_sml" 1)"
    pair 3 "memory per detector at $n detectors, malloc in use (mallinfo2)" "bytes" "$(field "$m_std" 2)" "$(field "$m_sml" 2)"
done

# 4. Timers.
say "4 timers at $large"
x_std=$(run standard "$out/timers-at-scale" $models $large); x_sml=$(run small "$out/timers-at-scale" $models $large)
pair 4 "one iotevents_tick firing $large watchdogs (maxEvaluationsPerCall 100000000)" "ms" "$(field "$x_std" 1)" "$(field "$x_sml" 1)"
pair 4 "iotevents_next_deadline, $large timers pending (mean of 100 000)" "ns" "$(field "$x_std" 2)" "$(field "$x_sml" 2)"

# 5. ListDetectors and DescribeDetector.
say "5 pages at $large"
l_std=$(run standard "$out/pages-at-scale" $models $large); l_sml=$(run small "$out/pages-at-scale" $models $large)
pair 5 "ListDetectors unfiltered page of 100 at $large detectors (median of 21)" "µs" "$(field "$l_std" 1)" "$(field "$l_sml" 1)" \
    "$(field "$l_std" 2)" "$(field "$l_sml" 2)"
pair 5 "DescribeDetector at $large detectors (median of 1001)" "µs" "$(field "$l_std" 3)" "$(field "$l_sml" 3)" \
    "$(field "$l_std" 4)" "$(field "$l_sml" 4)"

# 6. Model load: the heartbeat model and the largest detector model of the cases.
say "6 model load"
largest=$(ls -S Tests/cases/*/*.json | while read -r f; do
    if grep -q '"detectorModelDefinition"' "$f"; then echo "$f"; break; fi; done)
largest_inputs=$(grep -l '"inputDefinition"' "$(dirname "$largest")"/*.json)
for m in heartbeat largest; do
    if [ $m = heartbeat ]; then model=$models/heartbeat.json; inputs=$models/heartbeat-input.json
    else model=$largest; inputs=$largest_inputs; fi
    # shellcheck disable=SC2086 # inputs: one word per file
    b=$(( $(count standard measured_creates "$out/model-load" baseline "$model" 20 $inputs) / 20 ))
    # shellcheck disable=SC2086
    s=$(( $(count standard measured_creates "$out/model-load" engine "$model" 20 $inputs) / 20 ))
    # shellcheck disable=SC2086
    l=$(( $(count small measured_creates "$out/model-load" engine "$model" 20 $inputs) / 20 ))
    pair 6 "CreateDetectorModel $model ($(stat -c %s "$model") bytes), instructions/call" "instructions" "$s" "$l" "$b" "$b"
done

# 7. Size.
say "7 size"
for p in standard small; do
    strip --strip-unneeded -o "$out/bench/stripped-$p.so" "$out/$p/libiotevents.so.0"
    eval "size_$p=$(stat -c %s "$out/bench/stripped-$p.so")"
    rm -f "$out/bench/stripped-$p.so"
done
# shellcheck disable=SC2154 # set by the eval above
pair 7 "libiotevents.so stripped (strip --strip-unneeded)" "bytes" "$size_standard" "$size_small"

seconds=$(( $(date +%s) - started ))
echo "| # | figure | profile | value | baseline (same run) | value / baseline | small / standard | unit |"
echo "|---|---|---|---:|---:|---:|---:|---|"
cat "$rows"
{ printf '{"scale":"%s","large":%s,"seconds":%s,"rows":[' "$scale" "$large" "$seconds"; cat "$json"; printf '\n]}\n'; } > "$out/bench/report.json"
echo "(scale $scale: long rows at $large detectors; $seconds s; written to $out/bench/report.json)"
