"""Benchmarks of the public portal (issue 4); prints figures for BENCHMARKS.md.

    .venv/bin/python bench/public_bench.py [--projects 10000] [--seconds 10] [--search-only]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/public_bench.py

SQLite: a fresh file in a temporary directory (the embedded deployment's settings).
PostgreSQL: a scratch database ``gongshi_public_bench`` is created on the server named by
DATABASE_URL, migrated, and dropped afterwards.

1. The demo world is seeded (``seed_demo``: realistic projects with every item, corrections,
   files and household tables; not with ``--search-only``), then ``--projects`` more
   projects are added in bulk (``bench/project_generator.py``: names, addresses and
   developers with credit codes across Heilongjiang's cities; 100,000 in about two minutes).
2. Search latency: per kind of query (1–2 Chinese characters, a full name, pinyin,
   initials, a credit code, a region filter with a word, two words, a region alone), the
   time to run a search as the home page and the API do (filter + count + first page of 20
   + their cards), p50 and p95 over repeated runs, and its CPU time without the cards; the
   cards three ways: all 20 checklists built (before the card cache), the card cache empty,
   every card cached (gongshi/public/cards.py).
3. Project-page throughput: requests per second for ``/p/<code>/`` of the demo project with
   the most published versions, against a trivial Django view (``HttpResponse("ok")``),
   both through the same WSGI handler and middleware, sequentially in one process; the
   ratio is the figure. A conditional request (304) is measured too.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SCRATCH_DB = "gongshi_public_bench"

# Query strings per kind; "credit code" is filled in from the generated developers.
QUERIES = {
    "1–2 Chinese characters": ["q=园", "q=花园", "q=南岗", "q=湖", "q=松江"],
    "full project name": ["q=阳光花园一期", "q=锦绣华府二期", "q=太阳岛壹号院", "q=保利公馆", "q=翠湖家园A区"],
    "pinyin": ["q=huayuan", "q=haerbin", "q=songjiang", "q=daqing", "q=jinxiu"],
    "initials": ["q=hy", "q=hrb", "q=sj", "q=dq", "q=jx"],
    "credit code": [],
    "region filter + word": ["city=230100&q=花园", "city=230102&q=yangguang", "city=230600&q=hy",
                             "city=230103&q=阳光", "city=230100&q=哈尔滨"],
    "two words (short + long)": ["q=花园 哈尔滨", "q=园 nangang"],
    "region filter, no word": ["city=230100", "city=230102"],
}  # fmt: skip


def setup(data_dir: str) -> None:
    os.environ["GONGSHI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongshi.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    # A throwaway log signing key, so publications are logged and checkpointed as in production.
    os.environ["GONGSHI_LOG_SIGNING_KEY"] = base64.b64encode(os.urandom(32)).decode()
    os.environ["GONGSHI_LOG_ORIGIN"] = "bench.gongshi.example/log"
    import django

    django.setup()


def scratch_postgres(url: str) -> tuple[str, str]:
    """(url of the scratch database, url of the maintenance database)."""
    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    return urlunsplit(parts._replace(path=f"/{SCRATCH_DB}")), maintenance


def pg_admin(maintenance_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(sql)


def pg_database_has_projects(url: str) -> bool:
    """Whether the scratch database of an earlier ``--reuse`` run exists with its projects."""
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT EXISTS (SELECT FROM projects_project)").fetchone()[0]
    except psycopg.Error:
        return False


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def seed_demo_world() -> str:
    from gongshi.demo.seed import seed_demo

    report = seed_demo()
    print(
        f"demo world: {report.projects_created} projects, {report.published} publications, "
        f"{report.household_rows} household rows, {report.files} files ({report.seconds:.1f} s)"
    )


def seed_bulk_projects(count: int) -> dict:
    """``count`` realistic projects in bulk (bench/project_generator.py)."""
    sys.path.insert(0, str(REPO / "bench"))
    from project_generator import generate_projects

    return generate_projects(count)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


#: How a search page gets its 20 cards: building every checklist (as before issue 15's card
#: cache), or ``gongshi.public.cards.cards_for`` with an empty cache / with every card cached.
CARD_MODES = ("checklists", "cards, cold cache", "cards, warm cache")


def search_once(query: str, mode: str = "cards, warm cache") -> tuple[int, float]:
    """(hits, ms until the page's projects are loaded); the cards are built after."""
    from django.core.cache import cache
    from django.core.paginator import Paginator
    from django.http import QueryDict

    from gongshi.disclosures.checklist import checklists_for
    from gongshi.projects.models import Project
    from gongshi.public.cards import card_of, cards_for
    from gongshi.public.search import ProjectFilterSet

    if mode == "cards, cold cache":
        cache.clear()
    start = time.process_time()
    filterset = ProjectFilterSet(QueryDict(query), queryset=Project.objects.all())
    assert filterset.is_valid()
    page = Paginator(filterset.results(), 20).get_page(1)
    projects = list(page.object_list)
    found = (time.process_time() - start) * 1000
    if mode == "checklists":
        [card_of(c) for c in checklists_for(projects).values()]
    else:
        cards_for(projects)
    return page.paginator.count, found


def bench_search(repeats: int) -> dict[str, dict]:
    """Per kind and card mode: wall and CPU time of the whole search (filter, count, first
    page of 20 and their cards, as the home page and the API do), and CPU time without the
    cards (the floor: the search alone)."""
    results = {}
    for kind, queries in QUERIES.items():
        by_mode = {}
        hits = {}
        for mode in CARD_MODES:
            samples, cpu, found = [], [], []
            for query in queries:
                hits[query] = search_once(query, mode)[0]  # warm-up, and the hit count
                for _ in range(repeats):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    found.append(search_once(query, mode)[1])
                    samples.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu) * 1000)
            by_mode[mode] = {
                "p50": statistics.median(samples),
                "p95": percentile(samples, 0.95),
                "cpu_p50": statistics.median(cpu),
                "cpu_p95": percentile(cpu, 0.95),
                "found_p95": percentile(found, 0.95),
                "n": len(samples),
            }
        results[kind] = {"hits": hits, "modes": by_mode}
    return results


