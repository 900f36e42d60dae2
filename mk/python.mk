# The Python binding: its suite, the wheel, the package as users install it. Included by the
# Makefile; the logic is in bindings/python/tests/run.sh and check-install.sh.
.PHONY: python python-test check-python-install

python-test: $(LIB_standard) $(LIB_small) | deps-test
	sh bindings/python/tests/run.sh $(OUT) $(OUT)/standard/libiotevents.so.0 $(OUT)/small/libiotevents.so.0
	@$(MAKE) --no-print-directory check-python-install

# The wheel that bundles the library, tagged for this platform: build/python/iotevents-*.whl.
python: $(LIB_$(PROFILE))
	@mkdir -p $(OUT)/python && rm -f $(OUT)/python/*.whl
	strip --strip-unneeded -o $(OUT)/python/libiotevents.so.0 $(LIB_$(PROFILE))
	python3 -m pip wheel -q --no-index --no-deps --no-cache-dir -w $(OUT)/python ./bindings/python \
	  -C library=$(OUT)/python/libiotevents.so.0
	@ls $(OUT)/python/*.whl

check-python-install: python
	sh bindings/python/tests/check-install.sh $(OUT)/python-venv $(LIB_$(PROFILE)) $$(ls $(OUT)/python/*.whl)
