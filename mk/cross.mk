# Cross builds of the small profile (issue 23): make PROFILE=small TARGET=<target>, make cross,
# make test-cross TARGET=<target>. The targets and their flags are the table in mk/targets.mk;
# these rules are the same for all of them. Included by the Makefile.
#
# The Swift code is compiled by swiftc for the target's bare-metal Embedded triple, its importer
# reading the target's C headers; the C shims and jansson are compiled, and the library linked,
# by the target's gcc with the same version script, -z defs and --gc-sections as the host build.

XOUT := $(OUT)/$(TARGET)
XOBJ := $(XOUT)/obj
XJANSSON := $(DEPS)/jansson-$(TARGET)
XLIB := $(XOUT)/libiotevents.so.$(VERSION)
EMBEDDED_LIBS = $(dir $(shell readlink -f $$(command -v swiftc)))../lib/swift/embedded

X_CORE_SOURCES := $(sort $(shell find Sources/IoTEventsCore -name '*.swift'))
X_API_SOURCES := $(sort $(shell find Sources/IoTEventsAPI -name '*.swift'))
X_ABI_SOURCES := $(sort $(shell find Sources/IoTEvents -name '*.swift'))
X_SHIMS := shim files random
# the target's binutils strip (musl-gcc is a wrapper of the host's gcc)
X_STRIP := $(if $(filter %-linux-gnu-gcc %-linux-gnueabihf-gcc,$(firstword $(X_CC))),$(patsubst %-gcc,%-strip,$(firstword $(X_CC))),strip)
X_SHIM_OBJS := $(X_SHIMS:%=$(XOBJ)/clibc-%.o)
X_SHIM_HEADERS := Sources/CLibcShim/include/CLibcShim.h Sources/CJanssonShim/include/CJanssonShim.h

# As Package.swift's small profile, for the target's triple.
X_SWIFTC_FLAGS = -package-name iotevents -enable-experimental-feature Embedded -target $(X_SWIFT) -swift-version 6 -wmo -Osize \
  -parse-as-library -Xfrontend -function-sections -module-cache-path $(XOUT)/module-cache \
  -Xcc -fmodule-map-file=$(XOBJ)/module.modulemap -Xcc -I$(XJANSSON)/include -I $(XOBJ) $(X_IMPORT) $(X_SWIFTFLAGS)
X_C_FLAGS = -O2 -g -fPIC -fvisibility=hidden -ffunction-sections -fdata-sections -Wall -Wextra -Werror $(X_CFLAGS)

ifneq ($(TARGET),)
ifeq ($(X_SWIFT),)
$(error unknown TARGET=$(TARGET); mk/targets.mk has: $(CROSS_TARGETS))
endif
ifneq ($(PROFILE),small)
$(error TARGET=$(TARGET) builds the small profile only (make PROFILE=small TARGET=$(TARGET)))
endif
endif

.PHONY: deps-cross cross test-cross test-cross-all test-cross-suites

# The target's packages, installed only when missing (no network when all are present).
deps-cross: deps
	@sh tools/install-deps.sh arch $(X_ARCHS)
	@sh tools/install-deps.sh apt $(X_APT)
	$(if $(X_DEBIAN),@sh mk/debian-sysroot.sh $(DEPS)/sysroot-$(word 1,$(X_DEBIAN))-$(word 2,$(X_DEBIAN)) $(X_DEBIAN))

cross:
	@for t in $(CROSS_TARGETS); do $(MAKE) --no-print-directory PROFILE=small TARGET=$$t build || exit 1; done

$(XJANSSON)/lib/libjansson.a: Sources/CJanssonShim/build-jansson.sh | deps-cross
	sh Sources/CJanssonShim/build-jansson.sh $(XJANSSON) "$(X_CC)" "$(X_CFLAGS)"

