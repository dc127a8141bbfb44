"""Benchmark of the regulator's dashboard and drill-down at provincial scale (issue 6, "Scale").

    .venv/bin/python bench/supervision_bench.py [--projects 10000] [--versions 1000000]
                                                [--database sqlite|postgres] [--runs 5]
                                                [--explain] [--keep | --reuse]

It builds its own database — never the developer's ``var/`` one:

* SQLite: a fresh file in a temporary directory under /tmp (WAL, as ``settings.py`` sets it);
* PostgreSQL: a separate database (``gongshi_bench`` on 127.0.0.1:5432 unless
  ``BENCH_POSTGRES_URL`` names another server), dropped and created by this script.

Seeding is *raw* — bulk_create for the small tables, the DB-API's executemany for the
327,000 disclosures and 1,000,000 versions, in batches of 10,000 — **not** through
``publish_version``: no field
validation, no publication log leaves, no files. The rows are consistent with what
publish_version leaves behind (numbers 1..n, the first a publication, later ones corrections
with a reason, an occasional withdrawal last; ``timeliness_days`` from the information date),
and then the state publish_version keeps along the way — per-county tallies, each
disclosure's first and last publication — is recounted from them by ``tallies.rebuild()``,
as the migration that introduced it and ``gongshi recount --fix`` do.

Then it times, after one warm-up and over ``--runs`` runs: ``build_dashboard`` for the
province and for Harbin, the rendered ``/supervision/`` page (test Client) as the provincial
and the Harbin regulator, and the first page of ``/supervision/projects/`` (score-sorted),
then the drill-down in every other order it offers, a deep page and three filters (issue 15);
and counts each one's SQL queries. ``--reuse … --rebuild`` first derives every kept count
(``tallies.rebuild()``, the per-project figures too) on a database whose seeding stopped
before that step. Run ``ANALYZE`` after a bulk load: the bench does, before measuring.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

BENCH_DB_NAME = "gongshi_bench"
BATCH = 10_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--pg-database", default=BENCH_DB_NAME, help="name of the PostgreSQL bench database"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up")
    parser.add_argument(
        "--seed", type=int, default=20261125, help="random seed (same data every time)"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of each dashboard query"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database afterwards (for --reuse)"
    )
    parser.add_argument("--seed-only", action="store_true", help="seed and stop (implies --keep)")
    parser.add_argument(
        "--reuse",
        metavar="PATH_OR_NAME",
        help="measure an existing bench database kept with --keep (SQLite directory or PostgreSQL name); "
        "runs migrate first, so new indexes are applied",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="with --reuse: run tallies.rebuild() (every derived count, the per-project figures "
        "too) before measuring — for a database whose seeding stopped before it",
    )
    return parser.parse_args()


# --- database set-up (before django.setup) ----------------------------------------------


def configure(args: argparse.Namespace) -> dict:
    """Point settings at the bench database through the environment; returns what to clean up."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongshi.settings"
    os.environ.pop("DEBUG", None)
    os.environ["GONGSHI_STATIC_MANIFEST"] = "False"  # pages render without collectstatic
    if args.database == "sqlite":
        data_dir = (
            Path(args.reuse)
            if args.reuse
            else Path(tempfile.mkdtemp(prefix="gongshi-bench-", dir="/tmp"))
        )
        os.environ["GONGSHI_DATA_DIR"] = str(data_dir)
        os.environ.pop("DATABASE_URL", None)  # settings.py: SQLite (WAL) under GONGSHI_DATA_DIR
        return {"data_dir": data_dir, "where": str(data_dir / "gongshi.sqlite3")}

    import psycopg

    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    name = args.reuse or args.pg_database
    if not args.reuse:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    data_dir = Path(tempfile.mkdtemp(prefix="gongshi-bench-", dir="/tmp"))  # files, keys: not var/
    os.environ["GONGSHI_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    return {
        "data_dir": data_dir,
        "server": server,
        "name": name,
        "where": f"PostgreSQL database {name}",
    }


