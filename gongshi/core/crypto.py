"""Personal data encrypted at rest: askers' and visitors' phone numbers, e-mails and names.

:class:`EncryptedTextField` stores Fernet tokens (AES-128-CBC with HMAC-SHA256, from
``cryptography``); a raw database dump or backup shows ``gAAAAA…``, never a phone number.
Where the code must find rows by a contact (rate limits, "already signed up"), a second column
holds :func:`lookup_hash`, a keyed HMAC-SHA256 of the normalised value.

Keys come from the environment (docs/security.md, "Personal data"):

- ``GONGSHI_DATA_KEYS``: comma-separated Fernet keys, newest first. New values are encrypted
  with the first; every key decrypts. To rotate: put a new key first and deploy; rows are
  re-encrypted with it as they are saved (the participation migration 0003's
  ``encrypt_existing`` re-encrypts every row when run again by hand); drop an old key only
  when no row needs it.
- ``GONGSHI_LOOKUP_KEY``: the HMAC key of the lookup hashes. It must stay the same (changing it
  means recomputing every hash).

Without them (development, tests) both are derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80, then the timestamp)


def _derived(purpose: str) -> bytes:
    return hashlib.sha256(f"gongshi:{purpose}:{settings.SECRET_KEY}".encode()).digest()


def development_data_key() -> str:
    """The Fernet key used when GONGSHI_DATA_KEYS is unset (development; refused by
    ``check --deploy``)."""
    return base64.urlsafe_b64encode(_derived("data-key")).decode()


@cache
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    return MultiFernet([Fernet(development_data_key().encode())])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.GONGSHI_DATA_KEYS), settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    """The plain value; a value written before encryption (no Fernet prefix) is returned as is."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        raise ValueError(
            "无法解密个人信息：GONGSHI_DATA_KEYS 中没有加密它的密钥（轮换密钥时旧密钥须保留到"
            " rotate_personal_data 完成）。 / Cannot decrypt personal data: the key that"
            " encrypted it is not in GONGSHI_DATA_KEYS."
        ) from None


def lookup_hash(value: str) -> str:
    key = settings.GONGSHI_LOOKUP_KEY.encode() or _derived("lookup-key")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column whose values are encrypted in the database and plain in Python."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name):
        # An equality test on ciphertext never matches: query the lookup-hash column instead.
        if lookup_name not in ("isnull",):
            raise TypeError(
                f"{self.model.__name__}.{self.name} is encrypted: filter on its lookup hash."
            )
        return super().get_lookup(lookup_name)


def mask_contact(contact: str) -> str:
    """138****5678 / a***@example.com: enough to recognise, not enough to call."""
    if "@" in contact:
        local, _at, domain = contact.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(contact) >= 7:
        return f"{contact[:3]}****{contact[-4:]}"
    return "****"


def mask_name(name: str) -> str:
    """王*明 / 李* / J*** Smith: the family name and the last character, for lists."""
    name = (name or "").strip()
    if not name:
        return ""
    if name.isascii():
        first, _space, rest = name.partition(" ")
        return f"{first[:1]}***" + (f" {rest}" if rest else "")
    if len(name) <= 2:
        return name[:1] + "*"
    return name[:1] + "*" * (len(name) - 2) + name[-1:]
