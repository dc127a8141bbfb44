"""Login throttling: too many failed passwords for one username from one address → wait.

A fixed window in the cache (Redis in production, so every web process shares it): the
first failure opens a window of ``GONGSHI_LOGIN_WINDOW_SECONDS``; after
``GONGSHI_LOGIN_MAX_FAILURES`` failures inside it, that username from that address is refused
until the window closes, even with the right password.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: behind a reverse proxy, the proxy must set it (e.g. uWSGI/gunicorn
    # forwarded-allow-ips); trusting X-Forwarded-For here would let anyone pick an address.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class LoginThrottle:
    username: str
    address: str

    @classmethod
    def for_request(cls, request: HttpRequest, username: str) -> LoginThrottle:
        return cls(username=username.strip().casefold(), address=client_address(request))

    @property
    def _key(self) -> str:
        digest = hashlib.sha256(f"{self.username}\0{self.address}".encode()).hexdigest()
        return f"gongshi:login-failures:{digest}"

    @property
    def limit(self) -> int:
        return settings.GONGSHI_LOGIN_MAX_FAILURES

    @property
    def window(self) -> int:
        return settings.GONGSHI_LOGIN_WINDOW_SECONDS

    def retry_at(self) -> datetime | None:
        """When this username may try again from this address, or None if it may now."""
        values = cache.get_many([f"{self._key}:count", f"{self._key}:since"])
        count, since = values.get(f"{self._key}:count", 0), values.get(f"{self._key}:since")
        if count < self.limit or since is None:
            return None
        retry = datetime.fromtimestamp(since, tz=UTC) + timedelta(seconds=self.window)
        return retry if retry > timezone.now() else None

    def record_failure(self) -> None:
        cache.add(f"{self._key}:since", time.time(), self.window)
        cache.add(f"{self._key}:count", 0, self.window)
        try:
            cache.incr(f"{self._key}:count")
        except ValueError:  # expired between add() and incr()
            cache.set(f"{self._key}:count", 1, self.window)

    def reset(self) -> None:
        cache.delete_many([f"{self._key}:count", f"{self._key}:since"])


def retry_message(retry_at: datetime) -> str:
    minutes = max(1, int((retry_at - timezone.now()).total_seconds() + 59) // 60)
    local = timezone.localtime(retry_at).strftime("%H:%M")
    return ngettext(
        "登录失败次数过多。为保护账号，请在 %(minutes)d 分钟后（%(time)s 之后）再试；忘记密码请联系管理员。",
        "登录失败次数过多。为保护账号，请在 %(minutes)d 分钟后（%(time)s 之后）再试；忘记密码请联系管理员。",
        minutes,
    ) % {"minutes": minutes, "time": local}


def otp_retry_message(locked_until: datetime | None) -> str:
    if locked_until is None:
        return _("验证码错误次数过多，请稍后再试。")
    seconds = max(1, int((locked_until - timezone.now()).total_seconds() + 0.999))
    return ngettext(
        "验证码错误次数过多，请在 %(seconds)d 秒后再试。",
        "验证码错误次数过多，请在 %(seconds)d 秒后再试。",
        seconds,
    ) % {"seconds": seconds}
