#!/bin/sh
# make bench: instruction counts (callgrind; they repeat exactly on this noisy machine) per call,
# each figure beside its baseline measured in the same run, for both profiles.
#   run.sh BENCH_BINARY BUILD_DIR N
set -eu
bench=$1
out=$2
n=${3:-2000}
count() { # profile mode n
    LD_LIBRARY_PATH=$out/$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" "$2" "$3" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
mkdir -p "$out/bench"
json="$out/bench/results.json"
echo "| figure | profile | engine instr/call | baseline instr/call | ratio |"
echo "|---|---|---:|---:|---:|"
printf '[' > "$json"
sep=""
for p in standard small; do
    e=$(( ($(count $p engine "$n") - $(count $p engine 0)) / n ))
    b=$(( ($(count $p baseline "$n") - $(count $p baseline 0)) / n ))
    ratio=$(awk "BEGIN { printf \"%.2f\", $e / $b }")
    echo "| DescribeInput | $p | $e | $b | $ratio |"
    printf '%s{"figure":"DescribeInput","profile":"%s","engine":%d,"baseline":%d,"ratio":%s}' "$sep" "$p" "$e" "$b" "$ratio" >> "$json"
    sep=","
done
echo "]" >> "$json"
echo "(written to $json; baseline = jansson parse of the request + build and dump of the same response)"
