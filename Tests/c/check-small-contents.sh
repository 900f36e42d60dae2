#!/bin/sh
# What the small library must not contain, read from its symbols (unstripped): code that one
# innocent-looking call brings back and that costs kilobytes nobody sees in a diff.
#   check-small-contents.sh LIB
# - grapheme breaking (String.count, Character, prefix(n) on a String): its code and Unicode
#   tables were 15 KB; shortened texts are cut in scalars (String.prefix(scalars:)).
set -eu
lib=$1
symbols=$(nm "$lib")
fail=0
for s in _swift_stdlib_getGraphemeBreakProperty _swift_stdlib_isExtendedPictographic; do
    if echo "$symbols" | grep -q " $s\$"; then
        echo "FAIL $lib contains $s (grapheme breaking: count a String's utf8 or unicodeScalars instead)"
        fail=1
    fi
done
[ "$fail" -eq 0 ] && echo "check-small-contents: no grapheme breaking in $lib"
exit "$fail"
