#!/bin/sh
# Installs what the build and the tests need, only what is missing, and says what it installs
# (make runs it; on a machine that has everything it needs no network and prints nothing).
#
#   tools/install-deps.sh build | test | lua | jansson-system   a group below
#   tools/install-deps.sh apt PACKAGE...          Debian packages (--no-install-recommends)
#   tools/install-deps.sh arch DPKG_ARCH...       foreign dpkg architectures (cross packages)
#   tools/install-deps.sh pip MODULE[=PACKAGE]... Python packages, when `import MODULE` fails
#
# Debian 12 as root is the reference machine (README). The cross targets' packages come from
# mk/targets.mk through the apt and arch forms.
set -eu

apt_missing() {
  native=$(dpkg --print-architecture); missing=""
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || dpkg -s "$p:$native" >/dev/null 2>&1 || missing="$missing $p"
  done
  echo "$missing"
}

apt_install() { # PACKAGE...
  missing=$(apt_missing "$@")
  [ -z "$missing" ] && return 0
  echo "install-deps: apt installing:$missing"
  apt-get update -q >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
}

mode=${1:-}; [ $# -gt 0 ] && shift
case $mode in
  # libmosquitto-dev: the MQTT gateway daemon (daemons/mqttd)
  build) apt_install gcc make python3 binutils libmosquitto-dev ;;
  # the C tests (json-c host, pkg-config, valgrind), the HTTP tests (curl), the shim's musl check,
  # the MQTT daemon's tests (a real broker, its clients, openssl for the test's own CA,
  # systemd-analyze for its unit); nats-server: the cluster tests (iotevents cluster: a
  # three-node JetStream cluster on loopback)
  test) apt_install gcc make python3 binutils libjson-c-dev pkg-config valgrind curl musl-tools python3-pip python3-venv \
      mosquitto mosquitto-clients openssl systemd nats-server ;;
  jansson-system) apt_install libjansson-dev ;;
  lua)
    apt_install lua5.1 lua5.2 lua5.3 lua5.4 luajit liblua5.1-0-dev liblua5.2-dev liblua5.3-dev liblua5.4-dev \
      libluajit-5.1-dev valgrind python3 luarocks binutils
    # a comma-decimal locale lets test.lua check that numbers ignore os.setlocale (skipped without)
    locale -a 2>/dev/null | grep -qi '^de_DE.utf-\?8$' || {
      echo "install-deps: generating the locale de_DE.UTF-8"; localedef -i de_DE -f UTF-8 de_DE.UTF-8 2>/dev/null || true; } ;;
  apt) apt_install "$@" ;;
  arch)
    for a in "$@"; do
      dpkg --print-foreign-architectures | grep -qx "$a" || { echo "install-deps: adding the dpkg architecture $a"; dpkg --add-architecture "$a"; }
    done ;;
  pip)
    missing=""
    for spec in "$@"; do
      module=${spec%%=*}; package=${spec#*=}
      python3 -c "import $module" 2>/dev/null || missing="$missing $package"
    done
    [ -z "$missing" ] && exit 0
    echo "install-deps: pip installing:$missing"
    # shellcheck disable=SC2086
    python3 -m pip install -q $missing ;;
  *) echo "usage: tools/install-deps.sh build|test|lua|jansson-system | apt PACKAGE... | arch ARCH... | pip MODULE[=PACKAGE]..." >&2; exit 2 ;;
esac
