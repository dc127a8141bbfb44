import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings

# A fixed "now", so the timeline (and therefore every count) is the same on every run.
SEED_NOW = dt.datetime(2026, 6, 15, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
# base64 of a 32-byte Ed25519 seed, for these tests only (publishing signs log checkpoints).
TEST_LOG_SIGNING_KEY = "Z29uZ3NoaS1kZW1vLXRlc3RzLW9ubHktMzItYnl0ZXM="


@pytest.fixture(scope="package")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker, demo_media):
    """The demo seeded once for all the modules here, rolled back when they are done.

    Seeding the whole demo takes most of a minute on a loaded CI machine; every test reads
    the same world. Each test runs inside its own savepoint, nested in this transaction and
    rolled back after it, so a test that writes (the idempotency tests) leaves the next one
    the world as seeded.
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
