"""Typed environment helpers: every setting comes from the environment, and a bad value is an error.

After healthchecks' ``envbool``/``envint``: ``"yes"`` is not a boolean, ``"12a"`` is not a
number. A variable ``NAME_FILE`` pointing at a file wins over ``NAME`` (for secrets mounted
as files).
"""

from __future__ import annotations

import os
from pathlib import Path


class EnvError(ValueError):
    pass


def env(name: str, default: str | None = None) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = env(name, default)
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0"):
        return False
    raise EnvError(f"{name} must be one of True/False/true/false/1/0, got {value!r}")


def envint(name: str, default: str) -> int:
    value = env(name, default)
    try:
        return int(value or "")
    except ValueError:
        raise EnvError(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    value = env(name, default) or ""
    return [item.strip() for item in value.split(",") if item.strip()]
