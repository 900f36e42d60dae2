#!/bin/sh
# The durability suite on one build (issue 8): make check-durability runs it for both host
# profiles, Tests/cross/suites.sh for each cross target under qemu.
#   Tests/durability/run.sh BIN_DIR WORK_DIR [full|quick]
# BIN_DIR holds the programs (crash-harness redelivery corruption host-safety fidelity downtime
# stress);
# WORK_DIR gets their state directories (emptied first). RUN is the command prefix that runs a
# program with the library under test: `env LD_LIBRARY_PATH=build/small` on the host,
# build/<target>/run (qemu) for a cross target. DURABILITY_KILLS overrides the kill count.
#   crash-harness  a child killed with SIGKILL at random moments, every acknowledged call
#                  checked after each restart (200 kills; quick: 10)
#   redelivery     the same with actions: every action handed to the handler at least once,
#                  in order per device, calls and timer expiries (100 kills; quick: 10)
#   corruption     damaged state directories; host-safety: calls that must not poison the log
#   fidelity       every case's state through a restart; downtime: system-clock timers due
#                  while the process was down
#   stress         8 threads on one engine: in memory, groupCommit, always (8 x 50 000 messages;
#                  quick: 8 x 2 000)
set -u
bin=$1; work=$2; length=${3:-full}; run=${RUN:-}
if [ "$length" = quick ]; then kills=10 stress=2000 always=500; else kills=200 stress=50000 always=5000; fi
kills=${DURABILITY_KILLS:-$kills}
rm -rf "$work" && mkdir -p "$work"
step() { # NAME COMMAND...: runs it, stops at the first failure, says how long it took
  name=$1; shift; start=$(date +%s)
  "$@" || { echo "durability: $name FAILED ($*)"; exit 1; }
  echo "  ($name: $(( $(date +%s) - start )) s)"
}
step crash-harness $run "$bin/crash-harness" Tests/durability "$work/crash" "$kills" "$(date +%s)"
step redelivery $run "$bin/redelivery" Tests/durability "$work/redelivery" "$(( kills / 2 ))" "$(date +%s)"
step corruption $run "$bin/corruption" Tests/durability "$work/corruption"
step host-safety $run "$bin/host-safety" Tests/durability "$work/host-safety"
step fidelity $run "$bin/fidelity" "$work/fidelity" Tests/cases/*/script
step downtime $run "$bin/downtime" "$work/downtime"
step stress $run "$bin/stress" Tests/durability 8 "$stress" 1000
step stress-group $run "$bin/stress" Tests/durability 8 "$stress" 1000 "$work/stress" groupCommit
step stress-always $run "$bin/stress" Tests/durability 4 "$always" 100 "$work/stress-always" always
