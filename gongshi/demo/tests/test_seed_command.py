"""``gongshi seed_demo`` as ``make run`` runs it: committed, so every on-commit hook runs.

The module's other tests seed inside a transaction that is rolled back, where the hooks that
run after a commit (follow events, checkpoints) never fire; this one catches what breaks there.
"""

import pytest
from django.core.management import call_command

from gongshi.demo.tests.conftest import TEST_LOG_SIGNING_KEY

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_command_seeds_and_commits_with_every_hook(settings, tmp_path, capsys):
    from gongshi.disclosures import tallies
    from gongshi.integrity.models import Checkpoint
    from gongshi.participation.models import Event, EventKind

    settings.MEDIA_ROOT = tmp_path
    settings.GONGSHI_LOG_SIGNING_KEY = TEST_LOG_SIGNING_KEY
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    assert "gongshi-demo" in capsys.readouterr().out
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {EventKind.DISCLOSURE_PUBLISHED, EventKind.DISCLOSURE_INAPPLICABLE} <= kinds
    assert Checkpoint.objects.exists()
    assert tallies.differences() == []