def clean_up(args: argparse.Namespace, state: dict) -> None:
    import shutil

    from django.db import connections

    connections.close_all()
    if args.keep or args.reuse:
        print(
            f"kept: {state['where']} (measure again with --reuse {state.get('name') or state['data_dir']})"
        )
        return
    if args.database == "postgres":
        import psycopg

        with psycopg.connect(f"{state['server']}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{state["name"]}"')
    shutil.rmtree(state["data_dir"], ignore_errors=True)


# --- seeding ------------------------------------------------------------------------------


def _weighted_counties(rng: random.Random) -> list:
    """Counties with a weight: Harbin has about a third of the province's building."""
    from gongshi.regions.models import Region, RegionLevel

    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))
    weights = [
        (6.0 if c.code.startswith("2301") else 2.0 if c.code[:4] in ("2302", "2306") else 1.0)
        for c in counties
    ]
    return counties, weights


def seed(args: argparse.Namespace, rng: random.Random) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from gongshi.catalogue.models import CatalogueItem
    from gongshi.core.choices import DeliveryStandard, HousingType, OrganisationType, Stage
    from gongshi.core.testing import make_user
    from gongshi.disclosures.checklist import applies, is_due
    from gongshi.disclosures.models import Disclosure, DisclosureVersion, VersionKind, VersionStatus
    from gongshi.organisations.credit_codes import make_credit_code
    from gongshi.organisations.models import Organisation
    from gongshi.participation.models import (
        ContactKind,
        Finding,
        FindingResult,
        OpenDay,
        Question,
        QuestionKind,
        Resolution,
    )
    from gongshi.projects.models import CODE_ALPHABET, Project, StructureType
    from gongshi.regions.models import Region
    from gongshi.supervision.models import ActionKind, Inspection, RegulatorRecord

    timings: dict[str, float] = {}
    zone = timezone.get_current_timezone()

    def local_date(moment: dt.datetime) -> dt.date:
        return moment.astimezone(zone).date()

    now = timezone.now()
    today = timezone.localdate()
    two_years = 730

    def timed(label):
        class _T:
            def __enter__(self):
                self.t = time.perf_counter()

            def __exit__(self, *exc):
                timings[label] = time.perf_counter() - self.t
                print(f"  seeded {label:<28} {timings[label]:7.1f} s", flush=True)

        return _T()

    # Organisations: developers registered across the province, and two regulators.
    counties, weights = _weighted_counties(rng)
    serial = 1
    with timed("organisations, users"), transaction.atomic():
        developers = []
        for i in range(max(20, args.projects // 20)):
            region = rng.choices(counties, weights)[0]
            developers.append(
                Organisation(
                    name=f"黑龙江基准置业有限公司{i + 1:05d}",
                    credit_code=make_credit_code(region.code, serial),
                    kind=OrganisationType.DEVELOPER,
                    region=region,
                )
            )
            serial += 1
        developers = Organisation.objects.bulk_create(developers, batch_size=BATCH)
        province = Region.objects.get(code="230000")
        harbin = Region.objects.get(code="230100")
        provincial_regulator = Organisation.objects.create(
            name="黑龙江省住房和城乡建设厅",
            credit_code=make_credit_code("230000", serial, authority="1"),
            kind=OrganisationType.REGULATOR,
            region=province,
        )
        harbin_regulator = Organisation.objects.create(
            name="哈尔滨市住房和城乡建设局",
            credit_code=make_credit_code("230100", serial + 1, authority="1"),
            kind=OrganisationType.REGULATOR,
            region=harbin,
        )
        publisher = make_user("bench_publisher", developers[0])
        supervisor = make_user("bench_supervisor")
        users = {
            "province": make_user("bench_province", provincial_regulator),
            "harbin": make_user("bench_harbin", harbin_regulator),
        }

    # Projects in every stage, across the province's districts and counties.
    stages = [Stage.NOT_STARTED, Stage.UNDER_CONSTRUCTION, Stage.COMPLETED, Stage.HANDED_OVER]
    stage_weights = [15, 45, 15, 25]
    codes: set[str] = set()
    with timed(f"{args.projects:,} projects"), transaction.atomic():
        rows = []
        for i in range(args.projects):
            while (code := "".join(rng.choice(CODE_ALPHABET) for _ in range(6))) in codes:
                pass
            codes.add(code)
            region = rng.choices(counties, weights)[0]
            stage = rng.choices(stages, stage_weights)[0]
            started = completed = handed = None
            if stage != Stage.NOT_STARTED:
                started = today - dt.timedelta(days=rng.randint(60, 4 * 365))
            if stage in (Stage.COMPLETED, Stage.HANDED_OVER):
                completed = min(today, started + dt.timedelta(days=rng.randint(300, 1100)))
                if stage == Stage.HANDED_OVER:
                    handed = min(today, completed + dt.timedelta(days=rng.randint(10, 120)))
            rows.append(
                Project(
                    code=code,
                    name=f"{region.name}基准花园{i + 1:05d}期",
                    address=f"{region.name}基准路{i + 1}号",
                    region=region,
                    developer=rng.choice(developers),
                    housing_type=HousingType.AFFORDABLE
                    if rng.random() < 0.2
                    else HousingType.COMMERCIAL,
                    delivery_standard=DeliveryStandard.FITTED
                    if rng.random() < 0.4
                    else DeliveryStandard.SHELL,
                    floor_area=Decimal(rng.randint(8_000, 250_000)),
                    building_count=rng.randint(1, 30),
                    household_count=rng.randint(40, 3000),
                    structure_type=rng.choice(list(StructureType)),
                    contract_duration_days=rng.randint(365, 1100),
                    stage=stage,
                    started_on=started,
                    completion_accepted_on=completed,
                    handed_over_on=handed,
                    search_text=f"{region.name}基准花园{i + 1:05d}期",  # raw seed: not the pinyin text
                )
            )
        projects = Project.objects.bulk_create(rows, batch_size=BATCH)

    # Disclosures: every applicable item that is due at the project's stage, and a few
    # not-yet-due ones; 90% of due items have published versions (the rest: nothing yet).
    items = list(CatalogueItem.objects.select_related("region"))
    region_by_id = {c.pk: c for c in counties}
    rows = []
    for project in projects:
        project.region = region_by_id[project.region_id]
        for item in items:
            if not applies(item, project, today):
                continue
            if is_due(item, project.stage):
                published = rng.random() < 0.9
            elif rng.random() < 0.3:
                published = True  # disclosed ahead of its stage
            else:
                continue
            rows.append(Disclosure(project=project, item=item, is_public=published))
    public = [d for d in rows if d.is_public]
    if not public:
        sys.exit("no disclosure to publish: is the catalogue loaded?")

    # Versions: every published disclosure has one publication; the rest of --versions are
    # corrections spread over them (and an occasional withdrawal as the last version).
    # Planned before the disclosures are written, so is_public/last_published_at go in with them.
    per = [1] * len(public)
    for i in rng.choices(range(len(public)), k=max(0, args.versions - len(public))):
        per[i] += 1
    plans = []
    for disclosure, n in zip(public, per, strict=True):
        # The first publication falls in the last two years; later versions after it.
        first = now - dt.timedelta(seconds=rng.randint(0, two_years * 86400))
        span = int((now - first).total_seconds())
        times = sorted(
            [first] + [first + dt.timedelta(seconds=rng.randint(0, span)) for _ in range(n - 1)]
        )
        withdraw = n > 1 and rng.random() < 0.03
        disclosure.is_public = not withdraw
        disclosure.last_published_at = times[-1]
        plans.append((disclosure, times, withdraw))
    # The two big tables go in through the DB-API's executemany (parameters adapted by
    # Django's backend operations): bulk_create's per-object work made 1,000,000 versions
    # take most of an hour on this shared machine. Still raw rows, still no publish_version.
    ops = connection.ops
    pg = connection.vendor == "postgresql"
    stamp = ops.adapt_datetimefield_value(now)

    def insert(
        table: str, columns: list[str], values: list[tuple], casts: dict | None = None
    ) -> None:
        marks = ", ".join(f"%s{(casts or {}).get(c, '')}" for c in columns)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})"
        with connection.cursor() as cursor:
            for i in range(0, len(values), BATCH):
                cursor.executemany(sql, values[i : i + BATCH])

    with timed(f"{len(rows):,} disclosures"), transaction.atomic():
        insert(
            Disclosure._meta.db_table,
            [
                "project_id",
                "item_id",
                "instance",
                "label",
                "required_instances",
                "required_declared",
                "completes_item",
                "created_at",
                "is_public",
                "last_published_at",
            ],
            [
                (
                    d.project_id,
                    d.item_id,
                    1,
                    "",
                    1,
                    False,
                    d.is_public,  # one instance each: the item is complete when it is public
                    stamp,
                    d.is_public,
                    ops.adapt_datetimefield_value(d.last_published_at)
                    if d.last_published_at
                    else None,
                )
                for d in rows
            ],
        )
        ids = {
            (project_id, item_id): pk
            for pk, project_id, item_id in Disclosure.objects.values_list(
                "pk", "project_id", "item_id"
            ).iterator(chunk_size=BATCH)
        }
        for d in rows:
            d.pk = ids[(d.project_id, d.item_id)]

    developer_of = {p.pk: p.developer_id for p in projects}
    findable: dict[
        int, set[int]
    ] = {}  # project → disclosures with a first publication to check on site
    made = 0
    start = time.perf_counter()
    columns = [
        "disclosure_id",
        "number",
        "kind",
        "status",
        "values",
        "information_date",
        "reason",
        "return_reason",
        "supplied_by_id",
        "created_by_id",
        "approved_by_id",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "timeliness_days",
        "lock_version",
    ]
    casts = {"values": "::jsonb"} if pg else {}
    reasons = {
        VersionKind.PUBLICATION: "",
        VersionKind.CORRECTION: "更正：数据有误",
        VersionKind.WITHDRAWAL: "撤回：信息有误",
    }
    pending: list[tuple] = []
    with transaction.atomic():
        for disclosure, times, withdraw in plans:
            n = len(times)
            project_id = disclosure.project_id
            if len(found := findable.setdefault(project_id, set())) < 3:
                found.add(disclosure.pk)
            for number, published_at in enumerate(times, start=1):
                # Days from the information date: mostly within a week, a tail of late ones.
                r = rng.random()
                days = (
                    rng.randint(0, 7)
                    if r < 0.75
                    else rng.randint(8, 30)
                    if r < 0.93
                    else rng.randint(31, 200)
                )
                kind = VersionKind.PUBLICATION if number == 1 else VersionKind.CORRECTION
                if withdraw and number == n:
                    kind = VersionKind.WITHDRAWAL
                withdrawal = kind == VersionKind.WITHDRAWAL
                moment = ops.adapt_datetimefield_value(published_at)
                pending.append(
                    (
                        disclosure.pk,
                        number,
                        kind.value,
                        VersionStatus.PUBLISHED.value,
                        "{}" if withdrawal else f'{{"note": "基准数据 {number}"}}',
                        None
                        if withdrawal
                        else ops.adapt_datefield_value(
                            local_date(published_at) - dt.timedelta(days=days)
                        ),
                        reasons[kind],
                        "",
                        developer_of[project_id],
                        publisher.pk,
                        publisher.pk,
                        moment,
                        moment,
                        moment,
                        moment,
                        None if withdrawal else days,
                        1,
                    )
                )
            made += n
            if len(pending) >= BATCH:
                insert(DisclosureVersion._meta.db_table, columns, pending, casts)
                pending.clear()
            if made % 100_000 < n:
                rate = made / (time.perf_counter() - start)
                print(f"    {made:>9,} versions ({rate:,.0f}/s)", flush=True)
        if pending:
            insert(DisclosureVersion._meta.db_table, columns, pending, casts)
    # Open-day findings check first publications: a few per project.
    wanted = {pk for ds in findable.values() for pk in ds}
    first_versions = {
        d: v
        for d, v in DisclosureVersion.objects.filter(number=1)
        .values_list("disclosure_id", "pk")
        .iterator(chunk_size=BATCH)
        if d in wanted
    }
    findable = {p: [first_versions[d] for d in ds] for p, ds in findable.items()}
    timings[f"{made:,} versions"] = time.perf_counter() - start
    print(f"  seeded {f'{made:,} versions':<28} {timings[f'{made:,} versions']:7.1f} s", flush=True)

    # Questions (3 per 2 projects on average), open days with findings, key supervision.
    with timed("questions, open days"), transaction.atomic():
        rows = []
        for i in range(args.projects * 3 // 2):
            project = rng.choice(projects)
            asked = now - dt.timedelta(seconds=rng.randint(0, 365 * 86400))
            answered = (
                asked + dt.timedelta(hours=rng.randint(1, 400)) if rng.random() < 0.8 else None
            )
            if answered and answered > now:
                answered = None
            resolution = ""
            if answered and rng.random() < 0.6:
                resolution = Resolution.RESOLVED if rng.random() < 0.75 else Resolution.NOT_RESOLVED
            rows.append(
                Question(
                    project=project,
                    kind=QuestionKind.COMPLAINT if rng.random() < 0.25 else QuestionKind.QUESTION,
                    body="请问项目的主体结构验收什么时候公示？",
                    contact=f"bench{i}@example.com",
                    contact_kind=ContactKind.EMAIL,
                    asker_token_hash=hashlib.sha256(f"bench-question-{i}".encode()).hexdigest(),
                    asked_at=asked,
                    deadline_working_days=10 if project.region.code.startswith("2301") else 5,
                    answer="已于本周公示，请查看。" if answered else "",
                    answered_at=answered,
                    answered_by=publisher if answered else None,
                    resolution=resolution,
                    resolution_at=answered + dt.timedelta(days=1) if resolution else None,
                )
            )
        Question.objects.bulk_create(rows, batch_size=BATCH)

        with_versions = [p for p in projects if findable.get(p.pk)]
        open_day_rows = []
        for project in rng.sample(with_versions, min(len(with_versions), args.projects // 5)):
            day = today - dt.timedelta(days=rng.randint(1, 700))
            open_day_rows.append(
                OpenDay(
                    project=project,
                    date=day,
                    start_time=dt.time(9),
                    end_time=dt.time(11),
                    place="项目售楼处",
                    stage_of_work="主体结构施工",
                    capacity=30,
                    showing="钢筋、混凝土试块、防水材料",
                    scheduled_by=publisher,
                    attendance=rng.randint(5, 30),
                    report_summary="开放日顺利进行。",
                    report_published_at=timezone.make_aware(dt.datetime.combine(day, dt.time(18))),
                )
            )
        open_days = OpenDay.objects.bulk_create(open_day_rows, batch_size=BATCH)
        finding_rows = []
        for open_day in open_days:
            for version_id in findable[open_day.project_id]:
                discrepancy = rng.random() < 0.2
                closed = discrepancy and rng.random() < 0.5
                finding_rows.append(
                    Finding(
                        open_day=open_day,
                        supervisor=supervisor,
                        version_id=version_id,
                        result=FindingResult.DISCREPANCY if discrepancy else FindingResult.VERIFIED,
                        note="现场钢筋品牌与公示不一致" if discrepancy else "",
                        developer_response="已更正公示" if closed else "",
                        responded_at=now if closed else None,
                        closed_at=now if closed else None,
                        closed_by=supervisor if closed else None,
                    )
                )
        Finding.objects.bulk_create(finding_rows, batch_size=BATCH)

        records, inspections = [], []
        for project in rng.sample(projects, min(len(projects), max(1, args.projects // 100))):
            regulator = (
                harbin_regulator if project.region.code.startswith("2301") else provincial_regulator
            )
            records.append(
                RegulatorRecord(
                    kind=ActionKind.KEY_SUPERVISION,
                    project=project,
                    subject_id=project.developer_id,
                    regulator=regulator,
                    acted_by=users["province"],
                    decided_on=today - dt.timedelta(days=120),
                    reason="开放日发现多项不符",
                    inspection_interval_days=30,
                )
            )
        records = RegulatorRecord.objects.bulk_create(records)
        for record in records:
            for k in range(4):
                scheduled = record.decided_on + dt.timedelta(days=30 * (k + 1))
                done = scheduled < today and rng.random() < 0.7
                inspections.append(
                    Inspection(
                        project_id=record.project_id,
                        record=record,
                        scheduled_on=scheduled,
                        performed_on=scheduled if done else None,
                        inspector=users["province"] if done else None,
                    )
                )
        Inspection.objects.bulk_create(inspections, batch_size=BATCH)

    # What publish_version would have kept along the way (per-county tallies, each
    # disclosure's first/last publication): recounted from the raw versions in one go, as the
    # migration that introduced them and `gongshi recount --fix` do.
    from gongshi.disclosures import tallies

    with timed("derived counts (tallies.rebuild)"):
        tallies.rebuild()
    with timed("ANALYZE"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum / a DBA would leave them

    counts = {
        "projects": Project.objects.count(),
        "disclosures": Disclosure.objects.count(),
        "public disclosures": Disclosure.objects.filter(is_public=True).count(),
        "versions": DisclosureVersion.objects.count(),
        "questions": Question.objects.count(),
        "findings": Finding.objects.count(),
        "inspections": Inspection.objects.count(),
    }
    return {"timings": timings, "counts": counts}


# --- measuring ----------------------------------------------------------------------------


def measure(label: str, fn, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up (and, for pages, a check that they render)
    with CaptureQueriesContext(connection) as captured:
        fn()
    # Copy now: the timed requests below reset connection.queries (request_started).
    queries = list(captured.captured_queries)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    row = {
        "label": label,
        "min": min(times),
        "median": statistics.median(times),
        "max": max(times),
        "cpu": statistics.median(cpu),
        "queries": len(queries),
        "slowest": sorted(queries, key=lambda q: -float(q["time"]))[:3],
        "load": os.getloadavg()[0],
    }
    print(
        f"  {label:<46} min {row['min'] * 1000:8.1f} ms  median {row['median'] * 1000:8.1f} ms  "
        f"max {row['max'] * 1000:8.1f} ms  cpu {row['cpu'] * 1000:8.1f} ms  {row['queries']:3d} queries  "
        f"(load {row['load']:.1f})",
        flush=True,
    )
    return row


def explain_dashboard(region) -> None:
    """Print the plan of every query build_dashboard runs (EXPLAIN ANALYZE / EXPLAIN QUERY PLAN)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongshi.supervision.dashboard import build_dashboard

    with CaptureQueriesContext(connection) as captured:
        build_dashboard(region)
    for q in captured.captured_queries:
        sql = q["sql"]
        print(f"\n--- {q['time']} s: {sql[:300]}{'…' if len(sql) > 300 else ''}")
        prefix = (
            "EXPLAIN (ANALYZE, BUFFERS) "
            if connection.vendor == "postgresql"
            else "EXPLAIN QUERY PLAN "
        )
        with connection.cursor() as cursor:
            # captured SQL has its parameters inlined; fine for these numeric/string literals
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("   ", " | ".join(str(c) for c in row))


def run_measurements(args: argparse.Namespace) -> list[dict]:
    from django.test import Client

    from gongshi.accounts.models import User
    from gongshi.core.testing import login_client
    from gongshi.regions.models import Region
    from gongshi.supervision.dashboard import build_dashboard

    province = Region.objects.get(code="230000")
    harbin = Region.objects.get(code="230100")
    clients = {}
    for who in ("province", "harbin"):
        clients[who] = login_client(Client(), User.objects.get(username=f"bench_{who}"))

    def page(who: str, url: str):
        def get():
            response = clients[who].get(url)
            assert response.status_code == 200, (url, who, response.status_code)
            return response

        return get

    if args.explain:
        explain_dashboard(province)

    print(f"\nMeasuring ({args.runs} runs after one warm-up):", flush=True)
    return [
        measure("build_dashboard(province)", lambda: build_dashboard(province), args.runs),
        measure("build_dashboard(Harbin)", lambda: build_dashboard(harbin), args.runs),
        measure(
            "GET /supervision/ as provincial regulator",
            page("province", "/supervision/"),
            args.runs,
        ),
        measure(
            "GET /supervision/ as Harbin regulator", page("harbin", "/supervision/"), args.runs
        ),
        measure(
            "GET /supervision/projects/ (province, p. 1)",
            page("province", "/supervision/projects/"),
            args.runs,
        ),
        measure(
            "GET /supervision/projects/ (Harbin, p. 1)",
            page("harbin", "/supervision/projects/"),
            args.runs,
        ),
        # Every other order the drill-down offers, and a filtered and a deep page (issue 15).
        *[
            measure(
                f"GET /supervision/projects/?{query} (province)",
                page("province", f"/supervision/projects/?{query}"),
                args.runs,
            )
            for query in (
                "sort=-score",
                "sort=completeness",
                "sort=name",
                "sort=score&page=200",
                "worklist=missing",
                "completeness=low",
                "worklist=overdue_questions",
            )
        ],
    ]


def print_table(args, rows: list[dict], seeded: dict | None) -> None:
    from django.db import connection

    engine = (
        "PostgreSQL " + ".".join(str(v) for v in divmod(connection.pg_version, 10000))
        if connection.vendor == "postgresql"
        else f"SQLite {connection.Database.sqlite_version}"
    )
    print(
        f"\n| {engine} — {args.projects:,} projects / {args.versions:,} versions | min | median | max | in-process CPU (median) | queries | load avg |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['label']} | {r['min'] * 1000:.0f} ms | {r['median'] * 1000:.0f} ms | {r['max'] * 1000:.0f} ms | {r['cpu'] * 1000:.0f} ms | {r['queries']} | {r['load']:.1f} |"
        )
    if seeded:
        total = sum(seeded["timings"].values())
        print(
            f"\nSeeded (raw rows: bulk_create / executemany, not publish_version) in {total:.0f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in seeded["counts"].items())
        )
    print("\nSlowest queries of each (first 160 characters):")
    for r in rows:
        for q in r["slowest"][:2]:
            print(f"  {r['label'][:30]:<30} {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")


def main() -> None:
    args = parse_args()
    state = configure(args)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"Bench database: {state['where']}", flush=True)
    try:
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"  migrate {time.perf_counter() - start:.1f} s", flush=True)
        seeded = None
        if not args.reuse:
            print(
                f"Seeding {args.projects:,} projects and {args.versions:,} versions "
                "(raw rows — bulk_create, and executemany for disclosures/versions — in batches of 10,000; NOT through publish_version):",
                flush=True,
            )
            seeded = seed(args, random.Random(args.seed))
        else:
            from gongshi.disclosures.models import DisclosureVersion
            from gongshi.projects.models import Project

            args.projects = Project.objects.count()
            args.versions = DisclosureVersion.objects.count()
            if args.rebuild:
                from gongshi.disclosures import tallies

                start = time.perf_counter()
                tallies.rebuild()
                print(f"  tallies.rebuild() {time.perf_counter() - start:.1f} s", flush=True)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if args.seed_only:
            args.keep = True
            print(seeded)
            return
        rows = run_measurements(args)
        print_table(args, rows, seeded)
    finally:
        clean_up(args, state)


if __name__ == "__main__":
    main()
