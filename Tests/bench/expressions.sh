#!/bin/sh
# make bench-expressions: expression evaluation cost, each figure beside its hand-written baseline.
#   expressions.sh BENCH_BINARY BUILD_DIR
set -eu
bench=$1
out=$2
n=20000
count() { # args... -> instructions
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" "$@" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
mkdir -p "$out/bench"
json="$out/bench/expressions.json"
echo
echo "Expression evaluation (callgrind instructions per evaluation; the baseline is the same logic hand-written in Swift)"
echo "| case | instr/eval | baseline instr/eval | ratio |"
echo "|---|---:|---:|---:|"
printf '[' > "$json"
sep=""
names="threshold-compare and-of-two-compares arithmetic-then-compare template-json-payload"
c=0
for name in $names; do
    e=$(( ($(count $c $n) - $(count $c 0)) / n ))
    b=$(( ($(count baseline $c $n) - $(count baseline $c 0)) / n ))
    ratio=$(awk "BEGIN { printf \"%.2f\", $e / $b }")
    echo "| $name | $e | $b | $ratio |"
    printf '%s{"case":"%s","engine":%d,"baseline":%d,"ratio":%s}' "$sep" "$name" "$e" "$b" "$ratio" >> "$json"
    sep=","
    c=$((c + 1))
done
echo "]" >> "$json"
echo
echo "Wall clock (best of 5 rounds of 1,000,000; for information, this machine drifts):"
"$bench"
