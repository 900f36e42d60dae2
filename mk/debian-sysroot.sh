#!/bin/sh
# debian-sysroot.sh DIR SUITE ARCH [PACKAGE...]: Debian packages for ARCH, unpacked into DIR/root.
# By default an older Debian's C library: the sysroot a cross build compiles and links against
# (its glibc is the library's floor) and the prefix qemu then runs the tests with. With
# PACKAGEs, those (no dependencies are resolved: name them all), e.g. a target's Lua. apt runs with a throw-away configuration under DIR
# (as Sources/CJanssonShim/build-jansson.sh does); the system's apt configuration is untouched.
# Idempotent: does nothing when DIR/root is complete.
set -eu
dir=$1 suite=$2 arch=$3
shift 3
packages=${*:-libc6 libc6-dev linux-libc-dev libgcc-s1}
[ -f "$dir/root/.complete" ] && exit 0
mkdir -p "$dir/parts" "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/debs"
dir=$(cd "$dir" && pwd)  # apt reads relative directories from /etc/apt
cat > "$dir/parts/sysroot.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Architectures: $arch
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
set -- -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$dir/parts" -o Dir::State::Lists="$dir/lists" \
  -o Dir::Cache="$dir/cache" -o Dir::State::status=/dev/null -o APT::Sandbox::User=root \
  -o APT::Architecture="$arch" -o APT::Architectures::="$arch"
apt-get -q "$@" update >/dev/null
# shellcheck disable=SC2046
(cd "$dir/debs" && apt-get -q "$@" download $(for p in $packages; do echo "$p:$arch"; done) >/dev/null)
rm -rf "$dir/root" && mkdir -p "$dir/root"
for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
# The -dev packages' .so links are absolute (/lib/<multiarch>/...); ld does not look for them
# under the sysroot, and silently takes the static libpthread.a instead: make them relative.
for link in "$dir"/root/usr/lib/*/*.so; do
    target=$(readlink "$link" || true)
    case $target in /*) ln -sfn "../../..$target" "$link" ;; esac
done
touch "$dir/root/.complete"
echo "sysroot $suite $arch: $dir/root ($(cd "$dir/root/lib" && ls */libc-*.so 2>/dev/null))"
