"""Passwords are stored with Argon2 (tests swap in a fast hasher; production does not)."""

from django.contrib.auth.hashers import check_password, make_password

from gongshi import settings as project_settings


def test_the_project_hashes_passwords_with_argon2_first():
    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_an_argon2_hash_verifies_and_rejects(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    encoded = make_password("correct-horse-battery-staple", hasher="argon2")
    assert encoded.startswith("argon2$argon2id$")
    assert check_password("correct-horse-battery-staple", encoded)
    assert not check_password("wrong", encoded)
