"""Refusals the web pages and the API answer the same way: 403 (who) and 429 (how often).

A domain function raises these instead of a ``ValidationError`` when the caller may not do
something at all, or not again yet, so the answer is never a 400 "fix your input": the API
answers ``{"error": {"code", "message"}}`` with 403 or 429 (and ``Retry-After``), the pages
show the message with the same status (gongshi.core.api, gongshi.core.ratelimit).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class Refused(PermissionDenied):
    """The caller may not do this: 403, with a sentence saying who may."""

    def __init__(self, message: str, code: str = "permission_denied") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class RateLimited(Exception):
    """Too many attempts: 429, with ``Retry-After`` seconds and a sentence saying when."""

    def __init__(self, message: str, retry_after: int, code: str = "rate_limited") -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, int(retry_after))
        self.code = code