def busiest_project_code() -> str:
    from django.db.models import Count, Q

    from gongshi.projects.models import Project

    return (
        Project.objects.annotate(
            n=Count("disclosures__versions", filter=Q(disclosures__versions__status="published"))
        )
        .order_by("-n")
        .values_list("code", flat=True)
        .first()
    )


def throughput(handler, environ_for, seconds: float) -> tuple[float, float]:
    """(requests per wall-clock second, requests per CPU-second of this process)."""
    done = 0
    start, start_cpu = time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        response = handler(environ_for(), lambda status, headers: None)
        b"".join(response)
        if hasattr(response, "close"):
            response.close()
        done += 1
    return done / elapsed, done / (time.process_time() - start_cpu)


def bench_pages(code: str, seconds: float) -> dict:
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

    def environ(url: str, **extra):
        return lambda: factory.get(url, **extra).environ

    page_url = f"/p/{code}/"
    first = handler(environ(page_url)(), lambda status, headers: None)
    etag = first.headers["ETag"]
    assert first.status_code == 200, first.status_code
    results = {
        "trivial": throughput(handler, environ("/bench-trivial/"), seconds),
        "project": throughput(handler, environ(page_url), seconds),
        "project_304": throughput(handler, environ(page_url, HTTP_IF_NONE_MATCH=etag), seconds),
    }
    for key in ("project", "project_304"):
        results[f"{key}_ratio"] = tuple(
            a / b for a, b in zip(results[key], results["trivial"], strict=True)
        )
    return results


def page_facts(code: str) -> dict:
    from gongshi.disclosures.models import DisclosureVersion
    from gongshi.projects.models import Project

    project = Project.objects.get(code=code)
    versions = DisclosureVersion.objects.filter(disclosure__project=project, status="published")
    rows = sum(
        len(v) for values in versions.values_list("values", flat=True) for v in values.values()
        if isinstance(v, list)
    )  # fmt: skip
    return {"name": project.name, "versions": versions.count(), "table_rows": rows}


