# The Lua binding (issue 7), included by the top-level Makefile (OUT, ROOT, CC, LIB_standard,
# LIB_small come from there). See bindings/lua/README.md.
#
#   make deps-lua     installs the Lua runtimes and headers (Debian packages, only when missing)
#   make lua          builds build/lua/<version>/iotevents.so (+ iotevents/safe.so) for every Lua found
#   make lua-test     the test script under every runtime, against both library profiles, + the example
#   make bench-lua    calls/s of a fixed BatchPutMessage workload per Lua, beside a C baseline
#   make lua-rock     the rockspec, built with luarocks make into a scratch tree (part of lua-test)

LUA_SRC := $(ROOT)/bindings/lua
LUA_OUT := $(OUT)/lua

# Versions: the build directory's name, its headers, its interpreter.
LUA_VERSIONS := 5.1 5.2 5.3 5.4 luajit
LUA_INC_5.1 := /usr/include/lua5.1
LUA_INC_5.2 := /usr/include/lua5.2
LUA_INC_5.3 := /usr/include/lua5.3
LUA_INC_5.4 := /usr/include/lua5.4
LUA_INC_luajit := /usr/include/luajit-2.1
LUA_BIN_5.1 := lua5.1
LUA_BIN_5.2 := lua5.2
LUA_BIN_5.3 := lua5.3
LUA_BIN_5.4 := lua5.4
LUA_BIN_luajit := luajit
LUA_FOUND := $(foreach v,$(LUA_VERSIONS),$(if $(wildcard $(LUA_INC_$(v))/lua.h),$(v)))

