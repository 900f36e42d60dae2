#!/bin/sh
# make bench-listing: callgrind instructions of a ListDetectors page (100 detectors) filtered by
# state, and of an unfiltered one, with 10 000 and with 100 000 detectors in the model, 100 of
# them in the state asked for. The ratio of the two scales must stay near 1 (a page's cost does
# not grow with the detectors it does not list). Both profiles.
#   listing.sh LISTING_BINARY BUILD_DIR
set -eu
bench=$1; out=$2
count() { # profile keys: instructions per page pair (filtered + unfiltered)
    LD_LIBRARY_PATH=$out/$1 valgrind --tool=callgrind --toggle-collect=measured_pages --callgrind-out-file=/dev/null \
        "$bench" examples/models "$2" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
mkdir -p "$out/bench"
echo "| ListDetectors page of 100 (10 filtered by stateName + 10 unfiltered) | profile | 10 000 detectors | 100 000 detectors | ratio |"
echo "|---|---|---:|---:|---:|"
printf '[' > "$out/bench/listing.json"; sep=""
for p in standard small; do
    small=$(( $(count $p 10000) / 10 )); large=$(( $(count $p 100000) / 10 ))
    ratio=$(awk "BEGIN { printf \"%.2f\", $large / $small }")
    echo "| instructions per pair of pages | $p | $small | $large | $ratio |"
    printf '%s{"profile":"%s","detectors_10k":%d,"detectors_100k":%d,"ratio":%s}' "$sep" "$p" "$small" "$large" "$ratio" >> "$out/bench/listing.json"; sep=","
done
echo "]" >> "$out/bench/listing.json"
