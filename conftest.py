import os

import pytest

from gongshi.core.testing import World, build_world


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Each test stores files in its own directory, so a test can prove nothing was left."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 is deliberately slow; tests create many users and need no strong hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()


def pytest_configure(config):
    # Under CI a missing part (PostgreSQL, Chromium, fonts) must fail the run, never skip.
    os.environ.setdefault("GONGSHI_TESTING", "1")
