import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings

# A fixed "now", so the timeline (and therefore every count) is the same on every run.
SEED_NOW = dt.datetime(2026, 6, 15, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
# base64 of a 32-byte Ed25519 seed, for these tests only (publishing signs log checkpoints).
TEST_LOG_SIGNING_KEY = "Z29uZ3NoaS1kZW1vLXRlc3RzLW9ubHktMzItYnl0ZXM="


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, demo_media):
    """The demo seeded once for the whole module, rolled back when the module is done.

    Seeding takes seconds; every test in the module reads the same world. Tests that write
    (the idempotency test) run inside their own savepoint, nested in this transaction.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=demo_media,
            GONGSHI_LOG_SIGNING_KEY=TEST_LOG_SIGNING_KEY,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            from gongshi.demo.seed import seed_demo

            yield seed_demo(now=SEED_NOW)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db, settings, demo_media):
    """The seeded world inside a test: the files where the seed stored them."""
    settings.MEDIA_ROOT = demo_media
    return seeded
