"""`gongshi check --deploy`: the keys that protect personal data are set, and not the
development defaults, whenever the site runs with DEBUG off.

Without ``GONGSHI_DATA_KEYS`` and ``GONGSHI_LOOKUP_KEY`` the contacts are encrypted with keys
derived from ``SECRET_KEY`` (gongshi.core.crypto): fine on a laptop, but in production anyone
who learns the secret key could read every asker's phone number, and rotating the secret key
would make them unreadable. These are errors, not warnings: a deployment must not start so.
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.core.checks import Error, Tags, register

from gongshi.core.crypto import development_data_key


def _fernet_key_problem(key: str) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        return "不是有效的 Fernet 密钥（32 字节的 URL 安全 Base64）"
    return None


@register(Tags.security, deploy=True)
def personal_data_keys_check(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    generate = (
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    )
    make_random = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
    keys = list(settings.GONGSHI_DATA_KEYS)
    development_key = development_data_key()
    if not keys:
        errors.append(
            Error(
                "GONGSHI_DATA_KEYS 未设置：个人信息（提问人、参观人的联系方式和姓名）会用由"
                " SECRET_KEY 推导的开发密钥加密。 / GONGSHI_DATA_KEYS is not set: personal data"
                " would be encrypted with the development key derived from SECRET_KEY.",
                hint=f"生成密钥写入 GONGSHI_DATA_KEYS（或 GONGSHI_DATA_KEYS_FILE） / generate one: {generate}",
                id="gongshi.core.E001",
            )
        )
    for position, key in enumerate(keys, start=1):
        problem = _fernet_key_problem(key)
        if key == development_key:
            problem = "是由 SECRET_KEY 推导的开发密钥"
        if problem:
            errors.append(
                Error(
                    f"GONGSHI_DATA_KEYS 的第 {position} 个密钥{problem}。 / Key {position} of"
                    " GONGSHI_DATA_KEYS is not a Fernet key of its own.",
                    hint=f"生成新密钥替换它 / replace it with a new one: {generate}",
                    id="gongshi.core.E002",
                )
            )
    lookup = settings.GONGSHI_LOOKUP_KEY
    if not lookup:
        errors.append(
            Error(
                "GONGSHI_LOOKUP_KEY 未设置：查找联系方式的哈希会用由 SECRET_KEY 推导的开发密钥，"
                "更换 SECRET_KEY 后就再也找不到已有记录。 / GONGSHI_LOOKUP_KEY is not set: the"
                " contact lookup hashes would use the development key derived from SECRET_KEY.",
                hint=f"设置为至少 32 个字符的随机串并保持不变 / set it once to a random string: {make_random}",
                id="gongshi.core.E003",
            )
        )
    elif len(lookup) < 32 or lookup in keys or lookup == settings.SECRET_KEY:
        errors.append(
            Error(
                "GONGSHI_LOOKUP_KEY 太短（少于 32 个字符），或与 SECRET_KEY、数据密钥相同。"
                " / GONGSHI_LOOKUP_KEY is shorter than 32 characters or reuses another key.",
                hint=f"换成单独的至少 32 个字符的随机串 / use a key of its own: {make_random}",
                id="gongshi.core.E004",
            )
        )
    return errors
