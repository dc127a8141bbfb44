import csv
import io

import pytest
from openpyxl import load_workbook

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.public.tests.conftest import household_rows, publish_households, publish_permit

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_everyone_may_export(world, catalogue):
    code = world.project.code
    for url in [
        "/projects.csv",
        "/projects.xlsx",
        f"/p/{code}/disclosures.csv",
        f"/p/{code}/disclosures.xlsx",
    ]:
        assert_matrix(world, "get", url, dict.fromkeys(ROLES, 200))


def test_the_project_list_exports_as_csv_with_the_search_applied(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    rows = read_csv(client.get("/projects.csv", {"q": "hrb"}))
    assert rows[0][:2] == ["公示编号", "项目名称"]
    assert [r[1] for r in rows[1:]] == ["测试花园一期"]
    assert rows[1][2:4] == ["哈尔滨市", "南岗区"]
    assert rows[1][12] == "33"


def test_the_project_list_exports_as_excel(world, catalogue, client):
    response = client.get("/projects.xlsx")
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["大庆测试家园", "测试花园一期"]


def test_a_bad_filter_is_refused_with_a_sentence(world, client):
    response = client.get("/projects.csv", {"stage": "nonsense"})
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_one_projects_disclosures_export_every_value_of_every_version(world, catalogue, client):
    publish_permit(world, catalogue["planning"], number="旧号")
    publish_permit(world, catalogue["planning"], number="新号", reason="更正")
    publish_households(
        world, catalogue["households"], household_rows(units=1, floors=1, per_floor=2)
    )
    rows = read_csv(client.get(f"/p/{world.project.code}/disclosures.csv"))
    numbers = [r for r in rows if r[9] == "证书编号"]
    assert [(r[3], r[12]) for r in numbers] == [("1", "旧号"), ("2", "新号")]
    results = [r for r in rows if r[11] == "验收结论"]
    assert [(r[10], r[12]) for r in results] == [("1", "合格"), ("2", "合格")]


def test_one_projects_disclosures_export_as_excel(world, catalogue, client):
    publish_permit(world, catalogue["planning"], number="XLSX-1")
    sheet = load_workbook(
        io.BytesIO(client.get(f"/p/{world.project.code}/disclosures.xlsx").content)
    ).active
    values = [row[12] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "XLSX-1" in values
