#!/bin/sh
# Runs every case directory under CASES_DIR through HARNESS and compares its transcript with the
# case's `expected` file. Prints one line per case and a closing "N passed, N failed" line.
#   run-cases.sh HARNESS CASES_DIR [LABEL]
# With UPDATE=1, rewrites each `expected` from the actual transcript (review the diff!).
# With ONLY=GLOB, runs only the cases whose directory name matches GLOB. A case that runs longer
# than CASE_TIMEOUT seconds (default 120; valgrind runs are slow) fails.
set -u
harness=$1
cases=$2
label=${3:-cases}
pass=0
fail=0
for dir in "$cases"/*/; do
    name=$(basename "$dir")
    [ -f "$dir/script" ] || continue
    # shellcheck disable=SC2254
    case "$name" in ${ONLY:-*}) ;; *) continue ;; esac
    # A hang is a failure (exit 124), not a stalled CI run: CASE_TIMEOUT seconds per case.
    actual=$(timeout -k 5 "${CASE_TIMEOUT:-120}" "$harness" "$dir/script" 2>&1)
    rc=$?
    if [ "${UPDATE:-0}" = 1 ]; then
        printf '%s\n' "$actual" > "$dir/expected"
    fi
    if [ $rc -eq 0 ] && [ -f "$dir/expected" ] && [ "$actual" = "$(cat "$dir/expected")" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $label/$name (exit $rc)"
        printf '%s\n' "$actual" | diff -u "$dir/expected" - | head -40
    fi
done
echo "$label: $pass passed, $fail failed"
[ $fail -eq 0 ]
