"""Publish drafts from several threads against the SQLite file in GONGSHI_DATA_DIR.

Run by ``test_concurrent_appends`` in a subprocess: the test database pytest makes for
SQLite is a shared-cache in-memory database, which reports "table is locked" instead of
waiting, so the embedded deployment (a WAL file, IMMEDIATE transactions) is reproduced
in a file copied from the test database. Usage: ``python concurrency_probe.py USER_ID
IDS,IDS,…`` (one comma-separated batch of version ids per thread).
"""

from __future__ import annotations

import os
import sys
import threading


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongshi.settings")
    import django

    django.setup()
    from django.db import connections

    from gongshi.accounts.models import User
    from gongshi.disclosures.models import DisclosureVersion
    from gongshi.disclosures.services import publish_version

    user = User.objects.get(pk=int(sys.argv[1]))
    batches = [[int(pk) for pk in batch.split(",")] for batch in sys.argv[2:]]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(batches))

    def publish(batch: list[int]) -> None:
        try:
            barrier.wait()
            for pk in batch:
                publish_version(DisclosureVersion.objects.get(pk=pk), user)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(b,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for error in errors:
        print(repr(error), file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
