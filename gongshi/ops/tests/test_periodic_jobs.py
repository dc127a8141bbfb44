"""Each periodic job is safe to start twice at once: the second says so and does nothing."""

import io
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from gongshi.core.jobs import job_lock
from gongshi.integrity.log import append_leaf
from gongshi.integrity.models import Checkpoint

pytestmark = pytest.mark.django_db(transaction=True)

JOBS = ["checkpoint", "retry_deliveries", "purge_orphan_files", "recount", "send_reminders"]


@pytest.mark.parametrize("job", JOBS)
def test_a_second_run_while_one_holds_the_lock_skips(job):
    with job_lock(job) as held:
        assert held
        out = io.StringIO()
        if connection.vendor == "postgresql":
            # An advisory lock is re-entrant within one session: take it from another one.
            other = subprocess.run(
                [sys.executable, "-m", "django", job],
                capture_output=True,
                text=True,
                cwd=settings.REPO_DIR,
                env={**_child_env()},
            )
            text = other.stdout
        else:
            call_command(job, stdout=out)
            text = out.getvalue()
    assert f"另一个 gongshi {job} 正在运行，本次跳过。" in text


def test_the_checkpoint_job_says_what_it_did():
    append_leaf("test", {"n": 1}, checkpoint=False)
    out = io.StringIO()
    call_command("checkpoint", stdout=out)
    assert "Checkpoint signed: size 1" in out.getvalue()
    assert Checkpoint.objects.count() == 1
    out = io.StringIO()
    call_command("checkpoint", stdout=out)
    assert "No new entries; latest checkpoint covers 1 entries." in out.getvalue()


def _child_env() -> dict[str, str]:
    import os

    from gongshi.ops.testing import instance_env

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return instance_env(settings.DATA_DIR, DATABASE_URL=url, PATH=os.environ["PATH"])
