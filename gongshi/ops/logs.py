"""JSON log lines: one object per line on standard error, for journald, Docker or a collector.

Every line carries the time, level, logger, message and the request id of the request it
belongs to (empty outside requests); ``extra={"http": {...}}`` fields are kept as they are;
an exception's traceback is in ``exc_info`` of the same line, so an error and the request that
caused it are never in different streams.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from gongshi.core.request_context import current_request_id

# Attributes every LogRecord has; anything else was passed in ``extra`` and is logged too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
