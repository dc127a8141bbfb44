"""The console's pages: area scoping, figures, drill-down, exports, settings."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from gongshi.core.choices import OrganisationType, Stage
from gongshi.core.testing import (
    REGULATOR_ONLY,
    assert_matrix,
    login_client,
    make_org,
    make_project,
    make_user,
)
from gongshi.supervision.models import ScoreWeights

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

PAGES = [
    "/supervision/",
    "/supervision/projects/",
    "/supervision/late/",
    "/supervision/overdue-questions/",
    "/supervision/score-settings/",
    "/supervision/dashboard.csv",
    "/supervision/dashboard.xlsx",
    "/supervision/projects/?format=csv",
]


@pytest.mark.parametrize("url", PAGES)
def test_console_pages_are_for_regulators_only(world, url):
    assert_matrix(world, "get", url, REGULATOR_ONLY)


def test_each_regulator_sees_only_its_own_area(world):
    harbin = world.client("regulator").get("/supervision/projects/").content.decode()
    daqing = world.client("other_regulator").get("/supervision/projects/").content.decode()
    assert world.project.name in harbin and world.other_project.name not in harbin
    assert world.other_project.name in daqing and world.project.name not in daqing
    csv = (
        world.client("other_regulator")
        .get("/supervision/projects/?format=csv")
        .content.decode("utf-8-sig")
    )
    assert world.project.code not in csv and world.other_project.code in csv


def test_the_province_sees_every_city(world):
    province = make_org(OrganisationType.REGULATOR, "230000", name="黑龙江省住房和城乡建设厅")
    user = make_user("province", province)
    client = login_client(world.client("anonymous"), user)
    page = client.get("/supervision/projects/").content.decode()
    assert world.project.name in page and world.other_project.name in page


def test_the_dashboard_shows_figures_as_charts_and_tables(world):
    response = world.client("regulator").get("/supervision/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="chart-stage"' in page and "echarts.simple.min.js" in page
    assert 'id="chart-data"' in page  # the numbers the charts draw, also in the tables
    assert "?stage=under_construction" in page  # drill-down link from a figure
    assert response.context["board"].totals["projects"] == 1


def test_a_drill_down_lists_the_projects_behind_a_figure(world):
    developer = world.project.developer
    make_project(
        developer,
        stage=Stage.COMPLETED,
        completion_accepted_on=dt.date(2026, 6, 1),
        name="已竣工的项目",
    )
    client = world.client("regulator")
    page = client.get("/supervision/projects/?stage=completed").content.decode()
    assert "已竣工的项目" in page and world.project.name not in page


def test_the_dashboard_exports_its_numbers(world):
    client = world.client("regulator")
    text = client.get("/supervision/dashboard.csv").content.decode("utf-8-sig")
    assert "按阶段" in text and "在建" in text
    assert "概况,项目,1" in text  # the headline figures too
    assert "概况,仍须在线公示的项目," in text
    workbook = load_workbook(io.BytesIO(client.get("/supervision/dashboard.xlsx").content))
    rows = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert "在建" in [v for row in rows for v in row]
    assert ["概况", "项目", 1] in rows  # a number, not text


def test_the_dashboard_query_count_does_not_grow_with_projects(
    world, django_assert_max_num_queries
):
    client = world.client("regulator")
    client.get("/supervision/")  # warm the session and the calendar
    with django_assert_max_num_queries(30) as small:
        client.get("/supervision/")
    for n in range(15):
        make_project(world.project.developer, name=f"批量项目{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/supervision/")


def test_only_the_province_sets_score_weights(world):
    data = {
        "completeness": 50,
        "timeliness": 20,
        "responsiveness": 10,
        "complaints": 10,
        "discrepancies": 10,
        "complaint_cap": "2.5",
        "discrepancy_cap": 4,
    }
    assert world.client("regulator").post("/supervision/score-settings/", data).status_code == 404
    province = make_org(OrganisationType.REGULATOR, "230000", name="黑龙江省住房和城乡建设厅")
    client = login_client(world.client("anonymous"), make_user("province", province))
    assert client.post("/supervision/score-settings/", data).status_code == 302
    assert ScoreWeights.current().completeness == 50
    zero = dict(data, completeness=0, timeliness=0, responsiveness=0, complaints=0, discrepancies=0)
    response = client.post("/supervision/score-settings/", zero)
    assert "权重不能全部为 0" in response.content.decode()
    assert ScoreWeights.objects.count() == 1


def test_the_score_and_its_formula_are_public(world):
    assert_matrix(
        world,
        "get",
        "/score/",
        dict.fromkeys(
            ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"],
            200,
        ),
    )
    page = world.client("anonymous").get(f"/score/p/{world.project.code}/").content.decode()
    assert "公示评分" in page and "完整性 C" in page
    assert world.client("anonymous").get("/score/p/NOSUCH/").status_code == 404


def test_the_late_worklist_lists_every_late_item_page_by_page(world):
    from gongshi.catalogue.models import CatalogueItem
    from gongshi.disclosures.models import Disclosure

    # Bare rows as publish_version leaves them: 51 items first published 20 days late.
    published_at = dt.datetime(2026, 10, 20, 2, tzinfo=dt.UTC)
    items = list(CatalogueItem.objects.all()[:30])
    second = make_project(world.project.developer, name="第二个项目")
    for project, its_items in ((world.project, items), (second, items[:21])):
        for item in its_items:
            Disclosure.objects.create(
                project=project,
                item=item,
                first_published_at=published_at,
                first_timeliness_days=20,
            )
    assert Disclosure.objects.count() == 51
    client = world.client("regulator")
    first = client.get("/supervision/late/").content.decode()
    assert "第 1 / 2 页" in first and "page=2" in first
    assert first.count("<tr><td>") == 50
    second = client.get("/supervision/late/?page=2").content.decode()
    assert second.count("<tr><td>") == 1
    assert "2026-09-30" in second  # the information date: 20 days before 20 October


def test_the_province_compares_its_cities(world):
    province = make_org(OrganisationType.REGULATOR, "230000", name="黑龙江省住房和城乡建设厅")
    client = login_client(world.client("anonymous"), make_user("province", province))
    response = client.get("/supervision/")
    rows = {row["city"].code: row for row in response.context["board"].by_city}
    assert len(rows) == 13
    assert rows["230100"]["projects"] == 1 and rows["230600"]["projects"] == 1
    assert rows["230300"]["projects"] == 0
    assert "各市（地）比较" in response.content.decode()
    harbin_only = client.get("/supervision/projects/", {"city": "2301"}).content.decode()
    assert world.project.name in harbin_only and world.other_project.name not in harbin_only
    # A city's regulator has no such table: it has one city.
    assert world.client("regulator").get("/supervision/").context["board"].by_city == []
