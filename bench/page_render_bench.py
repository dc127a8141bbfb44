"""The uncached render of a 500-item project page against the trivial view (issue 15).

    .venv/bin/python bench/page_render_bench.py [--buildings 72] [--requests 30] [--profile N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/page_render_bench.py

SQLite: a fresh file in a temporary directory (the embedded deployment's settings).
PostgreSQL: a scratch database ``gongshi_render_bench`` on the server named by DATABASE_URL,
created, migrated and dropped afterwards.

1. The demo world is seeded (``seed_demo``), then one more project in the same way — the
   demo's timeline, values, files and ``publish_version`` — but large: a handed-over estate of
   ``--buildings`` buildings (72 by default). Every catalogue item is on its checklist; the
   seven building-tied repeatable items have their instances declared through the workspace's
   services: one pre-sale permit per sales batch of two buildings and one foundation,
   main-structure, roof, household-summary (that building's flats), indoor-environment and
   unit-completion record per building. With 72 buildings the page shows 32 items and
   468 instances: 500 disclosures (the demo's usual share of them left unpublished).
2. Each timed request of ``/p/<code>/`` is a full render: before it, outside the timing, the
   page caches are emptied — the per-process stored-bytes store (``page_cache.local_pages``)
   and Django's cache (the shared stored bytes, the built page object of
   ``cached_project_page``, and the fragments keyed by the fingerprint: score, disclosures,
   participation, records). Process caches that do not depend on the data stay warm, as in a
   long-running worker: compiled templates (the cached loader), URL resolvers, translations,
   the fingerprint's parsed timestamps.
3. The trivial view (``HttpResponse("ok")``) goes through the same WSGI handler and middleware,
   timed the same way, interleaved round by round. Figures: requests per wall-clock second and
   per CPU-second of this process (on PostgreSQL the server's CPU is not in it), and the
   ratio; the page's query count.

``--sections`` adds two rows, timed in the same rounds (issue 15, "Sections kept in the
cache"): the page with its **sections kept** — before each request only the page-level
caches are emptied (the stored bytes, the built page, the fragments: every cache entry but
the sections of ``gongshi.public.sections``), as after a publication, which changes the
fingerprint and so every page-level key but leaves the other sections' keys alone — and the
same with **one section missing** (one kept section's key deleted before each request, a
different one each time, so one item or instance section is rendered and stored again, as
after one publication). The cold row (everything emptied) stays as it was. Django's local
memory cache keeps at most ``MAX_ENTRIES`` entries (300 unless the settings say otherwise)
and culls a third of them when full: ``--cache-entries N`` sets it for the bench process
(``0``: the settings' value). ``REDIS_URL=redis://127.0.0.1:6379/N`` measures with Redis as
production does; the bench then gives its keys its own prefix and deletes only those (never
``FLUSHDB``: the server is shared).

``--profile N`` prints a cProfile of N uncached renders instead of timing
(``--profile-mode warm|one`` profiles the sections-kept render instead of the cold one;
``PROFILE_OUT=FILE`` also writes the raw stats there for ``pstats``).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime as dt
import logging
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from public_bench import pg_admin, scratch_postgres, setup  # noqa: E402

SCRATCH_DB = "gongshi_render_bench"
CODE = "YLW3QA"
#: Items whose instances cover buildings, one per building (the pre-sale permit: per batch).
PER_BUILDING = (
    "acceptance.foundation",
    "acceptance.main_structure",
    "acceptance.roof",
    "acceptance.household_summary",
    "acceptance.indoor_environment",
    "acceptance.unit_completion",
)
PRESALE = "procedure.presale_permit"
BATCH = 2  # buildings per sales batch


def pg_exists(maintenance_url: str) -> bool:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [SCRATCH_DB])
        return found.fetchone() is not None


def seed_big_project(buildings: int) -> str:
    """A handed-over estate of ``buildings`` buildings, seeded as the demo seeds its projects."""
    from django.db import transaction

    from gongshi.catalogue.models import CatalogueItem
    from gongshi.core.choices import Stage
    from gongshi.demo import data
    from gongshi.demo.seed import Seeder, _local
    from gongshi.disclosures import workflow
    from gongshi.disclosures.models import VersionKind
    from gongshi.workspace.buildings import save_building

    started = time.monotonic()
    seeder = Seeder()
    base = next(s for s in data.PROJECTS if s.code == "YRW2QA")
    spec = dataclasses.replace(
        base,
        code=CODE,
        name="松北·悦澜湾三期",
        address="哈尔滨市松北区创新三路 1 号",
        stage=Stage.HANDED_OVER,
        layout=(buildings, 2, 11),
        contract_duration_days=900,
        started_days_ago=1300,
        completion_days_ago=330,
        handover_days_ago=260,
    )
    items = list(
        CatalogueItem.objects.filter(region__isnull=True, active=True).select_related("region")
    )
    tied = {i.code: i for i in items if i.code in (*PER_BUILDING, PRESALE)}
    with transaction.atomic():
        seeder.ensure_organisations()
        seeder.ensure_users()
        ctx = seeder.context(spec)
        project = seeder.create_project(spec, ctx)
        seeder.write_plan(ctx, project)
        events = [e for e in seeder.plan(ctx, project, items) if e.item.code not in tied]
        access = workflow.ProjectAccess.for_user(project, seeder.member_of[spec.developer])
        declared = [
            save_building(
                access,
                {
                    "name": f"{n}号楼",
                    "units": 2,
                    "floors_above": 11,
                    "floors_below": 1,
                    "floor_area": f"{2 * 11 * 2 * 98}.00",
                    "household_count": 2 * 11 * 2,
                    "sales_batch": (n - 1) // BATCH + 1,
                },
            )
            for n in range(1, buildings + 1)
        ]
        batches = [declared[i : i + BATCH] for i in range(0, buildings, BATCH)]
        for code, groups in [(PRESALE, batches)] + [
            (c, [[b] for b in declared]) for c in PER_BUILDING
        ]:
            item = tied[code]
            if code != PRESALE:
                workflow.set_required(access, item, len(groups))
            first_on = ctx.information_date(code)
            for n, covered in enumerate(groups):
                label = "、".join(b.name for b in covered) + ("" if code != PRESALE else "预售")
                disclosure = workflow.add_instance(
                    access, item, label=label, buildings=[b.pk for b in covered]
                )
                on = first_on + dt.timedelta(days=n % 20)
                values = seeder._values(ctx, item, on)
                if code == "acceptance.household_summary":
                    name = covered[0].name
                    values["households"] = [
                        r for r in values["households"] if r["building"] == name
                    ]
                    values["household_total"] = str(len(values["households"]))
                elif code == PRESALE:
                    values["certificate_number"] = f"哈松预售字（2024）第 {n + 1:04d} 号"
                at = _local(on + dt.timedelta(days=ctx.rng.randint(0, 5)), 10, n % 60)
                events.append(
                    seeder._event(
                        ctx, item, at, kind=VersionKind.PUBLICATION, values=values,
                        information_date=on, instance=disclosure.instance,
                    )
                )  # fmt: skip
        for event in sorted(events):
            seeder.carry_out(event, project)
    print(
        f"big project {CODE}: {buildings} buildings, {seeder.report.published} publications, "
        f"{seeder.report.files} files ({time.monotonic() - started:.1f} s)"
    )
    return CODE


def page_facts(code: str, html: str) -> dict:
    from gongshi.disclosures.models import Disclosure, DisclosureVersion

    disclosures = Disclosure.objects.filter(project__code=code)
    return {
        "item_sections": html.count('<section class="item"'),
        "instance_sections": html.count('<section class="instance"'),
        "disclosures": disclosures.count(),
        "published_versions": DisclosureVersion.objects.filter(
            disclosure__project__code=code, status="published"
        ).count(),
        "bytes": len(html.encode()),
    }


#: The bench's own key prefix in a (shared) Redis cache: only these keys are ever deleted.
REDIS_PREFIX = "sectbench-render"


def _backend():
    from django.core.cache import caches

    return caches["default"]


def _stored_keys() -> list[str]:
    """Every key the bench's cache holds (as stored: prefix and version included)."""
    from django.core.cache.backends.locmem import LocMemCache

    backend = _backend()
    if isinstance(backend, LocMemCache):
        with backend._lock:
            return list(backend._cache)
    client = backend._cache.get_client(None, write=True)
    return [k.decode() for k in client.scan_iter(match=f"{REDIS_PREFIX}:*", count=1000)]


