"""The catalogue editor in the admin: only administrators, and only sound field definitions."""

import json

import pytest

from gongshi.catalogue.models import CatalogueItem, LocalRequirement
from gongshi.core.testing import assert_matrix
from gongshi.regions.models import Region

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

ONLY_ADMIN = {
    "anonymous": 302,
    "outsider": 302,
    "unit": 302,
    "developer": 302,
    "other_regulator": 302,
    "regulator": 302,
    "admin": 200,
}


@pytest.fixture
def item(world) -> CatalogueItem:
    return CatalogueItem.objects.get(code="warranty.service")


def form_data(item: CatalogueItem, **changes) -> dict:
    data = {
        "code": item.code,
        "title": item.title,
        "title_en": item.title_en,
        "category": item.category,
        "due_stage": item.due_stage,
        "supplier": item.supplier,
        "applies_to": item.applies_to,
        "requirement": item.requirement,
        "affordable_requirement": item.affordable_requirement,
        "scan_required": "on" if item.scan_required else "",
        "scans": json.dumps(item.scans, ensure_ascii=False),
        "fields": json.dumps(item.fields, ensure_ascii=False),
        "description": item.description,
        "basis": item.basis,
        "sort_order": item.sort_order,
        "region": "",
        "effective_from": "",
        "active": "on",
    }
    data.update(changes)
    return data


def url(item: CatalogueItem) -> str:
    return f"/admin/catalogue/catalogueitem/{item.pk}/change/"


def test_only_the_administrator_opens_the_catalogue_editor(world, item):
    assert_matrix(world, "GET", url(item), ONLY_ADMIN)
    assert_matrix(world, "GET", "/admin/catalogue/catalogueitem/", ONLY_ADMIN)
    assert_matrix(world, "GET", "/admin/catalogue/localrequirement/add/", ONLY_ADMIN)


def test_it_saves_a_sound_change(world, item):
    fields = [*item.fields, {"key": "wechat", "label": "微信公众号", "type": "text"}]
    response = world.client("admin").post(
        url(item), form_data(item, fields=json.dumps(fields, ensure_ascii=False))
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.fields[-1]["key"] == "wechat"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"key": "a"}, "字段定义应为列表"),
        ([{"key": "a", "type": "text"}], "字段定义：每个字段须有 key 和 label"),
        ([{"key": "a", "label": "甲", "type": "money"}], "字段定义：字段“a”的类型“money”无效"),
        ([{"key": "a", "label": "甲", "type": "choice"}], "字段定义：选择字段“a”须列出选项"),
        (
            [{"key": "a", "label": "甲", "type": "text", "requird": True}],
            "字段定义：字段“a”有未知的设置“requird”",
        ),
        (
            [{"key": "Phone No", "label": "电话", "type": "text"}],
            "字段定义：字段名“Phone No”只能用小写字母、数字和下划线，并以字母开头",
        ),
        (
            [{"key": "a", "label": "甲", "type": "number", "min": 10, "max": 1}],
            "字段定义：数字字段“a”的 min 大于 max",
        ),
        (
            [{"key": "a", "label": "甲", "type": "text"}, {"key": "a", "label": "乙", "type": "date"}],
            "字段“a”重复",
        ),
        ([{"key": "t", "label": "表", "type": "table"}], "字段定义：表格“t”须定义列"),
        (
            [{"key": "t", "label": "表", "type": "table", "unique": ["room"],
              "columns": [{"key": "building", "label": "楼栋", "type": "text"}]}],
            "表格“t”的唯一列“room”不存在",
        ),
        (
            [{"key": "t", "label": "表", "type": "table",
              "columns": [{"key": "inner", "label": "内表", "type": "table", "columns": []}]}],
            "表格“t”：字段“inner”的类型“table”无效",
        ),
    ],
)  # fmt: skip
def test_it_refuses_unsound_field_definitions_and_says_why(world, item, fields, message):
    before = item.fields
    response = world.client("admin").post(
        url(item), form_data(item, fields=json.dumps(fields, ensure_ascii=False))
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.fields == before


def test_it_refuses_malformed_scans(world, item):
    response = world.client("admin").post(url(item), form_data(item, scans='[{"key": "a"}]'))
    assert response.status_code == 200
    assert "扫描件清单应为列表，每项须有 key 和 label" in response.content.decode()


def test_it_refuses_a_code_that_is_not_a_stable_identifier(world, item):
    response = world.client("admin").post(url(item), form_data(item, code="保修 信息"))
    assert response.status_code == 200
    assert "编码只能使用小写字母、数字、下划线" in response.content.decode()


def test_a_local_requirement_can_only_raise_the_level(world):
    optional = CatalogueItem.objects.get(code="warranty.latent_defect_insurance")
    harbin = Region.objects.get(code="230100")
    add = "/admin/catalogue/localrequirement/add/"
    data = {"region": harbin.pk, "item": optional.pk, "effective_from": "2026-01-01", "basis": ""}
    refused = world.client("admin").post(add, {**data, "requirement": "voluntary"})
    assert refused.status_code == 200
    assert "地方只能提高公示要求" in refused.content.decode()
    assert not LocalRequirement.objects.exists()
    accepted = world.client("admin").post(add, {**data, "requirement": "required"})
    assert accepted.status_code == 302
    assert LocalRequirement.objects.get().requirement == "required"