def main() -> None:
    global SCRATCH_DB
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--search-only", action="store_true", help="no demo world and no page throughput"
    )
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="keep the database (SQLite: in DIR; PostgreSQL: the scratch database, DIR "
        "ignored): made on the first run, measured again without seeding on the next; "
        "delete DIR or drop the database when done",
    )
    parser.add_argument(
        "--scratch-db",
        default=SCRATCH_DB,
        help=f"name of the PostgreSQL scratch database (default {SCRATCH_DB})",
    )
    args = parser.parse_args()

    SCRATCH_DB = args.scratch_db
    database_url = os.environ.get("DATABASE_URL", "")
    maintenance = None
    reused = False
    if database_url:
        scratch, maintenance = scratch_postgres(database_url)
        reused = bool(args.reuse) and pg_database_has_projects(scratch)
        if not reused:
            pg_admin(maintenance, f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')
            pg_admin(maintenance, f'CREATE DATABASE "{SCRATCH_DB}"')
        os.environ["DATABASE_URL"] = scratch
    elif args.reuse:
        reused = (Path(args.reuse) / "gongshi.sqlite3").exists()
        Path(args.reuse).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongshi-public-bench-") as scratch_dir:
        data_dir = scratch_dir if database_url else (args.reuse or scratch_dir)
        try:
            setup(data_dir)
            from django.db import connection

            vendor = connection.vendor
            print(f"database: {vendor}; python {platform.python_version()}; {os.cpu_count()} CPUs")
            print(f"load average before: {os.getloadavg()}")
            migrate()
            from gongshi.organisations.models import Organisation
            from gongshi.projects.models import Project

            developers = Organisation.objects.filter(kind="developer").order_by("pk")
            if reused:
                made = {"developers": developers.count()}
                print(f"reused {data_dir}: {Project.objects.count()} projects")
            else:
                if not args.search_only:
                    seed_demo_world()
                made = seed_bulk_projects(args.projects)
                print(
                    f"bulk projects: {made['projects']} ({made['developers']} developers) in "
                    f"{made['seconds']:.1f} s (search indexes built afterwards: "
                    f"{made['index_seconds']:.1f} s); total projects {Project.objects.count()}"
                )
            codes = [d.credit_code for d in developers[made["developers"] // 7 :: 401][:4]]
            QUERIES["credit code"] = [f"q={c}" for c in codes] + [f"q={codes[0][:8]}"]
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            search = bench_search(args.repeats)
            print("\nsearch latency (filter + count + first page of 20 + their cards):")
            print(
                "| query kind | queries (hits) | cards | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms "
                "| CPU p95 ms without cards | p95 / without cards | samples |"
            )
            print("|---|---|---|---|---|---|---|---|---|---|")
            for kind, r in search.items():
                queries = ", ".join(f"`{q}` ({n})" for q, n in r["hits"].items())
                for mode, m in r["modes"].items():
                    print(
                        f"| {kind} | {queries} | {mode} | {m['p50']:.1f} | {m['p95']:.1f} | "
                        f"{m['cpu_p50']:.1f} | {m['cpu_p95']:.1f} | {m['found_p95']:.1f} | "
                        f"{m['p95'] / m['found_p95']:.2f} | {m['n']} |"
                    )
                    queries = ""
            if args.search_only:
                print(f"\nload average after: {os.getloadavg()}")
                return
            code = busiest_project_code()
            facts = page_facts(code)
            print(
                f"\nproject page: {facts['name']} ({code}), {facts['versions']} published "
                f"versions, {facts['table_rows']} table rows"
            )
            pages = bench_pages(code, args.seconds)
            print("| view | requests/s | ratio | requests per CPU-second | ratio (CPU) |")
            print("|---|---|---|---|---|")
            t = pages["trivial"]
            print(f"| trivial Django view | {t[0]:.0f} | 1 | {t[1]:.0f} | 1 |")
            for key, label in (
                ("project", "`/p/<code>/` (200)"),
                ("project_304", "`/p/<code>/` 304"),
            ):
                wall, cpu = pages[key]
                r_wall, r_cpu = pages[f"{key}_ratio"]
                print(f"| {label} | {wall:.1f} | {r_wall:.3f} | {cpu:.1f} | {r_cpu:.3f} |")
            print(f"\nload average after: {os.getloadavg()}")
        finally:
            if maintenance and not args.reuse:
                from django.db import connections

                connections.close_all()
                pg_admin(maintenance, f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')


if __name__ == "__main__":
    main()
