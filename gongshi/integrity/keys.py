"""The Ed25519 key that signs checkpoints: where it comes from, and its public half.

Configured by ``GONGSHI_LOG_SIGNING_KEY`` (base64 of the 32-byte seed, or a PEM private key)
or the file named by ``GONGSHI_LOG_SIGNING_KEY_FILE``; with neither, the demo key that
``gongshi ensure_signing_key`` writes under the data directory. A production log keeps its
key out of the data directory and never changes it: verifiers pin the public key.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gongshi.integrity.note import VerifierKey, verifier_key


def _missing_key() -> ImproperlyConfigured:
    return ImproperlyConfigured(
        "没有配置日志签名密钥：请设置 GONGSHI_LOG_SIGNING_KEY 或 GONGSHI_LOG_SIGNING_KEY_FILE，"
        "或运行 gongshi ensure_signing_key 生成演示密钥。"
    )


def parse_private_key(text: str) -> Ed25519PrivateKey:
    """A PEM (PKCS#8) Ed25519 private key, or base64 of its 32-byte seed."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("日志签名密钥必须是 Ed25519 私钥。")
        return key
    try:
        seed = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ImproperlyConfigured("日志签名密钥既不是 PEM 也不是 base64。") from None
    if len(seed) != 32:
        raise ImproperlyConfigured("base64 形式的日志签名密钥必须是 32 字节。")
    return Ed25519PrivateKey.from_private_bytes(seed)


@functools.lru_cache(maxsize=4)
def _load(configured: str, demo_path: str) -> Ed25519PrivateKey:
    if configured:
        return parse_private_key(configured)
    path = Path(demo_path)
    if not path.exists():
        raise _missing_key()
    return parse_private_key(path.read_text(encoding="ascii"))


def signing_key() -> Ed25519PrivateKey:
    return _load(settings.GONGSHI_LOG_SIGNING_KEY or "", str(settings.GONGSHI_LOG_DEMO_KEY_PATH))


def log_origin() -> str:
    """The log's name in its checkpoints and verifier key, fixed by its first checkpoint.

    GONGSHI_LOG_ORIGIN (by default derived from SITE_URL) names a new log; once a checkpoint
    is signed the name is part of what verifiers hold, so a later change of the setting — a
    new domain — must not rename the log, or every verifier would report a bad signature.
    """
    from gongshi.integrity.models import Checkpoint

    first = Checkpoint.objects.order_by("tree_size", "pk").values_list("signed_note", flat=True)[:1]
    for note in first:
        return note.split("\n", 1)[0]
    return settings.GONGSHI_LOG_ORIGIN


def public_key() -> VerifierKey:
    return verifier_key(log_origin(), signing_key().public_key())


def public_key_pem() -> str:
    return (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def ensure_demo_key() -> tuple[Path | None, bool]:
    """Make sure a signing key exists; returns (demo key path or None, whether one was made).

    A configured key wins and nothing is written. Otherwise the demo key file is created
    (readable by its owner only) if it is not there yet.
    """
    if settings.GONGSHI_LOG_SIGNING_KEY:
        signing_key()  # fail loudly now if the configured key does not parse
        return None, False
    path = Path(settings.GONGSHI_LOG_DEMO_KEY_PATH)
    if path.exists():
        parse_private_key(path.read_text(encoding="ascii"))
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # O_EXCL: two `make run`s starting together must not write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path, False
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    _load.cache_clear()
    return path, True
