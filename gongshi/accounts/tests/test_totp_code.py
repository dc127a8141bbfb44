"""``gongshi totp_code USERNAME`` prints the code the user's authenticator shows."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongshi.core.testing import make_user


def _code(username: str) -> str:
    out = StringIO()
    call_command("totp_code", username, stdout=out)
    return out.getvalue().strip()


def test_it_prints_a_code_the_device_accepts(db):
    user = make_user("ops", is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = _code("ops")
    assert len(code) == 6 and code.isdigit()
    assert device.verify_token(code)


def test_it_works_during_enrolment_for_the_unconfirmed_device(db):
    user = make_user("ops", is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="new phone", confirmed=False)
    assert device.verify_token(_code("ops"))


def test_it_explains_a_user_without_a_device(db):
    make_user("ops", is_staff=True)
    with pytest.raises(CommandError, match="还没有两步验证设备"):
        _code("ops")


def test_it_explains_an_unknown_username(db):
    with pytest.raises(CommandError, match="找不到用户名为“nobody”的用户"):
        _code("nobody")
