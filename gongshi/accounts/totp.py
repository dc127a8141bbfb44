"""Small helpers around django-otp's TOTP devices."""

from __future__ import annotations

import time

from django_otp.oath import TOTP


def current_code(device) -> str:
    """The code an authenticator app shows for ``device`` right now (zero-padded)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"