$(XOBJ)/module.modulemap: | deps-cross
	@mkdir -p $(XOBJ)
	printf 'module CLibcShim { header "%s/Sources/CLibcShim/include/CLibcShim.h" export * }\nmodule CJanssonShim { header "%s/Sources/CJanssonShim/include/CJanssonShim.h" export * }\n' "$(ROOT)" "$(ROOT)" > $@

$(XOBJ)/clibc-%.o: Sources/CLibcShim/%.c Sources/CLibcShim/include/CLibcShim.h | $(XOBJ)/module.modulemap
	$(X_CC) -c $(X_C_FLAGS) -ISources/CLibcShim/include $< -o $@

# One whole-module compile per Swift target, dependencies first.
$(XOBJ)/IoTEventsCore.o: $(X_CORE_SOURCES) $(X_SHIM_HEADERS) $(XOBJ)/module.modulemap $(XJANSSON)/lib/libjansson.a
	swiftc $(X_SWIFTC_FLAGS) -module-name IoTEventsCore -emit-module -emit-module-path $(XOBJ)/IoTEventsCore.swiftmodule -c $(X_CORE_SOURCES) -o $@
$(XOBJ)/IoTEventsAPI.o: $(X_API_SOURCES) $(XOBJ)/IoTEventsCore.o
	swiftc $(X_SWIFTC_FLAGS) -module-name IoTEventsAPI -emit-module -emit-module-path $(XOBJ)/IoTEventsAPI.swiftmodule -c $(X_API_SOURCES) -o $@
$(XOBJ)/IoTEvents.o: $(X_ABI_SOURCES) $(XOBJ)/IoTEventsAPI.o
	swiftc $(X_SWIFTC_FLAGS) -module-name IoTEvents -emit-module -emit-module-path $(XOBJ)/IoTEvents.swiftmodule -c $(X_ABI_SOURCES) -o $@

# The Embedded Unicode data tables (String comparison needs them). The prebuilt armv7 and riscv64
# archives carry the soft-float ABI mark, which ld refuses beside hard-float objects; the library
# calls only their integer-only normalization functions (never _swift_stdlib_getNumericValue, the
# one that returns a double), so a copy without the mark is correct. The proper fix is to build
# the tables from the Swift sources with the target's compiler.
$(XOBJ)/libswiftUnicodeDataTables.a: | $(XOBJ)/module.modulemap
	@src=$(EMBEDDED_LIBS)/$(X_SWIFT)/libswiftUnicodeDataTables.a; case "$(X_TABLES)" in \
	  arm-hard-float) echo "objcopy: $$src without .ARM.attributes"; arm-linux-gnueabihf-objcopy --remove-section=.ARM.attributes $$src $@ ;; \
	  riscv-double-float) echo "$$src marked double-float"; python3 mk/riscv-float-abi.py $$src $@ ;; \
	  *) ln -sf $$src $@ ;; esac

$(XLIB): $(XOBJ)/IoTEvents.o $(XOBJ)/IoTEventsAPI.o $(XOBJ)/IoTEventsCore.o $(X_SHIM_OBJS) $(XJANSSON)/lib/libjansson.a $(XOBJ)/libswiftUnicodeDataTables.a Sources/IoTEvents/exports.map
	$(X_CC) -shared -o $(XOUT)/.libiotevents.so.$(VERSION).tmp -Wl,-soname,libiotevents.so.$(SOVERSION) \
	  -Wl,--version-script=Sources/IoTEvents/exports.map -Wl,-z,defs -Wl,-z,nodelete -Wl,--gc-sections \
	  $(filter-out %.map,$^) -lm -static-libgcc $(X_CFLAGS) $(X_LDLIBS)
	mv -f $(XOUT)/.libiotevents.so.$(VERSION).tmp $@
	ln -sf libiotevents.so.$(VERSION) $(XOUT)/libiotevents.so.$(SOVERSION)
	ln -sf libiotevents.so.$(SOVERSION) $(XOUT)/libiotevents.so

