"""The developer lists a building's flats: generated, or imported from Excel (all or nothing)."""

import io

import pytest
from openpyxl import Workbook

from gongshi.core.testing import assert_matrix
from gongshi.households.flats import generate_flats
from gongshi.households.models import FlatArchive
from gongshi.projects.models import Building, Flat


@pytest.fixture
def building(world):
    return Building.objects.create(project=world.project, name="2号楼", units=2, floors_above=18)


def url(world) -> str:
    return f"/workspace/p/{world.project.code}/flats/"


def sheet(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(["楼栋", "单元", "楼层", "房号", "建筑面积（平方米）"])
    for row in rows:
        worksheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "flats.xlsx"
    return out


def test_only_the_developer_manages_flats(world, building):
    assert_matrix(
        world,
        "get",
        url(world),
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 403,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )


def test_it_generates_units_times_floors_times_flats_a_floor_each_with_a_code(world, building):
    client = world.client("developer")
    response = client.post(
        url(world),
        {"building": building.pk, "floors_from": 1, "floors_to": 18, "per_floor": 2},
    )
    assert response.status_code == 302
    assert Flat.objects.filter(building=building).count() == 2 * 18 * 2
    numbers = set(Flat.objects.filter(building=building, unit="2").values_list("number", flat=True))
    assert {"101", "102", "1801", "1802"} <= numbers
    codes = list(FlatArchive.objects.filter(project=world.project).values_list("code", flat=True))
    assert len(codes) == 72 and len(set(codes)) == 72
    assert all(len(code) == 5 for code in codes)


def test_generating_again_keeps_existing_flats_and_their_codes(world, building):
    generate_flats(building, floors_from=1, floors_to=2, per_floor=2)
    before = dict(FlatArchive.objects.values_list("flat_id", "code"))
    generate_flats(building, floors_from=1, floors_to=3, per_floor=2)
    after = dict(FlatArchive.objects.values_list("flat_id", "code"))
    assert len(after) == 12
    assert all(after[flat] == code for flat, code in before.items())


def test_floors_beyond_the_building_are_refused_with_the_limit(world, building):
    response = world.client("developer").post(
        url(world), {"building": building.pk, "floors_from": 1, "floors_to": 25, "per_floor": 2}
    )
    assert response.status_code == 400
    assert "楼层须在 1 至 18 层之间" in response.content.decode()
    assert not Flat.objects.exists()


def test_an_excel_import_adds_every_row(world, building):
    upload = sheet([["2号楼", "1", 1, "101", 89.5], ["2号楼", "1", 1, "102", 120]])
    response = world.client("developer").post(url(world) + "import/", {"file": upload})
    assert response.status_code == 302
    assert Flat.objects.filter(building=building).count() == 2
    assert FlatArchive.objects.filter(flat__building=building).count() == 2


def test_an_excel_import_with_any_error_writes_nothing_and_names_the_rows(world, building):
    upload = sheet(
        [
            ["2号楼", "1", 1, "101", 89.5],
            ["9号楼", "1", 1, "101", 89.5],
            ["2号楼", "1", 30, "3001", 89.5],
            ["2号楼", "1", 1, "101", 89.5],
        ]
    )
    response = world.client("developer").post(url(world) + "import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "没有导入任何房屋" in html
    assert "第 3 行：楼栋“9号楼”不存在" in html
    assert "第 4 行：楼层 30 超出2号楼的层数" in html
    assert "第 5 行" in html and "与第 2 行重复" in html
    assert not Flat.objects.exists()
    assert not FlatArchive.objects.exists()


def test_blank_and_malformed_cells_are_reported_by_row_before_anything_is_written(world, building):
    upload = sheet([["2号楼", "1", 1, "101", 89.5], ["2号楼", "", "二层", "201", None]])
    response = world.client("developer").post(url(world) + "import/", {"file": upload})
    html = response.content.decode()
    assert "第 3 行：单元不能为空" in html
    assert "第 3 行：楼层" in html
    assert not Flat.objects.exists()


def test_importing_the_same_sheet_twice_is_refused_the_second_time(world, building):
    client = world.client("developer")
    client.post(url(world) + "import/", {"file": sheet([["2号楼", "1", 1, "101", 89.5]])})
    response = client.post(
        url(world) + "import/", {"file": sheet([["2号楼", "1", 1, "101", 89.5]])}
    )
    assert "第 2 行：2号楼 1单元 101 已在房屋清单中" in response.content.decode()
    assert Flat.objects.count() == 1


def test_the_template_downloads_for_the_developer(world, building):
    response = world.client("developer").get(url(world) + "template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