def _delete_stored(keys: list[str]) -> None:
    from django.core.cache.backends.locmem import LocMemCache

    backend = _backend()
    if not keys:
        return
    if isinstance(backend, LocMemCache):
        with backend._lock:
            for key in keys:
                backend._delete(key)
    else:
        backend._cache.get_client(None, write=True).delete(*keys)


def _section_prefix() -> str:
    return _backend().make_key("public:section:")


def empty_page_caches() -> None:
    """Every cache keyed by the page's data: the next request renders the page in full."""
    from gongshi.public.page_cache import local_pages

    local_pages.clear()
    if REDIS_PREFIX in _backend().key_prefix:
        _delete_stored(_stored_keys())
    else:
        _backend().clear()


def empty_page_level_caches() -> None:
    """The stored bytes, the built page and the fragments; the kept sections stay."""
    from gongshi.public.page_cache import local_pages

    local_pages.clear()
    sections = _section_prefix()
    _delete_stored([k for k in _stored_keys() if not k.startswith(sections)])


class OneSectionMissing:
    """Before each request: the page-level caches emptied and one kept section deleted."""

    def __init__(self) -> None:
        self.turn = 0

    def __call__(self) -> None:
        empty_page_level_caches()
        sections = sorted(k for k in _stored_keys() if k.startswith(_section_prefix()))
        if sections:
            _delete_stored([sections[self.turn % len(sections)]])
        self.turn += 1


