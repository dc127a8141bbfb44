"""`manage.py check --deploy` is clean with production variables, and not without them.

The check runs in a fresh process so the settings module really reads these variables.
"""

import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

# Production runs on PostgreSQL, so the clean check runs in both database passes; the refusals
# come from the settings' variables alone, not from the database, and run on SQLite only.
settings_only = pytest.mark.one_database

PRODUCTION = {
    "DEBUG": "False",
    "ALLOWED_HOSTS": "gongshi.example.cn",
    "SITE_URL": "https://gongshi.example.cn",
    "SECURE_SSL_REDIRECT": "True",
    "SECURE_COOKIES": "True",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_PROXY_SSL": "True",
    "GONGSHI_DATA_KEYS": Fernet.generate_key().decode(),
    "GONGSHI_LOOKUP_KEY": secrets.token_urlsafe(48),
}


def _check_deploy(tmp_path, extra: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "DATABASE_URL", "GONGSHI_TEST_DATABASE_NAME")
    }
    environment.update(GONGSHI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="gongshi.settings")
    environment.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_is_clean_with_production_variables(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    result = _check_deploy(tmp_path, {**PRODUCTION, "SECRET_KEY_FILE": str(secret_file)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@settings_only
def test_it_warns_when_production_runs_with_the_development_defaults(tmp_path):
    result = _check_deploy(tmp_path, {})
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W009" in output  # the development SECRET_KEY
    assert "security.W004" in output  # no HSTS
    assert "security.W008" in output  # no HTTPS redirect


@settings_only
def test_it_refuses_production_without_the_personal_data_keys(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    production = {**PRODUCTION, "SECRET_KEY_FILE": str(secret_file)}
    del production["GONGSHI_DATA_KEYS"], production["GONGSHI_LOOKUP_KEY"]
    result = _check_deploy(tmp_path, production)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "gongshi.core.E001" in output  # no data keys
    assert "gongshi.core.E003" in output  # no lookup key
    assert "GONGSHI_DATA_KEYS 未设置" in output


@settings_only
def test_it_refuses_the_development_key_a_broken_key_and_a_short_lookup_key(tmp_path):
    import base64
    import hashlib

    secret = secrets.token_urlsafe(50)
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(secret, encoding="utf-8")
    # What gongshi.core.crypto derives from SECRET_KEY when GONGSHI_DATA_KEYS is unset.
    derived = hashlib.sha256(f"gongshi:data-key:{secret}".encode()).digest()
    development = base64.urlsafe_b64encode(derived).decode()
    production = {
        **PRODUCTION,
        "SECRET_KEY_FILE": str(secret_file),
        "GONGSHI_DATA_KEYS": f"{development},not-a-key",
        "GONGSHI_LOOKUP_KEY": "short",
    }
    result = _check_deploy(tmp_path, production)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert output.count("gongshi.core.E002") == 2, output  # both keys
    assert "第 1 个密钥是由 SECRET_KEY 推导的开发密钥" in output
    assert "第 2 个密钥不是有效的 Fernet 密钥" in output
    assert "gongshi.core.E004" in output


@settings_only
def test_development_skips_the_key_check(tmp_path):
    result = _check_deploy(tmp_path, {"DEBUG": "True"})
    assert "gongshi.core.E00" not in result.stdout + result.stderr
