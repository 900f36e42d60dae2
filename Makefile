SHELL := /bin/bash
# libiotevents — build, test, install. See README.md and docs/building.md. This file is the index:
# the rules live in mk/*.mk (one concern each) and the makefiles of the bindings and suites, each
# suite's logic in a script beside its tests (runnable alone; docs/building.md lists them).
#
#   make / make build     the standard profile: build/standard/libiotevents.so.$(VERSION)
#   make PROFILE=small    the small (Embedded Swift) profile: build/small/...
#   make demo             builds and runs the main example
#   make test             installs what it needs (tools/install-deps.sh), builds both profiles and
#                         every cross target, runs every suite
#   make bench            every benchmark row (mk/bench.mk)
#   make install PREFIX=/usr/local / make uninstall
#   make size             stripped sizes of both profiles
#   make generate         regenerates every table derived from models/botocore-data and
#                         tools/codegen-extras.json (tools/codegen.py; make check-generated checks)
#   make PROFILE=small TARGET=aarch64-linux-gnu   a cross build (targets: mk/targets.mk); make cross: all
#   make test-cross TARGET=...    cases, demo, exports, libc floor under qemu (test-cross-all: every
#                         target with the quick suites and Lua; test-cross-suites: the full suites)
#   make dist [TARGET=...]  a release tarball in build/dist (check-dist tests it)
#   make fuzz / fuzz-<target> / fuzz-long   libFuzzer (mk/fuzz.mk, Tests/fuzz/README.md)
#   make lua / lua-test   the Lua binding (bindings/lua/lua.mk)
#   make clean            removes every build folder (and the downloaded build dependencies)
#   JANSSON=system        link the system's shared libjansson instead of the private copy

VERSION := 0.1.0
SOVERSION := 0
PROFILE ?= standard
JANSSON ?= private
PREFIX ?= /usr/local
CC ?= cc

ROOT := $(CURDIR)
DEPS := $(ROOT)/.build-deps
JANSSON_DIR := $(DEPS)/jansson
OUT := $(ROOT)/build
# TARGET=<target> cross-builds the small profile (mk/targets.mk, mk/cross.mk); empty: the host.
TARGET ?=
include mk/targets.mk
ifneq ($(TARGET),)
ifeq ($(origin PROFILE),file)
PROFILE := small
endif
endif

SWIFT_ENV := IOTEVENTS_JANSSON=$(JANSSON) IOTEVENTS_JANSSON_DIR=$(JANSSON_DIR)
SCRATCH_standard := .build
SCRATCH_small := .build-small
LIB_standard := $(OUT)/standard/libiotevents.so.$(VERSION)
LIB_small := $(OUT)/small/libiotevents.so.$(VERSION)
SOURCES := $(shell find Sources -name '*.swift' -o -name '*.c' -o -name '*.h' -o -name '*.map') Package.swift
JANSSON_DEP := $(if $(filter system,$(JANSSON)),,$(JANSSON_DIR)/lib/libjansson.a)

HARNESS := $(OUT)/harness
CFLAGS_TEST := -O1 -g -gdwarf-4 -Wall -Wextra -Werror -std=c11 -Iinclude

.PHONY: all build test test-cross-gateway clean
all: build

include mk/deps.mk        # deps, deps-test: tools/install-deps.sh; jansson, libstdc++
include mk/library.mk     # both profiles, install, size, demo
include mk/programs.mk    # the C test and benchmark programs (one pattern rule)
include bindings/lua/lua.mk         # lua, lua-test, bench-lua
include mk/cross.mk       # cross builds, test-cross*, dist, wheels
include mk/tests.mk       # the C suites, install, generated tables
include mk/python.mk      # python-test, the wheel, check-python-install
include mk/bench.mk       # make bench
include mk/fuzz.mk        # libFuzzer targets, regressions
include mk/mqttd.mk       # the MQTT gateway daemon: check-mqttd, bench-mqttd, install-mqttd
include mk/cluster.mk     # iotevents cluster on NATS JetStream: check-cluster, bench-cluster
include Tests/hardening/hardening.mk   # check-bad-inputs, check-hostile-hosts

# After the includes: a rule's prerequisites are expanded when it is read, and XLIB comes
# from mk/cross.mk (before, `make PROFILE=small TARGET=... build` had nothing to build).
build: $(if $(TARGET),$(XLIB),$(LIB_$(PROFILE)))

test: deps-test check-generated swift-test c-test check-alarm-table python-test check-libc-shim check-libc-floor check-exports check-size check-jsonc check-jsonc-control check-install check-memcheck check-mutations check-durability test-tsan lua-test check-bad-inputs check-hostile-hosts check-soak check-mqttd check-cluster check-fuzz-regressions test-cross-all check-release check-phony
	@echo "make test: all suites passed"

# The first users' target (64-bit ARM gateways) alone, cross-built and tested under qemu (about
# 1.5 min with its build); make test runs every target (test-cross-all, mk/cross.mk).
test-cross-gateway:
	@$(MAKE) --no-print-directory PROFILE=small TARGET=aarch64-linux-gnu test-cross

# Every folder a build or a test writes: the outputs, SwiftPM's scratch folders (one per profile
# and per instrumented build), the downloaded and built dependencies (jansson, sysroots), the
# botocore data the Python build copies into the package.
clean:
	rm -rf $(OUT) .build .build-small .build-test .build-system .build-tsan .build-bench $(DEPS) bindings/python/iotevents/botocore-data
