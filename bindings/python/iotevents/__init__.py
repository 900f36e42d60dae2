"""libiotevents for Python: AWS IoT Events detector and alarm models, run in-process.

    import iotevents
    with iotevents.Engine(clock="manual") as engine:
        engine.call("CreateInput", {...})
"""
from .engine import Engine
from .errors import ClientError

__all__ = ["Engine", "ClientError"]
