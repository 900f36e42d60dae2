#!/bin/sh
# make bench-lua: the C baseline and every Lua runtime on one workload, as a markdown table.
#   run.sh LUA_OUT MODELS_DIR CALLS BENCH_LUA     (LD_LIBRARY_PATH selects the library)
set -e
out=$1 models=$2 calls=$3 script=$4
c=$("$out/bench_c" "$models" "$calls")
c_seconds=${c#* }
echo "BatchPutMessage, 10 messages per call, $calls calls over 1000 keys (heartbeat model; process CPU time)"
echo
echo "| runtime | seconds | calls/s | messages/s | Lua/C |"
echo "|---|---:|---:|---:|---:|"
row() { awk -v name="$1" -v calls="$calls" -v s="$2" -v c="$c_seconds" \
  'BEGIN { printf "| %s | %.2f | %.0f | %.0f | %.2f |\n", name, s, calls / s, calls * 10 / s, c / s }'; }
row "C (iotevents_call)" "$c_seconds"
for v in 5.1 5.2 5.3 5.4 luajit; do
  case $v in luajit) bin=luajit ;; *) bin=lua$v ;; esac
  r=$(LUA_CPATH="$out/$v/?.so" $bin "$script" "$models" "$calls")
  row "$bin" "${r#* }"
done
echo
echo "Lua/C: the runtime's calls/s over C's (1.00 = as fast as C). Times drift run to run on shared"
echo "machines; compare the rows of one run."
