"""The bridge from the engine's log records to Python's `logging` module."""
import logging
from typing import Any, Dict, Optional

LEVELS = {"ERROR": logging.ERROR, "INFO": logging.INFO, "DEBUG": logging.DEBUG}


class LoggingBridge:
    """A log handler for Engine.on_log that logs each record on a `logging` logger.

    The message is the record's logMessage, prefixed with the detector or alarm it is about
    ("thermo/d: Transition from Normal to Hot by event tooHot"); the whole record rides along as
    the LogRecord attribute `iotevents`, for formatters and filters that want its members.
    """

    def __init__(self, logger: Optional[logging.Logger] = None) -> None:
        self.logger = logger if logger is not None else logging.getLogger("iotevents")

    def __call__(self, record: Dict[str, Any]) -> None:
        level = LEVELS.get(record.get("level", ""), logging.INFO)
        if not self.logger.isEnabledFor(level):
            return
        self.logger.log(level, "%s%s", self.subject(record), record.get("logMessage", ""),
                        extra={"iotevents": record})

    @staticmethod
    def subject(record: Dict[str, Any]) -> str:
        model = record.get("detectorModelName") or record.get("alarmModelName")
        if not model:
            return ""
        key = record.get("keyValue")
        return "%s/%s: " % (model, key) if key is not None else "%s: " % model
