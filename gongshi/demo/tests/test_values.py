"""The value generator fills any item from its field definitions, recipe or not."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from gongshi.catalogue.data.builtin import BUILTIN_ITEMS
from gongshi.catalogue.fields import clean_values, validate_definitions
from gongshi.core.choices import UnitRole
from gongshi.demo import data
from gongshi.demo.recipes import RECIPES, build_values, corrected
from gongshi.demo.values import ProjectContext
from gongshi.organisations.credit_codes import make_credit_code

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

TODAY = dt.date(2026, 6, 15)

# A city's local item (§6.1) the recipes have never heard of, with every field type.
LOCAL_ITEM = SimpleNamespace(
    code="local.harbin.winter_construction",
    fields=[
        {"key": "plan_number", "label": "冬期施工方案编号", "type": "text", "required": True},
        {"key": "approved_on", "label": "批准日期", "type": "date", "required": True},
        {"key": "min_temperature", "label": "最低施工温度", "type": "number", "min": -40,
         "max": 0, "decimals": 1},
        {"key": "heating", "label": "养护方式", "type": "choice", "choices": [
            {"value": "steam", "label": "蒸汽养护"}, {"value": "blanket", "label": "电热毯"}]},
        {"key": "measures", "label": "主要措施", "type": "textarea"},
        {"key": "checks", "label": "测温记录", "type": "table", "min_rows": 1, "columns": [
            {"key": "checked_on", "label": "日期", "type": "date", "required": True},
            {"key": "reading", "label": "温度", "type": "number", "decimals": 1},
            {"key": "inspector_unit", "label": "测温单位", "type": "text"},
        ]},
    ],
)  # fmt: skip


def context(code: str = "YRW2QA") -> ProjectContext:
    spec = next(p for p in data.PROJECTS if p.code == code)
    units = {UnitRole.DEVELOPER.value: data.COMPANIES[spec.developer]}
    units.update({str(role): data.COMPANIES[key] for role, key in spec.units.items()})
    return ProjectContext(
        spec=spec,
        today=TODAY,
        developer=data.COMPANIES[spec.developer],
        units=units,
        city_name="哈尔滨市",
        district_name="松北区",
    )


def test_an_item_without_a_recipe_gets_every_field_filled_validly():
    assert not validate_definitions(LOCAL_ITEM.fields)
    values = build_values(context(), LOCAL_ITEM, TODAY)

    assert all(values[f["key"]] not in (None, "", []) for f in LOCAL_ITEM.fields)
    assert clean_values(LOCAL_ITEM.fields, values) == values


def test_every_builtin_item_gets_values_its_own_definitions_accept():
    ctx = context()
    for item in BUILTIN_ITEMS:
        values = build_values(ctx, SimpleNamespace(**item), TODAY)
        if "credit_code" in values:  # the seeder puts the stored organisation's code here
            values["credit_code"] = make_credit_code("230109", 42)
        clean_values(item["fields"], values)  # raises on any invalid value


def test_every_builtin_item_with_structured_content_has_a_recipe():
    parties = {f"parties.{role}" for role in UnitRole.values}
    missing = {i["code"] for i in BUILTIN_ITEMS} - set(RECIPES) - parties
    assert not missing


def test_the_same_project_gets_the_same_values_every_time():
    item = SimpleNamespace(**next(i for i in BUILTIN_ITEMS if i["code"] == "materials.rebar"))

    assert build_values(context(), item, TODAY) == build_values(context(), item, TODAY)


def test_a_correction_changes_a_value_and_says_why():
    item = SimpleNamespace(**next(i for i in BUILTIN_ITEMS if i["code"] == "materials.rebar"))
    ctx = context()
    values = build_values(ctx, item, TODAY)

    new, reason = corrected(ctx, item.code, values)

    assert new != values and reason == "检测报告编号录入错误，予以更正"
    assert new["materials"][0]["report_number"] != values["materials"][0]["report_number"]
    assert new["materials"][1:] == values["materials"][1:]
