#!/bin/sh
# Every case under valgrind's memcheck, for each library directory given (make check-memcheck:
# build/standard and build/small): no invalid access, nothing definitely or indirectly lost.
# ("Possibly lost" blocks are the Swift runtime's metadata caches, engineering.md §4.)
#   Tests/c/memcheck.sh HARNESS LIBDIR...
set -u
harness=$1; shift
log=$(mktemp); trap 'rm -f "$log"' EXIT
pass=0; fail=0
for libdir in "$@"; do
  for c in Tests/cases/*/; do
    if LD_LIBRARY_PATH=$libdir valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
         --error-exitcode=9 "$harness" "$c/script" >/dev/null 2>"$log"; then pass=$((pass + 1))
    else fail=$((fail + 1)); echo "FAIL memcheck $libdir $c"; grep '^==' "$log" | head -30; fi
  done
done
echo "check-memcheck: $pass passed, $fail failed"
[ $fail -eq 0 ]
