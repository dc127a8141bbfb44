"""Typed environment helpers: every setting comes from the environment, and a bad value is an error.

After healthchecks' ``envbool``/``envint``: ``"yes"`` is not a boolean, ``"12a"`` is not a
number. A variable ``NAME_FILE`` pointing at a file wins over ``NAME`` (for secrets mounted
as files). Errors are raised while settings load, before translations exist, so each message
says what to fix in Chinese and in English.
"""

from __future__ import annotations

import os
from pathlib import Path


class EnvError(ValueError):
    pass


def env(name: str, default: str | None = None) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise EnvError(
                f"无法读取环境变量 {name}_FILE 指向的文件 {file_name}（{error.strerror}）：请检查路径和权限。"
                f" / Cannot read {name}_FILE={file_name} ({error.strerror}): check the path and permissions."
            ) from None
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = env(name, default)
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0"):
        return False
    raise EnvError(
        f"环境变量 {name} 只能是 True/False/true/false/1/0，现在是 {value!r}：请改成其中之一。"
        f" / {name} must be one of True/False/true/false/1/0, got {value!r}."
    )


def envint(name: str, default: str) -> int:
    value = env(name, default)
    try:
        return int(value or "")
    except ValueError:
        raise EnvError(
            f"环境变量 {name} 必须是整数，现在是 {value!r}：请只写数字（如 {default}）。"
            f" / {name} must be an integer, got {value!r}."
        ) from None


def envlist(name: str, default: str = "") -> list[str]:
    value = env(name, default) or ""
    return [item.strip() for item in value.split(",") if item.strip()]
