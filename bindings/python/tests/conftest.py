# The fixture iotevents_mock: an installed package registers the plugin by entry point; the
# tests run from the source tree (PYTHONPATH=bindings/python), so load it by name.
pytest_plugins = ["iotevents.pytest_plugin"]
