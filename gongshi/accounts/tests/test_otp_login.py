"""Staff and regulators sign in with a password *and* a TOTP code, enrolling on first use."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongshi.accounts.policy import requires_second_factor
from gongshi.accounts.views import PENDING_LOGIN_KEY
from gongshi.core.choices import OrganisationType
from gongshi.core.testing import PASSWORD, make_org, make_user, totp_now


@pytest.fixture
def regulator(db):
    return make_user("inspector", make_org(OrganisationType.REGULATOR, "230100"))


def _password(client, username="inspector", **extra):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD}, **extra)


def test_it_requires_a_second_factor_of_staff_superusers_and_regulators_only(db):
    developer = make_user("dev", make_org(OrganisationType.DEVELOPER))
    regulator = make_user("reg", make_org(OrganisationType.REGULATOR, "230100"))
    staff = make_user("ops", is_staff=True)
    assert requires_second_factor(regulator)
    assert requires_second_factor(staff)
    assert not requires_second_factor(developer)


def test_a_password_alone_does_not_log_a_regulator_in(client, regulator):
    response = _password(client)
    assert response["Location"] == "/accounts/login/otp/setup/"
    assert SESSION_KEY not in client.session


def test_the_setup_page_shows_a_qr_code_and_the_secret(client, regulator):
    _password(client)
    response = client.get("/accounts/login/otp/setup/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=regulator)
    assert not device.confirmed
    assert response.context["secret"].replace(" ", "") in device.config_url


def test_entering_the_current_code_confirms_the_device_and_logs_in(client, regulator):
    _password(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.get("/accounts/login/otp/setup/")
    device = TOTPDevice.objects.get(user=regulator)

    response = client.post("/accounts/login/otp/setup/", {"token": totp_now(device)})

    assert response.status_code == 302
    assert response["Location"] == "/workspace/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[SESSION_KEY] == str(regulator.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_LOGIN_KEY not in client.session


def test_a_wrong_code_during_setup_is_refused(client, regulator):
    _password(client)
    client.get("/accounts/login/otp/setup/")
    device = TOTPDevice.objects.get(user=regulator)
    wrong = f"{(int(totp_now(device)) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/login/otp/setup/", {"token": wrong})

    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert SESSION_KEY not in client.session
    device.refresh_from_db()
    assert not device.confirmed


def test_a_code_that_is_not_six_digits_is_explained(client, regulator):
    _password(client)
    response = client.post("/accounts/login/otp/setup/", {"token": "12ab56"})
    assert "验证码只含数字" in response.content.decode()


def test_an_enrolled_regulator_is_asked_for_the_code(client, regulator):
    TOTPDevice.objects.create(user=regulator, name="phone", confirmed=True)
    response = _password(client)
    assert response["Location"] == "/accounts/login/otp/"
    assert client.get("/accounts/login/otp/setup/")["Location"] == "/accounts/login/otp/"


def test_the_right_code_logs_an_enrolled_regulator_in(client, regulator):
    device = TOTPDevice.objects.create(user=regulator, name="phone", confirmed=True)
    _password(client)
    response = client.post("/accounts/login/otp/", {"token": totp_now(device)})
    assert response["Location"] == "/workspace/"
    assert client.session[SESSION_KEY] == str(regulator.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_wrong_code_is_refused_and_then_throttled(client, regulator):
    device = TOTPDevice.objects.create(user=regulator, name="phone", confirmed=True)
    wrong = f"{(int(totp_now(device)) + 1) % 1_000_000:06d}"
    _password(client)

    first = client.post("/accounts/login/otp/", {"token": wrong})
    second = client.post("/accounts/login/otp/", {"token": totp_now(device)})

    assert "验证码不正确" in first.content.decode()
    assert "验证码错误次数过多，请在" in second.content.decode()
    assert SESSION_KEY not in client.session


def test_the_code_steps_expire_with_the_pending_sign_in(client, regulator, monkeypatch):
    device = TOTPDevice.objects.create(user=regulator, name="phone", confirmed=True)
    _password(client)
    later = time.time() + 11 * 60
    monkeypatch.setattr("gongshi.accounts.views.time.time", lambda: later)

    response = client.post("/accounts/login/otp/", {"token": totp_now(device)}, follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "登录已超时" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_code_pages_send_strangers_to_the_login_page(client, db):
    assert client.get("/accounts/login/otp/")["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/otp/setup/")["Location"] == "/accounts/login/"


def test_an_inactive_user_cannot_get_past_the_password(client, regulator):
    regulator.is_active = False
    regulator.save()
    response = _password(client)
    assert response.status_code == 200
    assert PENDING_LOGIN_KEY not in client.session