# --- tests under qemu-user ------------------------------------------------------------------
# $(XOUT)/run PROGRAM ARGS...: runs a target program (under qemu, with the target's loader and
# libc, and this library); $(XOUT)/harness-run is the harness through it, for run-cases.sh.
$(XOUT)/run: mk/targets.mk mk/cross.mk Makefile | $(XOBJ)/module.modulemap
	@if [ -n "$(X_QEMU)" ]; then printf '#!/bin/sh\nexec env QEMU_LD_PREFIX=%s LD_LIBRARY_PATH=%s$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH} %s "$$@"\n' "$(X_LD)" "$(XOUT)" "$(X_QEMU)" > $@; \
	else printf '#!/bin/sh\nexec env LD_LIBRARY_PATH=%s$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH} "$$@"\n' "$(XOUT)" > $@; fi
	printf '#!/bin/sh\nexec %s %s "$$@"\n' "$@" "$(XOUT)/harness" > $(XOUT)/harness-run
	chmod +x $@ $(XOUT)/harness-run

# The programs of mk/programs.mk's table, built for the target (the same pattern as the host's).
X_PROGRAMS := harness detector-demo mutation-smoke crash-harness redelivery corruption host-safety fidelity downtime stress soak
$(addprefix $(XOUT)/,$(X_PROGRAMS)): $(XOUT)/%: $$(PROGRAM_SOURCE_$$*) $(PROGRAM_HEADERS) $(XLIB) $(XJANSSON)/lib/libjansson.a
	$(X_CC) $(CFLAGS_TEST) $(X_CFLAGS) $(call program-cflags,$*,$(XJANSSON)) $< -o $@ -L$(XOUT) -liotevents \
	  $(call program-libs,$*,$(XJANSSON)) $(X_LDLIBS)

$(XOUT)/libc-shim: Tests/c/libc_shim.c $(X_SHIMS:%=Sources/CLibcShim/%.c) Sources/CLibcShim/include/CLibcShim.h | deps-cross
	@mkdir -p $(XOUT)
	$(X_CC) $(CFLAGS_TEST) $(X_CFLAGS) -ISources/CLibcShim/include $< Sources/CLibcShim/files.c Sources/CLibcShim/random.c -o $@

# The host's small build runs the same demo: the transcripts must be byte-identical.
$(OUT)/small/detector-demo: examples/c/detector_demo.c include/iotevents.h $(LIB_small)
	$(CC) -O1 -g -Wall -Wextra -Iinclude $< -o $@ -L$(OUT)/small -liotevents

# The C shim's libc checks, every exported symbol, every case (the host's expected transcripts),
# the demo's transcript against the host small build's; then the newest libc symbol version.
test-cross: $(XOUT)/run $(XOUT)/harness $(XOUT)/detector-demo $(XOUT)/libc-shim $(OUT)/small/detector-demo
	@echo "test-cross $(TARGET): $(XLIB) ($(X_SWIFT), $(or $(X_QEMU),native))"
	$(XOUT)/run $(XOUT)/libc-shim
	sh Tests/c/check-exports.sh include/iotevents.h $(XLIB)
	$(if $(X_FLOOR),sh Tests/c/check-libc-floor.sh $(X_FLOOR) $(XLIB))
	sh Tests/c/run-cases.sh $(XOUT)/harness-run Tests/cases $(TARGET)
	@$(XOUT)/run $(XOUT)/detector-demo examples/models > $(XOUT)/demo.out 2>&1; \
	LD_LIBRARY_PATH=$(OUT)/small $(OUT)/small/detector-demo examples/models > $(XOUT)/demo-host.out 2>&1; \
	if cmp -s $(XOUT)/demo.out $(XOUT)/demo-host.out; then echo "demo: transcript identical to the host small build's ($$(wc -l < $(XOUT)/demo.out) lines)"; \
	else echo "demo: FAILED, transcript differs from the host small build's"; diff $(XOUT)/demo-host.out $(XOUT)/demo.out | head -20; exit 1; fi
	@$(X_STRIP) --strip-unneeded -o $(XOUT)/stripped.so $(XLIB); \
	echo "test-cross $(TARGET): passed; $$(stat -c %s $(XOUT)/stripped.so) bytes stripped, newest libc symbol version: $$(readelf -W --dyn-syms $(XLIB) | grep -oE 'GLIBC_[0-9.]+' | sort -uV | tail -n 1 | grep . || echo none)"; \
	rm -f $(XOUT)/stripped.so

