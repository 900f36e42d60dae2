#!/bin/sh
# Every crash the fuzzers found, once fixed (Tests/fuzz/regressions/<target>/), run again through
# its target (make check-fuzz-regressions, in make test); with `pending`, the inputs still waiting
# for their fix (Tests/fuzz/pending/<target>/, make check-fuzz-pending): which crash yet, which
# pass now (move those to regressions/).
#   Tests/fuzz/regressions.sh MAKE FUZZ_DIR [pending] -- FUZZER_FLAGS...
# Each target is built first (make FUZZ_DIR/fuzz-<target>, its output in FUZZ_DIR/regression-build.log).
set -u
make=$1; fuzz=$2; shift 2
mode=check; [ "${1:-}" = pending ] && { mode=pending; shift; }
[ "${1:-}" = -- ] && shift
dir=Tests/fuzz/regressions; [ $mode = pending ] && dir=Tests/fuzz/pending
mkdir -p "$fuzz"; log=$fuzz/$mode.log
crash_lines() { grep -m 1 -A 30 -E '^==[0-9]+==ERROR|Fatal error|deadly signal|ALARM: working|out-of-memory' "$log"; }
pass=0; fail=0
for d in "$dir"/*/; do
  [ -d "$d" ] || continue; t=$(basename "$d")
  $make --no-print-directory -s "$fuzz/fuzz-$t" > "$fuzz/regression-build.log" 2>&1 || { cat "$fuzz/regression-build.log"; exit 1; }
  for f in "$d"*; do
    [ -f "$f" ] || continue
    if SWIFT_BACKTRACE=enable=no "$fuzz/fuzz-$t" "$@" "$f" > "$log" 2>&1; then
      pass=$((pass + 1)); [ $mode = pending ] && echo "passes now: $f (move it to Tests/fuzz/regressions/$t/)"
    else
      fail=$((fail + 1))
      if [ $mode = pending ]; then
        echo "still fails: $f: $(grep -m 1 -oE 'Swift runtime failure: [^/]*|Fatal error: .{0,100}|ERROR: libFuzzer: [a-z-]+' "$log") $(grep -m 1 -oE '(Sources|Tests)/[A-Za-z/+_]+\.swift:[0-9]+' "$log")"
      else echo "FAIL fuzz-$t $f"; crash_lines; fi
    fi
  done
done
[ $mode = pending ] && exit 0
echo "check-fuzz-regressions: $pass passed, $fail failed"
[ $fail -eq 0 ]
