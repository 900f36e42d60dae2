#!/bin/sh
# make install into a scratch DESTDIR, the README's example built against it with pkg-config and
# run, the installed daemon run (it finds the installed library through its $ORIGIN rpath) and its
# systemd unit present, then make uninstall, which must leave no file behind (make check-install).
#   Tests/c/check-install.sh [MAKE]
set -u
make=${1:-make}; cc=${CC:-cc}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pc="PKG_CONFIG_SYSROOT_DIR=$tmp PKG_CONFIG_PATH=$tmp/opt/iotevents/lib/pkgconfig"
if $make --no-print-directory install PREFIX=/opt/iotevents DESTDIR="$tmp" >/dev/null &&
   sed -n '/^#include <iotevents.h>/,/^}/p' README.md > "$tmp/readme.c" &&
   $cc -Wall -Werror "$tmp/readme.c" -o "$tmp/readme" $(env $pc pkg-config --cflags --libs iotevents) &&
   LD_LIBRARY_PATH=$tmp/opt/iotevents/lib "$tmp/readme" | grep -q '^OK: {"inputConfiguration"' &&
   [ -f "$tmp/opt/iotevents/lib/systemd/system/iotevents-mqttd.service" ] &&
   { echo '{"broker": {"host": "h"}, "rules": []}' > "$tmp/bad.json";
     "$tmp/opt/iotevents/bin/iotevents-mqttd" --check-config "$tmp/bad.json" 2>&1 | grep -q 'rules: must be a non-empty array'; } &&
   $make --no-print-directory uninstall PREFIX=/opt/iotevents DESTDIR="$tmp" >/dev/null &&
   [ -z "$(find "$tmp/opt" -type f)" ]
then echo "check-install: 1 passed, 0 failed"
else echo "check-install: 0 passed, 1 failed"; exit 1; fi