# Every target of the table, one after the other: test-cross, the short suites, and the Lua
# binding under qemu where the table names a Lua (make test runs this).
CROSS_LUA_TARGETS := $(foreach t,$(CROSS_TARGETS),$(if $(T_$(t)_LUA),$(t)))
test-cross-all:
	@start=$$(date +%s); for t in $(CROSS_TARGETS); do \
	  $(MAKE) --no-print-directory PROFILE=small TARGET=$$t test-cross-quick || exit 1; \
	  case " $(CROSS_LUA_TARGETS) " in *" $$t "*) $(MAKE) --no-print-directory PROFILE=small TARGET=$$t test-cross-lua || exit 1 ;; esac; \
	done; echo "test-cross-all: $(words $(CROSS_TARGETS)) targets passed in $$(( $$(date +%s) - start )) s"

# --- the long suites under qemu-user: mutations, durability, soak -----------------------------
# The programs of check-mutations, check-durability and check-soak, built for the target and run
# as those targets run them (200 mutations per request, 200 kills, 1 000 000 soak messages);
# the soak must also count the host's actions (the same keys on every target). About 10-15 min
# per target under qemu, so not part of test-cross.
X_SUITE_PROGRAMS := $(addprefix $(XOUT)/,mutation-smoke crash-harness redelivery corruption host-safety fidelity downtime stress soak)

# test-cross-quick: test-cross and a short run of the same suites (make test runs it for every
# target; Tests/cross/suites.sh says what each length runs).
.PHONY: test-cross-quick
test-cross-suites: $(XOUT)/run $(X_SUITE_PROGRAMS) $(OUT)/soak $(LIB_small)
	sh Tests/cross/suites.sh $(XOUT) $(OUT)/soak $(OUT)/small full
test-cross-quick: test-cross $(X_SUITE_PROGRAMS) $(OUT)/soak $(LIB_small)
	sh Tests/cross/suites.sh $(XOUT) $(OUT)/soak $(OUT)/small quick

# --- release tarballs -----------------------------------------------------------------------
# make dist [TARGET=<target>]: build/dist/libiotevents-<version>-<target>-<profile>.tar.gz (the
# host's triple when TARGET is empty): the stripped library and its links, the header, a
# relocatable iotevents.pc, the licences (the library's, Apache-2.0, and jansson's, compiled in) and
# SHA256SUMS; a .sha256 beside. The tarball is reproducible: the same build gives the same bytes
# (sorted names, owner 0, mtime 0, gzip without a timestamp), which check-dist checks.
# make check-dist unpacks it, checks the sums, builds the README's example with pkg-config and
# the target's gcc against it and runs it (under qemu for a cross target).
DIST_TARGET := $(or $(TARGET),x86_64-linux-gnu)
DIST_NAME := libiotevents-$(VERSION)-$(DIST_TARGET)-$(PROFILE)
DIST_LIB := $(if $(TARGET),$(XLIB),$(LIB_$(PROFILE)))
DIST_STRIP := $(if $(TARGET),$(X_STRIP),strip)
DIST_TARBALL := $(OUT)/dist/$(DIST_NAME).tar.gz
.PHONY: dist check-dist

