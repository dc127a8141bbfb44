"""Askers' and visitors' contacts and names are encrypted at rest (gongshi.core.crypto)."""

import importlib

import pytest
from cryptography.fernet import Fernet
from django.apps import apps as global_apps
from django.db import connection

from gongshi.core import crypto
from gongshi.participation import questions
from gongshi.participation.models import ContactVerification, Question

PHONE = "13912345678"


def _raw_rows(table: str) -> str:
    """Everything the database holds in a table, as a dump or a stolen backup would show it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return repr(cursor.fetchall())


def _ask(world) -> Question:
    questions.send_verification_code(PHONE, "198.51.100.1")
    verification = ContactVerification.objects.get()
    code = "123456"
    ContactVerification.objects.filter(pk=verification.pk).update(code_hash=questions.digest(code))
    token = questions.confirm_code(PHONE, code)
    question, _token = questions.ask_question(
        world.project, token, body="外墙渗水何时维修？", ip="198.51.100.1"
    )
    return question


def test_a_phone_number_is_unreadable_in_a_raw_dump(world):
    question = _ask(world)
    for model in (ContactVerification, Question):
        raw = _raw_rows(model._meta.db_table)
        assert PHONE not in raw
        assert PHONE[-4:] + "'" not in raw
        assert crypto.PREFIX in raw  # a Fernet token is stored instead
    # The application reads it back, and finds the rows by contact for the limits.
    assert Question.objects.get(pk=question.pk).contact == PHONE
    assert Question.objects.filter(contact_hash=crypto.lookup_hash(PHONE)).count() == 1


def test_filtering_on_the_ciphertext_is_refused_not_silently_empty(db):
    with pytest.raises(TypeError, match="lookup hash"):
        Question.objects.filter(contact=PHONE).exists()


def test_keys_rotate_newest_first_and_old_values_still_read(world, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GONGSHI_DATA_KEYS = [old]
    question = _ask(world)
    settings.GONGSHI_DATA_KEYS = [new, old]
    assert Question.objects.get(pk=question.pk).contact == PHONE
    Question.objects.get(pk=question.pk).save()  # re-encrypted with the new key
    settings.GONGSHI_DATA_KEYS = [new]
    assert Question.objects.get(pk=question.pk).contact == PHONE


def test_the_migration_encrypts_contacts_stored_in_clear(world):
    question = _ask(world)
    table = connection.ops.quote_name(Question._meta.db_table)
    with connection.cursor() as cursor:  # as it was before migration 0003
        cursor.execute(
            f"UPDATE {table} SET contact = %s, contact_hash = '' WHERE id = %s",  # noqa: S608
            [PHONE, question.pk],
        )
    assert PHONE in _raw_rows(Question._meta.db_table)
    migration = importlib.import_module(
        "gongshi.participation.migrations.0003_personal_data_encrypted"
    )
    migration.encrypt_existing(global_apps, None)
    assert PHONE not in _raw_rows(Question._meta.db_table)
    assert Question.objects.get(pk=question.pk).contact == PHONE
    assert Question.objects.get(pk=question.pk).contact_hash == crypto.lookup_hash(PHONE)


def test_masking_shows_enough_to_recognise_not_to_call():
    assert crypto.mask_contact(PHONE) == "139****5678"
    assert crypto.mask_contact("zhang.san@example.com") == "z***@example.com"


def test_contacts_are_anonymised_after_the_retention_period_idempotently(world, settings):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from gongshi.integrity.models import AuditEvent
    from gongshi.participation.retention import purge_personal_data

    settings.GONGSHI_PERSONAL_DATA_RETENTION_DAYS = 30
    question = _ask(world)
    assert purge_personal_data()["questions"] == 0  # too recent
    later = timezone.now() + dt.timedelta(days=31)
    counts = purge_personal_data(now=later)
    assert counts == {"questions": 1, "registrations": 0, "verifications": 1}
    question.refresh_from_db()
    assert question.contact == "" and question.body == "外墙渗水何时维修？"
    assert purge_personal_data(now=later) == {
        "questions": 0,
        "registrations": 0,
        "verifications": 0,
    }
    assert AuditEvent.objects.filter(action="personal_data.purged").count() == 1
    call_command("purge_personal_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
