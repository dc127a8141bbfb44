"""The batch of archive sheets (one page per flat) for a big project: time and peak memory.

    .venv/bin/python bench/sheets_bench.py [--flats 1000] [--part 100]

Builds a fresh SQLite database in a temporary directory (migrations, one project, one
building of ``--flats`` flats, each with five measured values), then renders the batch in a
fresh process each way, so the peak resident memory of each is its own:

* ``whole``: one WeasyPrint document of every sheet (what the view did before);
* ``parts``: ``households.sheets.write_sheets_pdf`` — ``--part`` flats per WeasyPrint
  document, joined with pypdf into a file on disk, which the view streams.

Prints wall and CPU seconds, pages, file size and the process's peak RSS before (Django set
up, fonts loaded by a one-sheet warm-up) and after the batch.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _django(data_dir: str) -> None:
    from integrity_bench import setup

    setup(data_dir)


def seed(flats: int) -> None:
    from gongshi.core.testing import make_org, make_project
    from gongshi.households.flats import generate_flats
    from gongshi.households.models import FlatArchive
    from gongshi.households.tests.conftest import measure
    from gongshi.organisations.models import OrganisationType
    from gongshi.projects.models import Building

    developer = make_org(OrganisationType.DEVELOPER, name="哈尔滨松江置业有限公司")
    project = make_project(developer, name="松江·锦绣华府一期", address="哈尔滨市南岗区学府路1号")
    per_floor = 4
    floors = -(-flats // per_floor)
    building = Building.objects.create(
        project=project, name="1号楼", units=1, floors_above=floors, household_count=flats
    )
    generate_flats(building, floors_from=1, floors_to=floors, per_floor=per_floor)
    for archive in FlatArchive.objects.filter(project=project):
        measure(archive)  # the five measured values the tests use, one out of tolerance
    print(json.dumps({"project": project.code, "flats": FlatArchive.objects.count()}))


def render(mode: str, part: int) -> None:
    from gongshi.core.pdf import render_pdf
    from gongshi.households import sheets
    from gongshi.projects.models import Project

    project = Project.objects.get()
    archives = sheets.archives_for_sheets(project)
    sheets.MAX_SHEETS = archives.count()  # the bench prints them all in one file
    stylesheet = sheets.sheets_stylesheet("A4")
    render_pdf(sheets.sheets_html(project, archives[:1]), stylesheets=[stylesheet])  # warm-up
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryFile() as out:
        if mode == "whole":
            out.write(render_pdf(sheets.sheets_html(project, archives), stylesheets=[stylesheet]))
            pages = archives.count()
        else:
            sheets.SHEETS_PER_RENDER = part
            pages = sheets.write_sheets_pdf(project, archives, out)
        size = out.tell()
    print(
        json.dumps(
            {
                "mode": mode,
                "pages": pages,
                "bytes": size,
                "wall": time.perf_counter() - wall,
                "cpu": time.process_time() - cpu,
                "rss_before_mb": before / 1024,
                "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def child(*args: str, data_dir: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--data-dir", data_dir, *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flats", type=int, default=1000)
    parser.add_argument("--part", type=int, default=100)
    parser.add_argument("--data-dir")
    parser.add_argument("--step", choices=["seed", "whole", "parts"])
    args = parser.parse_args()
    if args.step:
        _django(args.data_dir)
        seed(args.flats) if args.step == "seed" else render(args.step, args.part)
        return

    from integrity_bench import machine

    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "GONGSHI_DATA_DIR": data_dir, "DATABASE_URL": ""}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], check=True, cwd=ROOT, env=env
        )
        seeded = child("--step", "seed", "--flats", str(args.flats), data_dir=data_dir)
        print(f"{machine()}; load average {os.getloadavg()[0]:.1f}")
        print(f"seeded {seeded['flats']} flats in {time.perf_counter() - started:.0f} s")
        for mode in ("whole", "parts"):
            r = child("--step", mode, "--part", str(args.part), data_dir=data_dir)
            print(
                f"{mode:6s} {r['pages']:5d} pages  {r['bytes'] / 1e6:6.1f} MB  "
                f"wall {r['wall']:6.1f} s  CPU {r['cpu']:6.1f} s  "
                f"RSS {r['rss_before_mb']:5.0f} → peak {r['rss_peak_mb']:5.0f} MB "
                f"(+{r['rss_peak_mb'] - r['rss_before_mb']:.0f})"
            )
        print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