def kept_sections() -> int:
    return sum(k.startswith(_section_prefix()) for k in _stored_keys())


def make_client():
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import HttpResponse
    from django.test.client import RequestFactory
    from django.urls import clear_url_caches, path

    from gongshi import urls

    def trivial(request):
        return HttpResponse("ok")

    urls.urlpatterns.append(path("bench-trivial/", trivial))
    clear_url_caches()
    handler = WSGIHandler()
    factory = RequestFactory()

    def get(url: str) -> bytes:
        response = handler(factory.get(url).environ, lambda status, headers: None)
        body = b"".join(response)
        assert response.status_code == 200, (url, response.status_code)
        response.close()
        return body

    return get


def timed(get, url: str, n: int, *, uncached) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of ``n`` requests (``uncached``: a function emptying the
    caches before each request, untimed; ``True``: every cache; ``False``: none)."""
    if uncached is True:
        uncached = empty_page_caches
    wall, cpu = [], []
    for _ in range(n):
        if uncached:
            uncached()
        start, start_cpu = time.perf_counter(), time.process_time()
        get(url)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def count_queries(get, url: str, empty=empty_page_caches) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    empty()
    with CaptureQueriesContext(connection) as captured:
        get(url)
    return len(captured.captured_queries)


def measure(get, page_url: str, rounds: int, requests: int, sections: bool = False) -> dict:
    trivial_n = requests * 50
    runs = [
        ("trivial", "/bench-trivial/", trivial_n, False),
        ("page", page_url, requests, True),
    ]
    if sections:
        one = OneSectionMissing()
        runs += [
            ("warm", page_url, requests, empty_page_level_caches),
            ("one", page_url, requests, one),
        ]
    samples = {key: ([], []) for key, *_ in runs}
    for _ in range(rounds):
        for key, url, n, uncached in runs:
            if key == "warm":
                get(url)  # the sections the cold row left out, kept again (untimed)
            wall, cpu = timed(get, url, n, uncached=uncached)
            samples[key][0].extend(wall)
            samples[key][1].extend(cpu)
    result = {}
    for key, (wall, cpu) in samples.items():
        result[key] = {
            "per_s": len(wall) / sum(wall),
            "per_cpu_s": len(cpu) / sum(cpu),
            "median_ms": statistics.median(wall) * 1000,
            "cpu_median_ms": statistics.median(cpu) * 1000,
            "n": len(wall),
        }
    return result


def check_identical(get, page_url: str) -> None:
    """The page from kept sections is the page rendered in full (but the print clock)."""
    import re

    clock = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d</p>")
    empty_page_caches()
    cold = clock.sub(b"", get(page_url))
    empty_page_level_caches()
    warm = clock.sub(b"", get(page_url))
    OneSectionMissing()()
    one = clock.sub(b"", get(page_url))
    assert cold == warm == one, "the page from kept sections differs"
    print("page from kept sections: byte-identical to the full render")


def profile(get, page_url: str, n: int, mode: str = "cold") -> None:
    empty = {
        "cold": empty_page_caches,
        "warm": empty_page_level_caches,
        "one": OneSectionMissing(),
    }[mode]
    profiler = cProfile.Profile()
    get(page_url)
    for _ in range(n):
        empty()
        profiler.enable()
        get(page_url)
        profiler.disable()
    if out := os.environ.get("PROFILE_OUT"):
        profiler.dump_stats(out)
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(40)


def main() -> None:
    global SCRATCH_DB
    parser = argparse.ArgumentParser()
    parser.add_argument("--buildings", type=int, default=72)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20, help="uncached pages per round")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--profile-mode", choices=("cold", "warm", "one"), default="cold")
    parser.add_argument(
        "--sections",
        action="store_true",
        help="also time the page with its sections kept (page-level caches emptied), and "
        "with one section missing",
    )
    parser.add_argument(
        "--cache-entries",
        type=int,
        default=0,
        metavar="N",
        help="MAX_ENTRIES of the local memory cache (0: the settings' value, Django's 300)",
    )
    parser.add_argument(
        "--scratch-db",
        default=SCRATCH_DB,
        help=f"name of the PostgreSQL scratch database (default {SCRATCH_DB})",
    )
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="keep the database (SQLite: in DIR; PostgreSQL: the scratch database, DIR "
        "unused) — seeded on the first run, measured again without seeding on the next; "
        "delete DIR / drop the database when done",
    )
    args = parser.parse_args()

    SCRATCH_DB = args.scratch_db
    database_url = os.environ.get("DATABASE_URL", "")
    maintenance = None
    reused = False
    if database_url:
        scratch, maintenance = scratch_postgres(database_url)
        scratch = scratch.rsplit("/", 1)[0] + f"/{SCRATCH_DB}"
        if args.reuse:
            reused = pg_exists(maintenance)
        else:
            pg_admin(maintenance, f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')
        if not reused:
            pg_admin(maintenance, f'CREATE DATABASE "{SCRATCH_DB}"')
        os.environ["DATABASE_URL"] = scratch
    elif args.reuse:
        reused = (Path(args.reuse) / "gongshi.sqlite3").exists()
        Path(args.reuse).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongshi-render-bench-") as scratch_dir:
        try:
            setup(args.reuse if args.reuse and not database_url else scratch_dir)
            from django.conf import settings

            # Before the cache is first used: it reads its settings then.
            if os.environ.get("REDIS_URL"):
                settings.CACHES["default"]["KEY_PREFIX"] = REDIS_PREFIX
            elif args.cache_entries:
                options = settings.CACHES["default"].setdefault("OPTIONS", {})
                options["MAX_ENTRIES"] = args.cache_entries
            from django.core.management import call_command
            from django.db import connection

            commit = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
            ).stdout.strip()
            print(
                f"database: {connection.vendor}; python {platform.python_version()}; "
                f"{os.cpu_count()} CPUs; commit {commit}; DEBUG={settings.DEBUG}; "
                f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
            )
            print(f"load average before: {os.getloadavg()}")
            backend = _backend()
            print(
                f"cache: {type(backend).__name__}"
                + (f", MAX_ENTRIES {backend._max_entries}" if hasattr(backend, "_lock") else "")
            )
            call_command("migrate", verbosity=0, interactive=False)
            call_command("collectstatic", interactive=False, verbosity=0)
            if not reused:
                from gongshi.demo.seed import seed_demo

                report = seed_demo()
                print(f"demo world: {report.published} publications ({report.seconds:.1f} s)")
                seed_big_project(args.buildings)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            # The request log (one JSON line a request, to stdout) would drown the figures.
            logging.disable(logging.INFO)
            get = make_client()
            page_url = f"/p/{CODE}/"
            empty_page_caches()
            html = get(page_url).decode()
            facts = page_facts(CODE, html)
            print(
                f"page {page_url}: {facts['item_sections']} item sections, "
                f"{facts['instance_sections']} instance sections ({facts['disclosures']} "
                f"disclosures, {facts['published_versions']} published versions), "
                f"{facts['bytes']:,} bytes"
            )
            queries = count_queries(get, page_url)
            print(f"queries of an uncached render: {queries}")
            if args.sections:
                get(page_url)
                print(f"sections kept after a render: {kept_sections()}")
                warm_queries = count_queries(get, page_url, empty_page_level_caches)
                one_queries = count_queries(get, page_url, OneSectionMissing())
                print(
                    f"queries with the sections kept: {warm_queries}; "
                    f"one section missing: {one_queries}"
                )
                check_identical(get, page_url)
            if args.profile:
                profile(get, page_url, args.profile, args.profile_mode)
                return
            timed(get, page_url, 3, uncached=True)  # warm-up
            timed(get, "/bench-trivial/", 200, uncached=False)
            r = measure(get, page_url, args.rounds, args.requests, args.sections)
            t = r["trivial"]
            print(
                "| view | requests | req/s | ratio | median ms | req per CPU-s | ratio (CPU) | CPU median ms |"
            )
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            rows = [("trivial view", t), (f"`{page_url}` uncached", r["page"])]
            if args.sections:
                rows += [
                    (f"`{page_url}` uncached, sections kept", r["warm"]),
                    (f"`{page_url}` uncached, sections kept but one", r["one"]),
                ]
            for label, x in rows:
                print(
                    f"| {label} | {x['n']} | {x['per_s']:.1f} | {x['per_s'] / t['per_s']:.4f} | "
                    f"{x['median_ms']:.2f} | {x['per_cpu_s']:.1f} | "
                    f"{x['per_cpu_s'] / t['per_cpu_s']:.4f} | {x['cpu_median_ms']:.2f} |"
                )
            print(f"load average after: {os.getloadavg()}")
        finally:
            if os.environ.get("REDIS_URL"):
                empty_page_caches()  # the bench's own keys only
            if maintenance and not args.reuse:
                from django.db import connections

                connections.close_all()
                pg_admin(maintenance, f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')


if __name__ == "__main__":
    main()
