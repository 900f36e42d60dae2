"""The pytest fixture `iotevents_mock`: the test runs inside iotevents.boto3.mock() and gets
its engine. An installed package registers this module with pytest (entry point pytest11,
named like the module); from a source tree, load it with `-p iotevents.pytest_plugin` or
`pytest_plugins = ["iotevents.pytest_plugin"]` in a conftest.py."""
import pytest


@pytest.fixture
def iotevents_mock():
    """Every iotevents / iotevents-data client, however the test makes it, is served by a fresh
    engine (system clock) for the test's duration; the fixture's value is that engine."""
    from iotevents.boto3 import mock

    with mock() as engine:
        yield engine
