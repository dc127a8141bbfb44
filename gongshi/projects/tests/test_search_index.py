"""The search index: the same answers as a substring scan, on SQLite and on PostgreSQL.

The oracle is Python over the stored search texts: every word is a substring, name hits
(every word in the squeezed name) first, then newest first. The engine's index (FTS5 on
SQLite, GIN on PostgreSQL), the QuerySet path (exports, other sort orders) and the paged
path of the home page and the API must all agree with it, for every kind of query the
search is for.
"""

import pytest
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from gongshi.core.choices import DeliveryStandard, HousingType, OrganisationType, Stage
from gongshi.core.testing import make_org, make_project
from gongshi.projects import search_index
from gongshi.projects.models import Project
from gongshi.projects.search_text import name_part, query_terms
from gongshi.public.search import ProjectFilterSet, RankedResults
from gongshi.regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def projects():
    harbin_dev = make_org(OrganisationType.DEVELOPER, "230102", name="哈尔滨阳光置业有限公司")
    daqing_dev = make_org(OrganisationType.DEVELOPER, "230602", name="大庆花园地产有限公司")
    made = [
        make_project(harbin_dev, "230102", name="阳光花园一期", address="哈尔滨市道里区中山路1号"),
        make_project(harbin_dev, "230103", name="阳光花园二期", address="哈尔滨市南岗区学府路8号"),
        make_project(
            harbin_dev,
            "230103",
            name="翠湖家园",
            address="哈尔滨市南岗区花园街3号",
            stage=Stage.NOT_STARTED,
            housing_type=HousingType.AFFORDABLE,
        ),  # fmt: skip
        make_project(
            daqing_dev, "230602", name="萨尔图·百湖书苑", address="大庆市萨尔图区园林路5号"
        ),
        make_project(
            daqing_dev,
            "230602",
            name="湖畔名邸",
            address="大庆市萨尔图区世纪大道9号",
            delivery_standard=DeliveryStandard.FITTED,
        ),  # fmt: skip
        make_project(harbin_dev, "230100", name="冰城园", address="哈尔滨市松北区园区路2号"),
    ]
    return {"projects": made, "harbin_dev": harbin_dev, "daqing_dev": daqing_dev}


def oracle(query: str, **filters) -> list[int]:
    terms = query_terms(query)
    rows = []
    for project in Project.objects.select_related("region"):
        text = project.search_text
        if not all(t in text for t in terms):
            continue
        if "city" in filters:
            prefix = Region(code=filters["city"], level=_level(filters["city"])).prefix
            if not project.region.code.startswith(prefix):
                continue
        if any(getattr(project, f) != v for f, v in filters.items() if f != "city"):
            continue
        named = all(t in name_part(text) for t in terms)
        rows.append((0 if named else 1, -project.pk))
    return [-pk for _, pk in sorted(rows)]


def _level(code: str) -> str:
    return (
        "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
    )


def searched(query: str, per_page: int = 3, **filters) -> tuple[list[int], list[int], int]:
    """(ids through QuerySet, ids through the paged results, count) for one search."""
    params = QueryDict(mutable=True)
    params["q"] = query
    params.update(filters)
    filterset = ProjectFilterSet(params, queryset=Project.objects.all())
    assert filterset.is_valid(), filterset.errors
    through_qs = list(filterset.qs.values_list("pk", flat=True))
    results = filterset.results()
    if connection.vendor == "sqlite":
        assert isinstance(results, RankedResults)
    paginator = Paginator(results, per_page)
    paged = [p.pk for n in paginator.page_range for p in paginator.page(n).object_list]
    return through_qs, paged, paginator.count


QUERIES = [
    ("园", {}),  # one Chinese character
    ("花园", {}),  # two
    ("阳光花园一期", {}),  # a full project name
    ("萨尔图百湖书苑", {}),  # a name typed without its separator dot
    ("yangguanghuayuan", {}),  # pinyin
    ("ygh", {}),  # initials (three letters: trigrams)
    ("hy", {}),  # initials (two letters)
    ("hrb", {}),
    ("花园 哈尔滨", {}),  # a short and a long word
    ("园 nangang", {}),
    ("园", {"city": "230100"}),  # region filters: city, county, province
    ("阳光", {"city": "230103"}),
    ("haerbin", {"city": "230100"}),
    ("hu", {"city": "230000"}),
    ("园", {"stage": "not_started"}),
    ("园", {"housing_type": "affordable", "city": "230100"}),
    ("hu", {"delivery_standard": "fitted"}),
    ("不存在的项目", {}),
    ("zz", {}),
]


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_every_kind_of_query_gives_the_substring_answer_in_relevance_order(
    projects, query, filters
):
    expected = oracle(query, **filters)
    through_qs, paged, count = searched(query, **filters)
    assert through_qs == expected
    assert paged == expected
    assert count == len(expected)


def test_a_credit_code_finds_the_developers_projects(projects):
    code = projects["daqing_dev"].credit_code
    developed = {p.pk for p in projects["projects"] if p.developer_id == projects["daqing_dev"].pk}
    assert set(oracle(code)) == developed
    for query in (code, code.lower(), code[:8]):
        through_qs, paged, _ = searched(query)
        assert through_qs == paged == oracle(query)


def test_name_hits_come_first_then_the_newest_across_page_boundaries(projects):
    # "园": five names hold it and one project only by its address (翠湖家园 holds it too).
    expected = oracle("园")
    for per_page in (1, 2, 4, 5, 7):
        _, paged, _ = searched("园", per_page=per_page)
        assert paged == expected, per_page
    assert len(expected) >= 5


