"""Logging: one line per event, with the request id, and no forged lines.

User-controlled values can carry CR/LF; written raw they would let a visitor
forge log lines, so the formatter escapes them (SEC-44).
"""

from __future__ import annotations

import json
import logging

from flask import Flask, g, has_request_context
from flask.logging import default_handler

LOGGER_NAME = "network"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(g, "request_id", "-") if has_request_context() else "-"
        return True


class OneLineFormatter(logging.Formatter):
    """Escapes CR and LF in the message; tracebacks keep their own lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escape_line_breaks(record.message)
        return super().formatMessage(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors; line breaks cannot forge lines in JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def escape_line_breaks(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def init_app(app: Flask) -> None:
    level = getattr(logging, app.config["LOG_LEVEL"].upper())
    handler = logging.StreamHandler()
    if app.config["LOG_FORMAT"] == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            OneLineFormatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    handler.addFilter(RequestIdFilter())
    for name in (LOGGER_NAME, app.logger.name):
        logger = logging.getLogger(name)
        # create_app() may run many times in one process (tests): one handler only
        ours = (OneLineFormatter, JsonFormatter)
        for old in [h for h in logger.handlers if isinstance(h.formatter, ours)]:
            logger.removeHandler(old)
        logger.removeHandler(default_handler)  # Flask's own, which would print each line twice
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False


def get_logger(name: str) -> logging.Logger:
    """A logger below the package's own, e.g. get_logger("security")."""
    return logging.getLogger(f"{LOGGER_NAME}.{name}")