dist: $(DIST_LIB) include/iotevents.h include/iotevents.pc.in $(JANSSON_DIR)/lib/libjansson.a
	@rm -rf $(OUT)/dist/$(DIST_NAME) && mkdir -p $(OUT)/dist/$(DIST_NAME)/lib/pkgconfig $(OUT)/dist/$(DIST_NAME)/include $(OUT)/dist/$(DIST_NAME)/licenses
	@cd $(OUT)/dist/$(DIST_NAME) && \
	$(DIST_STRIP) --strip-unneeded -o lib/libiotevents.so.$(VERSION) $(DIST_LIB) && \
	ln -s libiotevents.so.$(VERSION) lib/libiotevents.so.$(SOVERSION) && ln -s libiotevents.so.$(SOVERSION) lib/libiotevents.so && \
	cp $(ROOT)/include/iotevents.h include/ && \
	sed -e 's|@PREFIX@|$${pcfiledir}/../..|' -e 's|@VERSION@|$(VERSION)|' $(ROOT)/include/iotevents.pc.in > lib/pkgconfig/iotevents.pc && \
	cp $(ROOT)/LICENSE licenses/libiotevents.txt && cp $(DEPS)/jansson-src/LICENSE licenses/jansson.txt && \
	find . -type f ! -name SHA256SUMS | sort | xargs sha256sum > SHA256SUMS
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --mode=u+rwX,go+rX,go-w -C $(OUT)/dist -cf - $(DIST_NAME) | gzip -9 -n > $(DIST_TARBALL)
	cd $(OUT)/dist && sha256sum $(DIST_NAME).tar.gz > $(DIST_NAME).tar.gz.sha256
	@echo "dist: $(DIST_TARBALL) ($$(stat -c %s $(DIST_TARBALL)) bytes)"

check-dist: dist $(if $(TARGET),$(XOUT)/run)
	@first=$$(sha256sum < $(DIST_TARBALL)); rm -f $(DIST_TARBALL); $(MAKE) --no-print-directory -s dist >/dev/null; \
	[ "$$first" = "$$(sha256sum < $(DIST_TARBALL))" ] || { echo "check-dist: 0 passed, 1 failed (two builds of $(DIST_NAME).tar.gz differ)"; exit 1; }
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	(cd $(OUT)/dist && sha256sum -c --quiet $(DIST_NAME).tar.gz.sha256) && tar -xzf $(DIST_TARBALL) -C $$tmp && \
	(cd $$tmp/$(DIST_NAME) && sha256sum -c --quiet SHA256SUMS) && \
	sed -n '/^#include <iotevents.h>/,/^}/p' README.md > $$tmp/readme.c && \
	$(if $(TARGET),$(X_CC),$(CC)) -Wall -Werror $$tmp/readme.c -o $$tmp/readme $$(PKG_CONFIG_PATH=$$tmp/$(DIST_NAME)/lib/pkgconfig pkg-config --cflags --libs iotevents) && \
	$(if $(TARGET),env QEMU_LD_PREFIX=$(X_LD) LD_LIBRARY_PATH=$$tmp/$(DIST_NAME)/lib $(X_QEMU),env LD_LIBRARY_PATH=$$tmp/$(DIST_NAME)/lib) $$tmp/readme | grep -q '^OK: {"inputConfiguration"' && \
	echo "check-dist: 1 passed, 0 failed ($(DIST_NAME).tar.gz)" || { echo "check-dist: 0 passed, 1 failed ($(DIST_NAME).tar.gz)"; exit 1; }

# The release artefacts make test checks: the host's tarballs of both profiles and the first
# users' target's (aarch64, reproducible, the README's example built against each and run) and
# its wheel (tag, contents, licences, RECORD; pip installs it for that platform).
.PHONY: check-release
check-release:
	@$(MAKE) --no-print-directory -s check-dist
	@$(MAKE) --no-print-directory -s PROFILE=small check-dist
	@$(MAKE) --no-print-directory -s PROFILE=small TARGET=aarch64-linux-gnu check-dist
	@$(MAKE) --no-print-directory -s PROFILE=small TARGET=aarch64-linux-gnu check-wheel-cross

