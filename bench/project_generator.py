"""Realistic projects in bulk for the benchmarks: ``generate_projects(100_000)`` in a minute or two.

Names are made the way Heilongjiang's residential projects are named (a place or brand
word, a tail such as 花园/家园/华府, a phase), addresses on real-sounding roads of the
project's own city and district, developers registered across the province with valid
unified social credit codes, all four stages with consistent dates. Projects are spread
over every district and county, Harbin weighted ×6 and Qiqihar and Daqing ×2 as building
is. The search text is computed exactly as ``Project.save()`` does
(:func:`gongshi.projects.search_text.build_search_text`); rows go in with ``bulk_create``,
so the database's own search index (triggers on SQLite, an expression index on PostgreSQL)
is filled as for any insert. No disclosures are made: ``last_published_at`` (what
publish_version keeps) is set directly — a time in the last two years for every project
past "not started" and for half of those not started — so the search page's default order
has realistic values (``gongshi recount`` would report these rows: they have no versions).

Used by ``bench/public_bench.py`` and ``bench/search_bench.py``; needs a configured,
migrated Django (``django.setup()`` done).
"""

from __future__ import annotations

import datetime as dt
import random
import time

NAME_HEADS = ["阳光", "锦绣", "翠湖", "松江", "龙江", "金色", "北国", "冰城", "紫金", "御景",
              "万象", "恒大", "保利", "碧水", "观澜", "太阳岛", "江畔", "湖畔", "中央", "铂悦",
              "融创", "万科", "碧桂园", "华润", "远大", "鲁商", "群力", "哈西", "松北", "滨江",
              "丁香", "白桦", "雪松", "枫叶", "红旗", "学府", "和平", "建国", "东方", "盛世"]  # fmt: skip
NAME_TAILS = ["花园", "家园", "小区", "嘉苑", "名邸", "华府", "雅居", "新城", "公馆", "府邸",
              "壹号院", "悦府", "学府", "首府", "天地", "城", "湾", "苑", "里", "广场"]  # fmt: skip
PHASES = ["", "", "一期", "二期", "三期", "四期", "A区", "B区"]
ROADS = ["中山路", "红旗大街", "学府路", "长江路", "黄河路", "友谊路", "和平路", "建设街",
         "新华路", "西大直街", "东大直街", "中央大街", "龙江街", "文化路", "世纪大道", "滨江路"]  # fmt: skip
COMPANIES = ["置业", "地产", "房地产开发", "建设发展", "城市建设", "实业", "投资"]

BATCH = 2_000

# PostgreSQL: the search's GIN indexes (projects/0003, 0006). Kept row by row they made the
# insert of 100,000 projects take most of an hour; dropped for the insert and built once
# afterwards they take a minute or two.
SEARCH_INDEXES = ("project_search_trgm", "project_search_short_grams")


def weighted_counties():
    """Counties and weights: Harbin has about a third of the province's building."""
    from gongshi.regions.models import Region, RegionLevel

    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY).select_related("parent").order_by("code")
    )
    weights = [
        (6.0 if c.code.startswith("2301") else 2.0 if c.code[:4] in ("2302", "2306") else 1.0)
        for c in counties
    ]
    return counties, weights


