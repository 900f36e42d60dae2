#!/bin/sh
# Builds the private jansson that libiotevents links in (see docs/building.md).
#
#   build-jansson.sh OUT_DIR [CC] [EXTRA_CFLAGS]
#
# Fetches Debian's jansson *source* package with apt (without touching the system's apt
# configuration), compiles it position-independent with hidden visibility, and leaves
# OUT_DIR/lib/libjansson.a and OUT_DIR/include/{jansson.h,jansson_config.h}. Nothing of
# jansson is committed to this repository. Idempotent: does nothing when OUT_DIR is complete.
set -eu
out=$1
cc=${2:-cc}
extra=${3:-}
[ -f "$out/lib/libjansson.a" ] && [ -f "$out/include/jansson.h" ] && exit 0

deps=$(dirname "$out")
src_cache="$deps/jansson-src"
if [ ! -f "$src_cache/src/jansson.h" ]; then
    work="$deps/apt"
    mkdir -p "$work/parts" "$work/lists/partial" "$work/cache/archives/partial" "$work/dl"
    suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    cat > "$work/parts/jansson-src.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$work/parts \
          -o Dir::State::Lists=$work/lists -o Dir::Cache=$work/cache -o APT::Sandbox::User=root"
    # shellcheck disable=SC2086
    apt-get -q $opts update >/dev/null
    # shellcheck disable=SC2086
    (cd "$work/dl" && apt-get -q $opts source --download-only jansson >/dev/null)
    tarball=$(ls "$work"/dl/jansson_*.orig.tar.* | head -n 1)
    rm -rf "$src_cache" && mkdir -p "$src_cache"
    tar xf "$tarball" -C "$src_cache" --strip-components=1
fi

rm -rf "$out" && mkdir -p "$out/lib" "$out/include" "$out/obj"
# jansson_config.h: the values configure would pick on Linux/glibc.
sed -e 's/@json_inline@/inline/' -e 's/@json_have_long_long@/1/' \
    -e 's/@json_have_localeconv@/1/' -e 's/@json_have_atomic_builtins@/1/' \
    -e 's/@json_have_sync_builtins@/1/' \
    "$src_cache/src/jansson_config.h.in" > "$out/include/jansson_config.h"
cp "$src_cache/src/jansson.h" "$out/include/"
# jansson_private_config.h: what its CMake build would detect here.
{
    for d in HAVE_STDINT_H HAVE_UNISTD_H HAVE_FCNTL_H HAVE_SYS_TYPES_H HAVE_SYS_STAT_H HAVE_SYS_TIME_H \
             HAVE_SCHED_H HAVE_ENDIAN_H HAVE_SYS_PARAM_H HAVE_GETTIMEOFDAY HAVE_GETPID HAVE_OPEN \
             HAVE_READ HAVE_CLOSE HAVE_SCHED_YIELD HAVE_ATOMIC_BUILTINS HAVE_SYNC_BUILTINS USE_URANDOM \
             HAVE_LOCALE_H HAVE_SETLOCALE HAVE_INT32_T HAVE_UINT32_T HAVE_UINT16_T HAVE_UINT8_T HAVE_SSIZE_T; do
        echo "#define $d 1"
    done
    echo "#define INITIAL_HASHTABLE_ORDER 3"
} > "$out/obj/jansson_private_config.h"
for c in "$src_cache"/src/*.c; do
    # shellcheck disable=SC2086
    $cc -c -O2 -g -fPIC -fvisibility=hidden -ffunction-sections -fdata-sections $extra -DHAVE_CONFIG_H=1 \
        -I "$out/obj" -I "$out/include" -I "$src_cache/src" "$c" -o "$out/obj/$(basename "$c" .c).o"
done
ar rcs "$out/lib/libjansson.a" "$out"/obj/*.o
