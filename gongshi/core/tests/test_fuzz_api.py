"""Schemathesis fuzzes the whole API against a live server, anonymously and as each persona.

Writes included: the live server's database is the test's own, flushed afterwards. A fixed
seed and example budget keep the run reproducible and inside the suite's time. The checks:
no server error (5xx) and every documented response matches its schema.

`make test` runs the suite twice, on SQLite and on PostgreSQL, and each persona is fuzzed in
one of the two passes (40–50 s each): so every persona is fuzzed once per `make test`, and each
database gets anonymous, reading and writing personas. GONGSHI_FUZZ_ALL=1 fuzzes all six on
the database at hand.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
PERSONAS = ["anonymous", "outsider", "unit", "developer", "regulator", "admin"]


def _personas_here() -> list[str]:
    from django.conf import settings

    if os.environ.get("GONGSHI_FUZZ_ALL") == "1":
        return PERSONAS
    postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    return PERSONAS[1::2] if postgres else PERSONAS[0::2]


EXAMPLES = 4
SEED = 21


@pytest.fixture
def fuzz_world(world, settings):
    # Limits would turn most of the run into 429s; they have their own tests.
    settings.GONGSHI_RATE_LIMIT_SCALE = 10_000
    return world


def _run(base: str, tmp_path: Path, persona: str, token: str | None) -> dict:
    report = tmp_path / f"{persona}.json"
    command = [
        str(SCHEMATHESIS if SCHEMATHESIS.exists() else shutil.which("schemathesis")),
        "run",
        f"{base}/api/schema/",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--no-shrink",
        "--continue-on-failure",
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "30",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--phases",
        "examples,fuzzing",
        "--warnings",
        "off",
    ]
    if token:
        command += ["--header", f"Authorization: Token {token}"]
    # In the test's directory: schemathesis keeps a cache (.schemathesis/) where it runs.
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    return {"code": result.returncode, "out": result.stdout[-6000:] + result.stderr[-2000:]}


@pytest.mark.parametrize("persona", _personas_here())
def test_the_api_survives_fuzzing_by(persona, fuzz_world, live_server, tmp_path):
    """Each persona its own test (and world), so pytest-xdist runs them side by side."""
    token = None
    if persona != "anonymous":
        token = Token.objects.get_or_create(user=fuzz_world.users[persona])[0].key
    outcome = _run(live_server.url, tmp_path, persona, token)
    assert outcome["code"] == 0, f"--- {persona} ---\n{outcome['out']}"
