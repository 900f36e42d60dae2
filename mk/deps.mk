# What the build and the tests install (tools/install-deps.sh: only what is missing, saying what
# it installs). Included by the Makefile.
.PHONY: deps deps-test deps-jansson-system

deps:
	@sh tools/install-deps.sh build
	$(if $(filter system,$(JANSSON)),@sh tools/install-deps.sh jansson-system)

deps-test: deps
	@sh tools/install-deps.sh test

$(JANSSON_DIR)/lib/libjansson.a: Sources/CJanssonShim/build-jansson.sh | deps
	sh Sources/CJanssonShim/build-jansson.sh $(JANSSON_DIR)

# Debian keeps libstdc++.a off the default search path; a directory with only it, passed
# with -L, makes the link static (engineering.md §1).
$(DEPS)/libstdcxx/libstdc++.a: | deps
	mkdir -p $(DEPS)/libstdcxx
	ln -sf $$($(CC) -print-file-name=libstdc++.a) $@

$(DEPS)/embedded/libswiftUnicodeDataTables.a:
	mkdir -p $(DEPS)/embedded
	ln -sf $$(dirname $$(dirname $$(readlink -f $$(command -v swiftc))))/lib/swift/embedded/x86_64-unknown-linux-gnu/libswiftUnicodeDataTables.a $@
