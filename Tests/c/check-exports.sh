#!/bin/sh
# The library exports exactly the functions the header declares: nothing more (no Swift or
# jansson symbols), nothing less.   check-exports.sh HEADER LIB...
set -eu
header=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -oE '\biotevents_[a-z0-9_]+\(' "$header" | tr -d '(' | sort -u > "$tmp/declared"
pass=0
fail=0
for lib in "$@"; do
    nm -D --defined-only "$lib" | awk '{print $3}' | sort -u > "$tmp/exported"
    if cmp -s "$tmp/declared" "$tmp/exported"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $lib: exports differ from $header (- declared only, + exported only)"
        diff -u "$tmp/declared" "$tmp/exported" || true
    fi
done
echo "check-exports: $pass passed, $fail failed ($(wc -l < "$tmp/declared") functions declared)"
[ "$fail" -eq 0 ]
