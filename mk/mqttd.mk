# The MQTT gateway daemon iotevents-mqttd (issue 27; daemons/mqttd/README.md). It is built by the
# programs table (mk/programs.mk); here: its tests against a real mosquitto broker
# (Tests/mqttd/run.py starts and stops one on a free loopback port), its bench row, its install.
# Included by the Makefile.
.PHONY: check-mqttd check-mqttd-long check-mqttd-unit bench-mqttd install-mqttd uninstall-mqttd

MQTTD_RUN := LD_LIBRARY_PATH=$(OUT)/standard IOTEVENTS_LIBRARY=$(OUT)/standard/libiotevents.so.$(SOVERSION) \
  MQTTD=$(OUT)/iotevents-mqttd python3 Tests/mqttd/run.py

# valgrind's error or a leak changes the daemon's exit status, which every test checks
MQTTD_MEMCHECK := valgrind -q --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite,indirect --error-exitcode=9

# make test: the motor scenario over MQTT, every bad configuration, damaged outbox files, bad messages, TLS with the test's own CA,
# a broker stopped under the daemon (reconnection with backoff),
# timers (and kill -9 around a tick), a model reload, the crash test at a short length (kill -9
# and broker restarts);
# then the motor scenario, the bad configurations, outbox files and messages under valgrind memcheck.
check-mqttd: $(OUT)/iotevents-mqttd $(LIB_standard) | deps-test
	$(MQTTD_RUN) motor
	$(MQTTD_RUN) bad-configs
	$(MQTTD_RUN) bad-outbox
	$(MQTTD_RUN) bad-messages
	$(MQTTD_RUN) tls
	$(MQTTD_RUN) reconnect
	$(MQTTD_RUN) timers
	$(MQTTD_RUN) timer-crash 5
	$(MQTTD_RUN) reload
	$(MQTTD_RUN) changed-while-down
	$(MQTTD_RUN) crash 8
	@$(MAKE) --no-print-directory check-mqttd-unit
	@echo "check-mqttd: motor, bad-configs, bad-outbox, bad-messages under valgrind memcheck"
	@MQTTD_WRAP="$(MQTTD_MEMCHECK)" $(MQTTD_RUN) motor
	@MQTTD_WRAP="$(MQTTD_MEMCHECK)" $(MQTTD_RUN) bad-configs
	@MQTTD_WRAP="$(MQTTD_MEMCHECK)" $(MQTTD_RUN) bad-outbox
	@MQTTD_WRAP="$(MQTTD_MEMCHECK)" $(MQTTD_RUN) bad-messages

# The crash test at length: 60 runs, each with a kill -9 (and every third a broker restart).
check-mqttd-long: $(OUT)/iotevents-mqttd $(LIB_standard) | deps-test
	$(MQTTD_RUN) crash 60

# make bench's row: messages/s publisher -> engine and actions/s to a subscriber, with the engine's
# two durabilities (one sns action per message, batches of 10, 10 000 messages).
bench-mqttd: $(OUT)/iotevents-mqttd $(LIB_standard) | deps-test
	@$(MQTTD_RUN) bench 10000 always
	@$(MQTTD_RUN) bench 10000 groupCommit

# The systemd unit `make install` writes, checked by systemd-analyze verify (its commands pointed
# at the staged binary: verify wants them executable where the unit names them). Any complaint
# fails it (a bad value is only a warning to systemd), but those a container without systemd
# running gives every unit (no sysinit.target; /bin/kill "not executable").
check-mqttd-unit: $(OUT)/iotevents-mqttd | deps-test
	@rm -rf $(OUT)/mqttd-unit && $(MAKE) --no-print-directory install-mqttd DESTDIR=$(OUT)/mqttd-unit PREFIX=/usr/local >/dev/null
	@sed 's|/usr/local/bin/iotevents-mqttd|$(OUT)/mqttd-unit/usr/local/bin/iotevents-mqttd|g' \
	  $(OUT)/mqttd-unit/usr/local/lib/systemd/system/iotevents-mqttd.service > $(OUT)/mqttd-unit/iotevents-mqttd.service
	@systemd-analyze verify $(OUT)/mqttd-unit/iotevents-mqttd.service 2> $(OUT)/mqttd-unit/verify.log; \
	  status=$$?; grep -v 'sysinit.target not found\|is not executable: No such file' $(OUT)/mqttd-unit/verify.log \
	    > $(OUT)/mqttd-unit/complaints.log; cat $(OUT)/mqttd-unit/complaints.log; \
	  [ $$status -eq 0 ] && [ ! -s $(OUT)/mqttd-unit/complaints.log ] \
	    && echo "check-mqttd-unit: systemd-analyze verify passed, no complaint" || { echo "check-mqttd-unit: FAILED"; exit 1; }

install-mqttd: $(OUT)/iotevents-mqttd
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 755 $(OUT)/iotevents-mqttd $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|g' daemons/mqttd/iotevents-mqttd.service.in > $(DESTDIR)$(PREFIX)/lib/systemd/system/iotevents-mqttd.service

uninstall-mqttd:
	rm -f $(DESTDIR)$(PREFIX)/bin/iotevents-mqttd $(DESTDIR)$(PREFIX)/lib/systemd/system/iotevents-mqttd.service
