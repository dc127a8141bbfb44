"""The current request's id, readable from any layer (logs, the audit log, tasks).

The ops middleware (gongshi/ops/middleware.py) sets it for each request; code below it reads
it with :func:`current_request_id` without importing the web layer. Outside a request it is
empty.
"""

from __future__ import annotations

import contextvars

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("gongshi_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)
