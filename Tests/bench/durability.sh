#!/bin/sh
# Durability rows of make bench (issue 8): the heartbeat workload (3000 x 10 messages) in memory,
# then on a state directory with each durability mode, for each profile; best of 3 rounds, as a
# ratio to the in-memory rate. Prints markdown rows, writes OUT/bench/durability-<profile>.json.
#   Tests/bench/durability.sh HEARTBEAT_WORKLOAD OUT
set -u
workload=$1; out=$2; bench=$out/bench
mkdir -p "$bench"; rm -rf "$bench"/state-*
best() { # NAME PROFILE [STATE_DIR MODE]: the best messages/s of 3 runs
  b=0; name=$1; profile=$2; shift 2
  for r in 1 2 3; do
    rm -rf "$bench/state-$name"
    v=$(LD_LIBRARY_PATH=$out/$profile "$workload" examples/models 3000 1000 "$@")
    [ "$v" -gt "$b" ] && b=$v
  done
  echo $b
}
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
for p in standard small; do
  off=$(best off $p); always=$(best always $p "$bench/state-always" always)
  group=$(best group $p "$bench/state-group" groupCommit)
  echo "| durability ($p), heartbeat workload 3000 x 10 messages | messages/s | vs in memory |"; echo "|---|---:|---:|"
  echo "| in memory (no stateDirectory) | $off | 1.00 |"
  echo "| always (fdatasync per call) | $always | $(ratio "$always" "$off") |"
  echo "| groupCommit (50 ms) | $group | $(ratio "$group" "$off") |"
  printf '[{"mode":"memory","messages_per_second":%s},{"mode":"always","messages_per_second":%s},{"mode":"groupCommit","messages_per_second":%s}]\n' \
    "$off" "$always" "$group" > "$bench/durability-$p.json"
done