def test_the_index_follows_every_write(projects):
    yangguang = projects["projects"][0]
    yangguang.name = "龙江壹号院"
    yangguang.save()
    moved = projects["projects"][4]
    moved.region = Region.objects.get(code="230102")
    moved.stage = Stage.COMPLETED
    moved.completion_accepted_on = "2026-01-05"
    moved.save()
    projects["projects"][2].delete()
    Project.objects.filter(pk=projects["projects"][1].pk).update(search_text="")
    Project.objects.filter(pk=projects["projects"][1].pk).refresh_search_text()
    renamed = projects["daqing_dev"]
    renamed.name = "松江置业集团"
    renamed.save()
    for query, filters in [
        *QUERIES,
        ("longjiang", {}),
        ("壹号院", {}),
        ("songjiang", {"city": "230102"}),
        ("湖", {"stage": "completed"}),
    ]:
        expected = oracle(query, **filters)
        through_qs, paged, count = searched(query, **filters)
        assert through_qs == paged == expected, (query, filters)
        assert count == len(expected)


def test_the_query_plan_reads_the_index_not_the_table(projects):
    if connection.vendor == "sqlite":
        cases = (("花园", "SCAN projects_search_short VIRTUAL TABLE INDEX"),
                 ("yangguang", "SCAN projects_search VIRTUAL TABLE INDEX"))  # fmt: skip
        explain = "EXPLAIN QUERY PLAN "
    else:
        cases = (("花园", "project_search_short_grams"), ("yangguang", "project_search_trgm"))
        explain = "EXPLAIN "
    for term, expected in cases:
        sql, params = Project.objects.matching(term).values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Six rows would be read faster in full; the index is what 100,000 need.
                cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(explain + sql, params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert expected in plan, plan
        assert "SCAN projects_project" not in plan and "Seq Scan" not in plan, plan


def test_a_search_of_two_words_reads_both_indexes_and_its_hits_once(projects):
    # A short and a long word: on SQLite each through its own FTS table, on PostgreSQL
    # from the GIN indexes, never a scan of the projects; on SQLite the intersection is read once per search
    # (count and page from it), not once for the count and again for every page.
    terms = ["花园", "haerbin"]
    sql, params = Project.objects.matching(" ".join(terms)).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            expected = ("SCAN projects_search_short VIRTUAL TABLE INDEX",
                        "projects_search VIRTUAL TABLE INDEX")  # fmt: skip
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            # The planner starts from one word's index and checks the other word on the
            # few rows it yields (a bitmap AND of both when both are selective).
            expected = ("project_search_short_grams",)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    for index in expected:
        assert index in plan, plan
    assert "SCAN projects_project" not in plan and "Seq Scan" not in plan, plan
    if connection.vendor == "sqlite":
        expected_ids = oracle(" ".join(terms))
        assert len(expected_ids) > 1
        search = search_index.FtsSearch(terms)
        with CaptureQueriesContext(connection) as queries:
            assert search.count() == len(expected_ids)
            assert search.page(0, 1) + search.page(1, 20) == expected_ids
        intersections = [q["sql"] for q in queries if "INTERSECT" in q["sql"]]
        assert len(intersections) == 2, intersections  # the hits and the name hits, once each


def test_a_kept_count_holds_until_a_write_changes_the_index(projects, monkeypatch):
    # Counts of at least BROAD_COUNT hits are kept under the index's generation; here every
    # count is kept, and each must still equal the substring answer after every kind of write.
    if connection.vendor != "sqlite":
        return  # PostgreSQL counts in SQL each time; the same answers are tested above
    monkeypatch.setattr(search_index, "BROAD_COUNT", 1)

    def count(query: str, **filters) -> int:
        params = QueryDict(mutable=True)
        params.update({"q": query, **filters})
        return ProjectFilterSet(params, queryset=Project.objects.all()).results().count()

    assert count("园") == len(oracle("园")) == 6
    with CaptureQueriesContext(connection) as queries:
        assert count("园") == 6
    assert not [q for q in queries if "count(*)" in q["sql"]]  # kept
    projects["projects"][0].delete()
    assert count("园") == len(oracle("园")) == 5
    try:
        with transaction.atomic():
            make_project(projects["harbin_dev"], "230102", name="龙园", address="哈尔滨市")
            assert count("园") == len(oracle("园")) == 6
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert count("园") == len(oracle("园")) == 5  # the rolled-back write's count is not read
    renamed = projects["projects"][5]
    renamed.name = "冰城壹号"
    renamed.address = "哈尔滨市松北区中源大道"
    renamed.save()
    assert count("园") == len(oracle("园")) == 4
    harbin = len(oracle("园", city="230100"))
    assert count("园", city="230100") == harbin
    Project.objects.filter(pk=projects["projects"][1].pk).update(
        region=Region.objects.get(code="230602")
    )  # a write by queryset, to a filter the count depends on
    assert count("园", city="230100") == len(oracle("园", city="230100")) == harbin - 1


def test_the_search_triggers_exist_after_every_migration():
    # A later migration that makes SQLite rebuild projects_project (AlterField) drops the
    # triggers with the old table: this fails until that migration re-creates them
    # (search_index.SQLITE_DROP + SQLITE_CREATE).
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {row[0] for row in cursor.fetchall()}
        assert {*search_index.TRIGGERS, *search_index.GENERATION_TRIGGERS} <= triggers
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'projects_project'")
            indexes = {row[0] for row in cursor.fetchall()}
        assert {"project_search_trgm", "project_search_short_grams"} <= indexes
