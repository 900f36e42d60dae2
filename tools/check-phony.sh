#!/bin/sh
# Every make target that names no file is declared .PHONY (make check-phony, in make test): a
# target that is neither, once a file of its name appears, would silently stop running. Reads
# make's own database of the Makefile and every file it includes.
#   tools/check-phony.sh [MAKE]
set -u
make=${1:-make}
db=$(mktemp); trap 'rm -f "$db"' EXIT
$make -pnq -f Makefile > "$db" 2>/dev/null
phony=$(awk '/^\.PHONY:/ { for (i = 2; i <= NF; i++) print $i }' "$db" | sort -u)
# rule targets without a slash or a pattern (build outputs all live under build/ or .build-deps/)
targets=$(awk -F: '/^[a-zA-Z][a-zA-Z0-9_.-]*:/ && !/^[^:]*=/ { print $1 }' "$db" | grep -v '/\|%' | sort -u)
missing=""
for t in $(echo "$targets" | grep -vx -e Makefile -e Package.swift); do
  [ -e "$t" ] && continue
  echo "$phony" | grep -qx -- "$t" || missing="$missing $t"
done
if [ -n "$missing" ]; then echo "check-phony: not .PHONY:$missing"; exit 1; fi
echo "check-phony: all $(echo "$targets" | wc -l) targets that name no file are .PHONY"