def generate_projects(count: int, seed: int = 20261206, *, serial_base: int = 700_000) -> dict:
    """Insert ``count`` projects (and one developer per 50) and return what was made."""
    from django.db import transaction
    from django.utils import timezone

    from gongshi.core.choices import DeliveryStandard, HousingType, OrganisationType, Stage
    from gongshi.organisations.credit_codes import make_credit_code
    from gongshi.organisations.models import Organisation
    from gongshi.projects.models import CODE_ALPHABET, Project, StructureType
    from gongshi.projects.search_text import build_search_text

    rng = random.Random(seed)
    published_rng = random.Random(seed + 1)  # its own stream: the projects stay the same
    now = timezone.now()
    started_at = time.perf_counter()
    counties, weights = weighted_counties()
    today = timezone.localdate()

    with transaction.atomic():
        developers = []
        for i in range(max(20, count // 50)):
            county = rng.choices(counties, weights)[0]
            city = county.parent.name.removesuffix("市").removesuffix("地区")
            developers.append(
                Organisation(
                    name=f"{city}{rng.choice(NAME_HEADS)}{rng.choice(COMPANIES)}有限公司{i + 1}",
                    credit_code=make_credit_code(county.code, serial_base + i),
                    kind=OrganisationType.DEVELOPER,
                    region=county,
                )
            )
        developers = Organisation.objects.bulk_create(developers, batch_size=BATCH)

    codes = set(Project.objects.values_list("code", flat=True))
    rebuild = _drop_search_indexes()
    stages = [Stage.NOT_STARTED, Stage.UNDER_CONSTRUCTION, Stage.COMPLETED, Stage.HANDED_OVER]
    stage_weights = [15, 45, 15, 25]
    structures = list(StructureType)
    made = 0
    while made < count:
        rows = []
        for _ in range(min(BATCH, count - made)):
            while (code := "".join(rng.choice(CODE_ALPHABET) for _ in range(6))) in codes:
                pass
            codes.add(code)
            county = rng.choices(counties, weights)[0]
            developer = rng.choice(developers)
            stage = rng.choices(stages, stage_weights)[0]
            started = completed = handed = None
            if stage != Stage.NOT_STARTED:
                started = today - dt.timedelta(days=rng.randint(60, 6 * 365))
            if stage in (Stage.COMPLETED, Stage.HANDED_OVER):
                completed = min(today, started + dt.timedelta(days=rng.randint(300, 1100)))
                if stage == Stage.HANDED_OVER:
                    handed = min(today, completed + dt.timedelta(days=rng.randint(10, 120)))
            name = f"{rng.choice(NAME_HEADS)}{rng.choice(NAME_TAILS)}{rng.choice(PHASES)}"
            address = f"{county.parent.name}{county.name}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
            project = Project(
                code=code,
                name=name,
                address=address,
                region=county,
                developer=developer,
                housing_type=HousingType.AFFORDABLE
                if rng.random() < 0.2
                else HousingType.COMMERCIAL,
                delivery_standard=rng.choice(list(DeliveryStandard)),
                floor_area=rng.randint(20_000, 300_000),
                building_count=rng.randint(2, 30),
                household_count=rng.randint(100, 3000),
                structure_type=rng.choice(structures),
                contract_duration_days=rng.randint(300, 1200),
                stage=stage,
                started_on=started,
                completion_accepted_on=completed,
                handed_over_on=handed,
            )
            if stage != Stage.NOT_STARTED or published_rng.random() < 0.5:
                project.last_published_at = now - dt.timedelta(
                    seconds=published_rng.randint(0, 2 * 365 * 86400)
                )
            # What Project.save() computes (bulk_create does not call save()).
            project.search_text = build_search_text(
                code=code,
                name=name,
                address=address,
                developer=developer.name,
                credit_code=developer.credit_code,
                district=county.name,
                city=county.parent.name,
                district_en=county.name_en,
                city_en=county.parent.name_en,
            )
            rows.append(project)
        with transaction.atomic():
            Project.objects.bulk_create(rows, batch_size=500)
        made += len(rows)
    inserted_at = time.perf_counter()
    _create_search_indexes(rebuild)
    return {
        "projects": made,
        "developers": len(developers),
        "seconds": time.perf_counter() - started_at,
        "index_seconds": time.perf_counter() - inserted_at,
        "sample_developer": developers[len(developers) // 2],
    }


def _drop_search_indexes() -> list[str]:
    """PostgreSQL: drop the search's GIN indexes; returns the statements that rebuild them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []  # SQLite's FTS tables are kept by triggers, row by row: fast enough
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(SEARCH_INDEXES)],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def _create_search_indexes(statements: list[str]) -> None:
    from django.db import connection

    if not statements:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("ANALYZE projects_project")
