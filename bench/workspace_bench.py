"""Benchmark of the household acceptance Excel import (issue 3: "5,000 household rows import
in seconds").

    .venv/bin/python bench/workspace_bench.py [--rows 5000] [--runs 5]

It builds its own SQLite database in a temporary directory (never ``var/``), migrates it,
creates the test personas' project, then times, after one warm-up and over ``--runs`` runs:

* ``read``    — :func:`gongshi.workspace.excel.read_rows` on an exported .xlsx of N rows
  (open, header match, every cell validated, uniqueness of building/unit/room);
* ``import``  — the whole upload as the browser does it: ``POST …/excel/import/`` through the
  test Client (multipart parse, read, save the draft with its optimistic lock);
* ``publish`` — submit + approve of the imported draft (full validation, privacy guard over
  every cell, publication log leaf);
* ``export``  — ``GET …/excel/export.xlsx`` of the published version.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="gongshi-workspace-bench-")
    os.environ["GONGSHI_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongshi.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    call_command("ensure_signing_key", verbosity=0)  # publication signs log checkpoints
    from gongshi.catalogue.tests.factories import only_items
    from gongshi.core.testing import build_world
    from gongshi.disclosures import workflow
    from gongshi.disclosures.models import DisclosureVersion
    from gongshi.workspace import excel
    from gongshi.workspace.testing import HOUSEHOLD_FIELDS, access, household_item, household_rows

    world = build_world()
    item = household_item()
    only_items(item)
    table = HOUSEHOLD_FIELDS[1]
    sheet = excel.export(table, household_rows(args.rows))
    unit_client = world.client("unit")
    import_url = reverse("workspace:excel_import", args=[world.project.code, item.code])
    export_url = reverse("workspace:excel_export", args=[world.project.code, item.code])

    timings: dict[str, list[float]] = {"read": [], "import": [], "publish": [], "export": []}
    cpu: dict[str, list[float]] = {name: [] for name in timings}
    for run in range(args.runs + 1):
        clock = {}
        cpu_start = time.process_time()
        start = time.perf_counter()
        rows = excel.read_rows(table, io.BytesIO(sheet))
        read = time.perf_counter() - start
        clock["read"] = time.process_time() - cpu_start
        assert len(rows) == args.rows

        pending = workflow.pending_version(world.project, item)
        lock = pending.lock_version if pending else 0
        upload = SimpleUploadedFile("households.xlsx", sheet, excel.XLSX_CONTENT_TYPE)
        cpu_start = time.process_time()
        start = time.perf_counter()
        response = unit_client.post(
            import_url, {"field": "households", "file": upload, "lock_version": str(lock)}
        )
        imported = time.perf_counter() - start
        clock["import"] = time.process_time() - cpu_start
        assert response.status_code == 302, response.content[:2000]

        version = workflow.pending_version(world.project, item)
        version = workflow.save_draft(
            access(world, "unit"),
            version,
            lock_version=version.lock_version,
            information_date=version.created_at.date(),
            reason="基准测试更正" if version.kind != "publication" else None,
        )
        cpu_start = time.process_time()
        start = time.perf_counter()
        workflow.submit(access(world, "unit"), version)
        workflow.approve(access(world, "developer"), version)
        published = time.perf_counter() - start
        clock["publish"] = time.process_time() - cpu_start

        cpu_start = time.process_time()
        start = time.perf_counter()
        response = world.client("developer").get(export_url, {"field": "households"})
        exported = time.perf_counter() - start
        clock["export"] = time.process_time() - cpu_start
        assert response.status_code == 200
        if run:  # the first run warms caches and imports
            timings["read"].append(read)
            timings["import"].append(imported)
            timings["publish"].append(published)
            timings["export"].append(exported)
            for name, seconds in clock.items():
                cpu[name].append(seconds)
        # Next run's import is a correction of this publication (reason required).
        workflow.open_version(access(world, "unit"), item, reason="基准测试更正")

    assert DisclosureVersion.objects.published().count() == args.runs + 1
    print(f"# workspace_bench: {args.rows} household rows, {args.runs} runs after a warm-up")
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite (WAL) in {data_dir}"
    )
    print(f"# .xlsx size: {len(sheet) / 1024:.0f} KB")
    print(f"# load average at the end: {os.getloadavg()[0]:.1f}")
    print("| step | wall median (s) | wall min (s) | wall max (s) | CPU median (s) |")
    print("|---|---|---|---|---|")
    for name, values in timings.items():
        print(
            f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | "
            f"{max(values):.2f} | {statistics.median(cpu[name]):.2f} |"
        )


if __name__ == "__main__":
    main()
