"""One-time codes: delivery, expiry, wrong attempts, rate limits per contact and per IP."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from gongshi.core.refusals import RateLimited
from gongshi.participation import questions
from gongshi.participation.models import ContactVerification
from gongshi.participation.tests.conftest import at, code_from_outbox, code_of

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_it_emails_a_code_and_stores_only_its_hash(db):
    verification = questions.send_verification_code("Asker@Example.COM", "203.0.113.7")
    code = code_from_outbox()
    assert mail.outbox[-1].to == ["Asker@example.com"]
    assert code not in verification.code_hash
    assert len(verification.code_hash) == 64


def test_it_texts_a_mobile_through_the_logging_sms_backend(db, caplog):
    caplog.set_level(logging.INFO, logger="gongshi.sms")
    verification = questions.send_verification_code("138 1234 5678", "203.0.113.7")
    assert verification.contact == "13812345678"
    assert verification.contact_kind == "mobile"
    assert "13812345678" in caplog.text and "验证码" in caplog.text
    assert not mail.outbox


def test_it_uses_the_configured_sms_backend(db, settings):
    from gongshi.participation.tests import sms_outbox

    settings.GONGSHI_SMS_BACKEND = "gongshi.participation.tests.sms_outbox.OutboxSmsBackend"
    sms_outbox.sent.clear()
    questions.send_verification_code("+86 139-0000-1111", None)
    assert sms_outbox.sent[-1][0] == "13900001111"


def test_it_refuses_what_is_neither_an_email_nor_a_mobile(db):
    with pytest.raises(ValidationError) as excinfo:
        questions.send_verification_code("12345", None)
    assert "手机号码" in str(excinfo.value)


def test_a_correct_code_gives_a_token_valid_for_a_day(db):
    questions.send_verification_code("asker@example.com", None, now=at(2026, 11, 2, 9))
    token = questions.confirm_code(
        "asker@example.com", code_from_outbox(), now=at(2026, 11, 2, 9, 5)
    )
    assert questions.verified_contact(token, now=at(2026, 11, 3, 9)).contact == "asker@example.com"
    assert questions.verified_contact(token, now=at(2026, 11, 3, 9, 6)) is None


def test_a_code_expires_after_ten_minutes(db):
    questions.send_verification_code("asker@example.com", None, now=at(2026, 11, 2, 9))
    with pytest.raises(ValidationError) as excinfo:
        questions.confirm_code("asker@example.com", code_from_outbox(), now=at(2026, 11, 2, 9, 11))
    assert code_of(excinfo.value) == "code_expired"


def test_five_wrong_codes_lock_the_code(db):
    questions.send_verification_code("asker@example.com", None)
    code = code_from_outbox()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError) as excinfo:
            questions.confirm_code("asker@example.com", wrong)
        assert code_of(excinfo.value) == "wrong_code"
    with pytest.raises(ValidationError) as excinfo:
        questions.confirm_code("asker@example.com", code)
    assert code_of(excinfo.value) == "too_many_attempts"


def test_a_code_is_used_once(db):
    questions.send_verification_code("asker@example.com", None)
    code = code_from_outbox()
    questions.confirm_code("asker@example.com", code)
    with pytest.raises(ValidationError):
        questions.confirm_code("asker@example.com", code)


def test_one_contact_gets_one_code_a_minute_and_five_an_hour(db):
    start = at(2026, 11, 2, 9)
    questions.send_verification_code("asker@example.com", None, now=start)
    with pytest.raises(RateLimited) as excinfo:
        questions.send_verification_code(
            "asker@example.com", None, now=start + dt.timedelta(seconds=30)
        )
    assert excinfo.value.code == "rate_limited"
    assert excinfo.value.retry_after == 30
    for minutes in (2, 4, 6, 8):
        questions.send_verification_code(
            "asker@example.com", None, now=start + dt.timedelta(minutes=minutes)
        )
    with pytest.raises(RateLimited) as excinfo:
        questions.send_verification_code(
            "asker@example.com", None, now=start + dt.timedelta(minutes=10)
        )
    assert "一小时" in excinfo.value.message
    assert excinfo.value.retry_after == 50 * 60  # when the first of the five leaves the hour
    questions.send_verification_code(
        "asker@example.com", None, now=start + dt.timedelta(minutes=61)
    )


def test_one_ip_gets_twenty_codes_an_hour(db):
    now = at(2026, 11, 2, 9)
    for n in range(20):
        questions.send_verification_code(f"a{n}@example.com", "198.51.100.1", now=now)
    with pytest.raises(RateLimited) as excinfo:
        questions.send_verification_code("a99@example.com", "198.51.100.1", now=now)
    assert excinfo.value.code == "rate_limited"
    questions.send_verification_code("a99@example.com", "198.51.100.2", now=now)
    assert ContactVerification.objects.count() == 21
