"""`manage.py check --deploy` is clean with production variables, and not without them.

The check runs in a fresh process so the settings module really reads these variables.
"""

import os
import secrets
import subprocess
import sys

PRODUCTION = {
    "DEBUG": "False",
    "ALLOWED_HOSTS": "gongshi.example.cn",
    "SITE_URL": "https://gongshi.example.cn",
    "SECURE_SSL_REDIRECT": "True",
    "SECURE_COOKIES": "True",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_PROXY_SSL": "True",
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


def test_it_warns_when_production_runs_with_the_development_defaults(tmp_path):
    result = _check_deploy(tmp_path, {})
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W009" in output  # the development SECRET_KEY
    assert "security.W004" in output  # no HSTS
    assert "security.W008" in output  # no HTTPS redirect
