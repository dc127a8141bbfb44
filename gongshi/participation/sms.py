"""Sending text messages. The platform names a backend in ``GONGSHI_SMS_BACKEND``.

A backend is a class with ``send(mobile: str, message: str) -> None`` that raises
:class:`SmsError` when the message could not be handed over. The default only logs, so a
development install works with nothing configured; a deployment plugs in its provider's
gateway by writing a small class and naming it in the setting.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("gongshi.sms")


class SmsError(Exception):
    """The message could not be handed to the gateway."""


class SmsBackend(Protocol):
    def send(self, mobile: str, message: str) -> None: ...


class LoggingSmsBackend:
    """Writes each message to the ``gongshi.sms`` log instead of sending it."""

    def send(self, mobile: str, message: str) -> None:
        logger.info("SMS to %s: %s", mobile, message)


def get_backend() -> SmsBackend:
    path = getattr(settings, "GONGSHI_SMS_BACKEND", "gongshi.participation.sms.LoggingSmsBackend")
    return import_string(path)()


def send_sms(mobile: str, message: str) -> None:
    get_backend().send(mobile, message)
