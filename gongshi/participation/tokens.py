"""Secrets handed to people (codes, links) and the hashes we keep of them."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_code() -> str:
    """A six-digit one-time code."""
    return f"{secrets.randbelow(1_000_000):06d}"


def digest(value: str) -> str:
    """Keyed hash of a secret: a stolen database does not reveal codes or links."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def field_error(field: str, message, code: str) -> ValidationError:
    """An error on one field that keeps its code (Django drops it from a plain dict)."""
    return ValidationError({field: ValidationError(message, code=code)})