# --- the Lua binding under qemu ----------------------------------------------------------------
# make test-cross-lua TARGET=<target with a LUA row>: bindings/lua built with the target's gcc
# against the target's Lua 5.4 headers, loaded by the target's own lua5.4 under qemu, running
# bindings/lua/tests/test.lua (the same test lua-test runs on the host).
X_LUA_DIR := $(DEPS)/lua-$(word 1,$(X_LUA))-$(word 2,$(X_LUA))/root
X_LUA_MA := $(if $(X_LUA),$(shell dpkg-architecture -a $(word 2,$(X_LUA)) -qDEB_HOST_MULTIARCH 2>/dev/null))
.PHONY: test-cross-lua
$(X_LUA_DIR)/usr/bin/lua5.4: mk/debian-sysroot.sh
	@test -n "$(X_LUA)" || { echo "mk/targets.mk names no Lua for TARGET=$(TARGET)"; exit 1; }
	rm -rf $(dir $(X_LUA_DIR)) && sh mk/debian-sysroot.sh $(dir $(X_LUA_DIR)) $(X_LUA) lua5.4 liblua5.4-dev libreadline8 libtinfo6

$(XOUT)/lua/5.4/iotevents.so: $(LUA_SOURCES) $(LUA_HEADERS) include/iotevents.h $(XLIB) $(X_LUA_DIR)/usr/bin/lua5.4
	@mkdir -p $(@D)/iotevents
	$(X_CC) $(LUA_CFLAGS) $(X_CFLAGS) -I$(X_LUA_DIR)/usr/include/lua5.4 -I$(X_LUA_DIR)/usr/include/$(X_LUA_MA) -shared $(LUA_SOURCES) -o $@ -L$(XOUT) -liotevents -pthread
	ln -sf ../iotevents.so $(@D)/iotevents/safe.so

test-cross-lua: $(XOUT)/run $(XOUT)/lua/5.4/iotevents.so
	LD_LIBRARY_PATH=$(X_LUA_DIR)/lib/$(X_LUA_MA) LUA_CPATH='$(XOUT)/lua/5.4/?.so' LUA_TEST_LIBDIR=$(XOUT) LUA_TEST_ROOT=$(ROOT) \
	  LUA_TEST_NAME='lua5.4 $(TARGET)' $(XOUT)/run $(X_LUA_DIR)/usr/bin/lua5.4 bindings/lua/tests/test.lua

# --- Python wheels ------------------------------------------------------------------------------
# make python-cross TARGET=<target>: build/<target>/python/iotevents-<version>-py3-none-<WHEEL>.whl,
# the binding with the target's library inside, tagged from its libc floor (mk/targets.mk), so
# users pip install it without Swift; check-wheel-cross checks its tag, contents and RECORD.
.PHONY: python-cross check-wheel-cross
python-cross: $(XLIB)
	@test -n "$(X_WHEEL)" || { echo "mk/targets.mk names no wheel tag for TARGET=$(TARGET)"; exit 1; }
	@mkdir -p $(XOUT)/python && rm -f $(XOUT)/python/*.whl
	$(X_STRIP) --strip-unneeded -o $(XOUT)/python/libiotevents.so.0 $(XLIB)
	python3 -m pip wheel -q --no-index --no-deps --no-cache-dir -w $(XOUT)/python ./bindings/python \
	  -C library=$(XOUT)/python/libiotevents.so.0 -C platform=$(X_WHEEL)
	@ls $(XOUT)/python/*.whl

check-wheel-cross: python-cross
	python3 bindings/python/tools/check_wheel.py $(XOUT)/python/iotevents-*-py3-none-$(X_WHEEL).whl $(XLIB) $(X_WHEEL)
	@# pip itself takes it for that platform (and installs the library in the package)
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q --no-index --no-deps \
	  --platform $(X_WHEEL) --only-binary=:all: --target $$tmp $(XOUT)/python/iotevents-*-py3-none-$(X_WHEEL).whl && \
	  test -f $$tmp/iotevents/lib/libiotevents.so.0 && echo "check-wheel: pip installs it for $(X_WHEEL)"
