#!/bin/bash
# Long fuzzing runs, one target after the other (make fuzz-long; Tests/fuzz/README.md):
#   long-runs.sh OUT_DIR [TARGET:RUNS ...]
# Copies the built binaries, seeds and dictionaries to OUT_DIR (so rebuilding does not change a
# run), then runs each target in fork mode past crashes, timeouts and OOMs (-ignore_*: known
# crashes must not end the run) until RUNS executions, under `timeout` and `nice`.
# FUZZ_JOBS=N runs N fork-mode workers (default 1), FUZZ_HOURS bounds each target (default 4),
# FUZZ_NICE its priority (default 10). ASan keeps no allocation stacks and a smaller quarantine
# (ASAN_OPTIONS below): recording a stack per malloc was a third of fuzz-log's time, and a crash
# report still shows where it happened.
# OUT_DIR/fuzz-X.log has the progress lines (#N: ... exec/s: ...) and the crashes;
# OUT_DIR/artifacts-X/ the crashing inputs; OUT_DIR/corpus-X/ what the run added.
set -u
out=$1; shift
targets=${*:-fuzz-config:1000000 fuzz-stateful:100000 fuzz-snapshot:1000000 fuzz-log:1000000}
root=$(cd "$(dirname "$0")/../.." && pwd)
fuzz=$root/build/fuzz
mkdir -p "$out/bin"
declare -A maxlen=([fuzz-config]=4096 [fuzz-snapshot]=65536 [fuzz-log]=65536 [fuzz-stateful]=16384 [fuzz-requests]=4096 [fuzz-expressions]=1024)
declare -A dict=([fuzz-config]=configuration.dict [fuzz-stateful]=stateful.dict [fuzz-requests]=requests.dict [fuzz-expressions]=expressions.dict)
for spec in $targets; do
  t=${spec%%:*}; runs=${spec##*:}; name=${t#fuzz-}
  cp "$fuzz/$t" "$out/bin/$t"
  rm -rf "$out/seeds-$name" && cp -r "$fuzz/seeds-$name" "$out/seeds-$name"
  mkdir -p "$out/corpus-$name" "$out/artifacts-$name"
  [ -d "$fuzz/corpus-$name" ] && cp -n "$fuzz/corpus-$name"/* "$out/corpus-$name"/ 2>/dev/null
  d=""; [ -n "${dict[$t]:-}" ] && { cp "$root/Tests/fuzz/${dict[$t]}" "$out/"; d="-dict=$out/${dict[$t]}"; }
  echo "$(date -u +%FT%TZ) start $t runs=$runs" >> "$out/runs.txt"
  (cd "$root" && SWIFT_BACKTRACE=enable=no IOTEVENTS_FUZZ_ROOT="$root" ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:quarantine_size_mb=16} \
     timeout "${FUZZ_HOURS:-4}h" nice -n "${FUZZ_NICE:-10}" "$out/bin/$t" \
     -fork="${FUZZ_JOBS:-1}" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -runs="$runs" -timeout=5 -rss_limit_mb=2048 \
     -max_len="${maxlen[$t]}" $d -artifact_prefix="$out/artifacts-$name/" "$out/corpus-$name" "$out/seeds-$name" > "$out/$t.log" 2>&1)
  echo "$(date -u +%FT%TZ) end $t status=$? $(grep -E '^#[0-9]+:' "$out/$t.log" | tail -n 1)" >> "$out/runs.txt"
done
