# The library in both profiles, its installation, the demo. Included by the Makefile.
.PHONY: install-build-output size demo install uninstall

$(LIB_standard): $(SOURCES) $(JANSSON_DEP) $(DEPS)/libstdcxx/libstdc++.a | deps
	$(SWIFT_ENV) swift build -c release --scratch-path $(SCRATCH_standard) --product iotevents
	@$(MAKE) --no-print-directory install-build-output PROFILE_DIR=$(OUT)/standard SCRATCH=$(SCRATCH_standard)

$(LIB_small): $(SOURCES) $(JANSSON_DEP) $(DEPS)/libstdcxx/libstdc++.a $(DEPS)/embedded/libswiftUnicodeDataTables.a | deps
	$(SWIFT_ENV) IOTEVENTS_PROFILE=small swift build -c release --scratch-path $(SCRATCH_small) --product iotevents
	@$(MAKE) --no-print-directory install-build-output PROFILE_DIR=$(OUT)/small SCRATCH=$(SCRATCH_small)

install-build-output:
	mkdir -p $(PROFILE_DIR)
	@# a new file renamed over the old one: processes that have the old one loaded keep it intact
	cp $(SCRATCH)/release/libiotevents.so $(PROFILE_DIR)/.libiotevents.so.$(VERSION).tmp
	mv -f $(PROFILE_DIR)/.libiotevents.so.$(VERSION).tmp $(PROFILE_DIR)/libiotevents.so.$(VERSION)
	ln -sf libiotevents.so.$(VERSION) $(PROFILE_DIR)/libiotevents.so.$(SOVERSION)
	ln -sf libiotevents.so.$(SOVERSION) $(PROFILE_DIR)/libiotevents.so

size: $(LIB_standard) $(LIB_small)
	@for p in standard small; do \
	  strip --strip-unneeded -o $(OUT)/$$p/stripped.so $(OUT)/$$p/libiotevents.so.$(VERSION); \
	  printf '%-9s %9d bytes stripped (%s)\n' $$p $$(stat -c %s $(OUT)/$$p/stripped.so) "$$(ldd $(OUT)/$$p/stripped.so | awk '{print $$1}' | tr '\n' ' ')"; \
	  rm -f $(OUT)/$$p/stripped.so; done

demo: $(OUT)/detector-demo
	$(OUT)/detector-demo examples/models

install: $(LIB_$(PROFILE)) $(OUT)/iotevents-mqttd
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(LIB_$(PROFILE)) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libiotevents.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libiotevents.so.$(SOVERSION)
	ln -sf libiotevents.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libiotevents.so
	install -m 644 include/iotevents.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' include/iotevents.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/iotevents.pc
	@$(MAKE) --no-print-directory install-mqttd

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/lib/libiotevents.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libiotevents.so.$(SOVERSION) \
	  $(DESTDIR)$(PREFIX)/lib/libiotevents.so $(DESTDIR)$(PREFIX)/include/iotevents.h \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/iotevents.pc
	@$(MAKE) --no-print-directory uninstall-mqttd