# A Lua module links the library but not liblua: the interpreter that loads it provides the
# lua_* symbols. No rpath: LD_LIBRARY_PATH or the system's search path picks the profile.
LUA_CFLAGS := -std=c11 -O2 -g -gdwarf-4 -fPIC -fvisibility=hidden -Wall -Wextra -Werror -I$(ROOT)/include -I$(LUA_SRC)/src
# The library builds the targets wait for; LUA_LIB_DEPS= (empty, on the command line, which
# reaches sub-makes too) tests against build/ as it is, without rebuilding the library.
LUA_LIB_DEPS ?= $(LIB_standard) $(LIB_small)
LUA_LINK_DEP := $(filter $(LIB_standard),$(LUA_LIB_DEPS))
# The module's sources, one role each (src/binding.h lists them); mk/cross.mk builds them too.
LUA_SOURCES := $(wildcard bindings/lua/src/*.c)
LUA_HEADERS := $(wildcard bindings/lua/src/*.h)
LUA_MODULE_DEPS := $(LUA_SOURCES) $(LUA_HEADERS) $(ROOT)/include/iotevents.h $(LUA_LINK_DEP)

.PHONY: deps-lua lua lua-test lua-test-run lua-rock bench-lua

deps-lua:
	@sh tools/install-deps.sh lua

# One build per version; iotevents/safe.so is a symlink to the same file (it holds both
# luaopen_iotevents and luaopen_iotevents_safe).
$(LUA_OUT)/%/iotevents.so: $(LUA_MODULE_DEPS)
	@mkdir -p $(@D)/iotevents
	$(CC) $(LUA_CFLAGS) -I$(LUA_INC_$*) -shared $(LUA_SOURCES) -o $@ -L$(OUT)/standard -liotevents -pthread
	ln -sf ../iotevents.so $(@D)/iotevents/safe.so

lua: $(foreach v,$(LUA_FOUND),$(LUA_OUT)/$(v)/iotevents.so)
	@echo "lua: built for $(or $(LUA_FOUND),no Lua found: run make deps-lua)"

$(LUA_OUT)/bench_c: $(LUA_SRC)/bench/bench_c.c $(ROOT)/include/iotevents.h $(LUA_LINK_DEP)
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -I$(ROOT)/include $< -o $@ -L$(OUT)/standard -liotevents

# Installs first, then re-reads this file so that LUA_FOUND sees what was installed.
lua-test: deps-lua
	@$(MAKE) --no-print-directory lua-test-run

# How test.lua runs: LD_LIBRARY_PATH picks the profile, LUA_CPATH the build; test.lua checks
# that the library it finds loaded is the one in LUA_TEST_LIBDIR.
LUA_RUN = LD_LIBRARY_PATH=$(OUT)/$(2) LUA_CPATH='$(LUA_OUT)/$(1)/?.so' LUA_TEST_LIBDIR=$(OUT)/$(2) LUA_TEST_ROOT=$(ROOT)
LUA_TESTS := $(LUA_SRC)/tests/test.lua
# memcheck: no invalid access, nothing definitely or indirectly lost (so no library string
# leaks). "Possibly lost" blocks are the Swift runtime's metadata caches (engineering.md §4).
# It runs on copies of the libraries without their DWARF (symbols stay), which valgrind 3.19
# cannot always read ("Possibly corrupted debuginfo file ... Giving up").
LUA_VALGRIND := valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9

# 1. test.lua under every runtime x both profiles, and the 5.1 build under LuaJIT;
# 2. the same under memcheck; 3. the example under every runtime; 4. the rockspec builds.
lua-test-run: $(foreach v,$(LUA_VERSIONS),$(LUA_OUT)/$(v)/iotevents.so) $(LUA_LIB_DEPS)
	@test "$(LUA_FOUND)" = "$(LUA_VERSIONS)" || { echo "lua-test needs every runtime ($(LUA_VERSIONS)), found: $(LUA_FOUND)"; exit 1; }
	@fail=0; \
	$(foreach v,$(LUA_VERSIONS),$(foreach p,standard small, \
	  $(call LUA_RUN,$(v),$(p)) LUA_TEST_NAME='$(LUA_BIN_$(v)) $(p)' $(LUA_BIN_$(v)) $(LUA_TESTS) || fail=1;)) \
	$(foreach p,standard small, \
	  $(call LUA_RUN,5.1,$(p)) LUA_TEST_NAME='luajit+5.1-build $(p)' luajit $(LUA_TESTS) || fail=1;) \
	pass=0; bad=0; \
	for p in standard small; do mkdir -p $(LUA_OUT)/memcheck/$$p && \
	  objcopy --strip-debug $(OUT)/$$p/libiotevents.so.$(VERSION) $(LUA_OUT)/memcheck/$$p/libiotevents.so.$(SOVERSION); done; \
	$(foreach v,$(LUA_VERSIONS),$(foreach p,standard small, \
	  if $(call LUA_RUN,$(v),lua/memcheck/$(p)) LUA_TEST_NAME='memcheck' $(LUA_VALGRIND) $(LUA_BIN_$(v)) $(LUA_TESTS) \
	       > $(LUA_OUT)/memcheck-$(v)-$(p).log 2>&1; then pass=$$((pass+1)); \
	  else bad=$$((bad+1)); echo "FAIL memcheck $(LUA_BIN_$(v)) $(p)"; grep -v '^###\|DW_FORM\|debug info\|get_Form' $(LUA_OUT)/memcheck-$(v)-$(p).log | head -40; fi;)) \
	echo "lua-test memcheck (5 runtimes x 2 profiles): $$pass passed, $$bad failed"; [ $$bad -eq 0 ] || fail=1; \
	pass=0; bad=0; \
	$(foreach v,$(LUA_VERSIONS),$(foreach p,standard small, \
	  if $(call LUA_RUN,$(v),$(p)) $(LUA_BIN_$(v)) $(ROOT)/examples/lua/heartbeat.lua > $(LUA_OUT)/example-$(v)-$(p).log 2>&1 && \
	     grep -q 'dev-2: state Offline' $(LUA_OUT)/example-$(v)-$(p).log; then pass=$$((pass+1)); \
	  else bad=$$((bad+1)); echo "FAIL example $(LUA_BIN_$(v)) $(p)"; tail -n 20 $(LUA_OUT)/example-$(v)-$(p).log; fi;)) \
	echo "lua-test examples/lua/heartbeat.lua (5 runtimes x 2 profiles): $$pass passed, $$bad failed"; [ $$bad -eq 0 ] || fail=1; \
	$(MAKE) --no-print-directory lua-rock || fail=1; \
	[ $$fail -eq 0 ]

# The rockspec: luarocks make (builtin) from a copy of bindings/lua into a scratch tree, for
# 5.1 and 5.4, then both modules load from there. Its sources list must name every src/*.c.
lua-rock:
	@for f in $(notdir $(LUA_SOURCES)); do grep -q "\"src/$$f\"" $(LUA_SRC)/iotevents-0.1.0-1.rockspec || \
	  { echo "lua-rock: iotevents-0.1.0-1.rockspec does not list src/$$f"; exit 1; }; done
	@rm -rf $(LUA_OUT)/rock && mkdir -p $(LUA_OUT)/rock && cp -r $(LUA_SRC)/src $(LUA_SRC)/*.rockspec $(LUA_OUT)/rock/ && \
	ok=0; for v in 5.1 5.4; do \
	  (cd $(LUA_OUT)/rock && luarocks --lua-version=$$v --tree $(LUA_OUT)/rock/tree make iotevents-0.1.0-1.rockspec \
	     LIBIOTEVENTS_INCDIR=$(ROOT)/include LIBIOTEVENTS_LIBDIR=$(OUT)/standard > $(LUA_OUT)/rock/build-$$v.log 2>&1) && \
	  LUA_CPATH="$(LUA_OUT)/rock/tree/lib/lua/$$v/?.so" lua$$v -e 'local a, b = require "iotevents", require "iotevents.safe"; assert(b.safe and not a.safe and a.open{clock="manual"}:list_inputs())' && \
	  ok=$$((ok+1)) || { echo "FAIL rock $$v"; tail -n 20 $(LUA_OUT)/rock/build-$$v.log; }; done; \
	echo "lua-rock (luarocks make, 5.1 and 5.4): $$ok passed, $$((2-ok)) failed"; [ $$ok -eq 2 ]

# calls/s per runtime for one workload, beside the C baseline (see README.md, Benchmark).
LUA_BENCH_CALLS ?= 20000
bench-lua: deps-lua $(foreach v,$(LUA_VERSIONS),$(LUA_OUT)/$(v)/iotevents.so) $(LUA_OUT)/bench_c
	@LD_LIBRARY_PATH=$(OUT)/standard sh $(LUA_SRC)/bench/run.sh $(LUA_OUT) $(ROOT)/examples/models $(LUA_BENCH_CALLS) $(LUA_SRC)/bench/bench.lua
