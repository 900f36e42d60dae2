#!/bin/sh
# The long C suites, cross-built for one target and run under qemu-user (make test-cross-suites;
# make test runs the quick length for every target through test-cross-all):
#   Tests/cross/suites.sh XOUT HOST_SOAK HOST_LIBDIR [full|quick]
# XOUT is build/<target>: its programs, and `run`, which runs a target program under qemu with
# the target's libc and library. Mutated requests of every case (200 per request; quick: 10),
# the durability suite (Tests/durability/run.sh), and the soak (1 000 000 messages with model
# updates and deletes; quick: 20 000), whose action count must be the host's: HOST_SOAK run on
# HOST_LIBDIR's library (the same keys and models on every target).
set -u
xout=$1; host_soak=$2; host_lib=$3; length=${4:-full}
target=$(basename "$xout"); d=$xout/suites
if [ "$length" = quick ]; then mutations=10 soak=20000; else mutations=200 soak=1000000; fi
start=$(date +%s)
rm -rf "$d" && mkdir -p "$d"
"$xout/run" "$xout/mutation-smoke" $mutations Tests/cases/*/script || exit 1
RUN=$xout/run sh Tests/durability/run.sh "$xout" "$d/durability" "$length" || exit 1
"$xout/run" "$xout/soak" examples/models $soak > "$d/soak.out" && cat "$d/soak.out" || exit 1
LD_LIBRARY_PATH=$host_lib "$host_soak" examples/models $soak > "$d/soak-host.out" || exit 1
on_target=$(grep -oE '[0-9]+ actions' "$d/soak.out"); on_host=$(grep -oE '[0-9]+ actions' "$d/soak-host.out")
[ -n "$on_target" ] && [ "$on_target" = "$on_host" ] || { echo "soak: $on_target on $target, $on_host on the host"; exit 1; }
echo "cross suites $target ($length): passed in $(( $(date +%s) - start )) s (soak: $on_target, as on the host)"
