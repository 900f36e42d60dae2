#!/bin/sh
# make bench-analysis: callgrind instructions of one StartDetectorModelAnalysis of a model of 20
# states and 50 variables (Tests/bench/analysis.c generates it), the mean of 20 after one
# uncounted, in both profiles. Writes build/bench/analysis.json.
#   analysis.sh ANALYSIS_BINARY BUILD_DIR
set -eu
bench=$1; out=$2
copies=20
count() { # profile: instructions of COPIES analyses
    SWIFT_DETERMINISTIC_HASHING=1 LD_LIBRARY_PATH=$out/$1 valgrind --tool=callgrind --toggle-collect=measured_analyses \
        --callgrind-out-file=/dev/null "$bench" $copies 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
mkdir -p "$out/bench"
echo "| StartDetectorModelAnalysis, 20 states and 50 variables | profile | instructions per analysis |"
echo "|---|---|---:|"
printf '[' > "$out/bench/analysis.json"; sep=""
for p in standard small; do
    n=$(count $p)
    [ -n "$n" ] || { echo "analysis bench failed ($p)" >&2; exit 1; }
    per=$(( n / copies ))
    echo "| analysis | $p | $per |"
    printf '%s{"profile":"%s","instructions_per_analysis":%d}' "$sep" "$p" "$per" >> "$out/bench/analysis.json"; sep=","
done
echo "]" >> "$out/bench/analysis.json"
