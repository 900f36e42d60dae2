#!/bin/sh
# The oldest glibc a library loads on: the newest GLIBC_x.y symbol version it needs must not be
# newer than MAX. (Embedded Swift's arc4random_buf needed 2.36 until the shim brought its own.)
#   check-libc-floor.sh MAX LIB...        e.g. check-libc-floor.sh 2.34 build/small/libiotevents.so.0
set -eu
max=$1
shift
pass=0
fail=0
for lib in "$@"; do
    newest=$(readelf -W --dyn-syms "$lib" | grep -oE 'GLIBC_[0-9]+(\.[0-9]+)*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
    # Loader features are version needs with no symbol: packed relative relocations
    # (-z pack-relative-relocs) need glibc 2.36's loader.
    if readelf -W -V "$lib" | grep -q 'Name: GLIBC_ABI_DT_RELR'; then
        newest=$(printf '%s\n2.36\n' "$newest" | sort -V | tail -n 1)
    fi
    if [ -z "$newest" ] || [ "$(printf '%s\n%s\n' "$newest" "$max" | sort -V | tail -n 1)" = "$max" ]; then
        pass=$((pass + 1))
        echo "$lib: newest glibc symbol version ${newest:-none} (at most $max)"
    else
        fail=$((fail + 1))
        echo "FAIL $lib needs glibc $newest, newer than $max:"
        readelf -W --dyn-syms "$lib" | grep "GLIBC_$newest" | awk '{print "  " $8}'
        readelf -W -V "$lib" | grep -o 'GLIBC_ABI_DT_RELR' | sort -u | sed 's/^/  (loader) /'
    fi
done
echo "check-libc-floor: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
