"""The built-in catalogue holds every item PRODUCT.md and the guidance §4 name."""

import pytest

from gongshi.catalogue.builtin import SYNCED_FIELDS, digest, ensure_builtin_catalogue
from gongshi.catalogue.data.builtin import BUILTIN_ITEMS, STRUCTURE_TYPES
from gongshi.catalogue.fields import clean_values, validate_definitions, validate_scans
from gongshi.catalogue.models import (
    DUE_FROM_STAGE,
    Applicability,
    CatalogueItem,
    Category,
    DueStage,
    RequirementLevel,
)
from gongshi.core.choices import HousingType, UnitRole
from gongshi.projects.models import StructureType

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

# (code, Chinese title substrings, category, due stage, supplier) — PRODUCT.md "What is
# disclosed — the catalogue", item by item.
GUIDANCE_ITEMS = [
    ("procedure.planning_permit", ["规划许可证"], "procedure", "before_start", "developer"),
    ("procedure.construction_permit", ["施工许可证"], "procedure", "before_start", "developer"),
    ("procedure.presale_permit", ["预售许可证"], "procedure", "construction", "developer"),
    *[
        (f"parties.{role}", [label], "parties", "before_start", role)
        for role, label in [
            ("developer", "建设单位"),
            ("survey", "勘察单位"),
            ("design", "设计单位"),
            ("contractor", "施工单位"),
            ("supervision", "监理单位"),
            ("drawing_review", "施工图审查"),
            ("testing", "检测机构"),
        ]
    ],
    ("materials.concrete_foundation", ["地基基础", "预拌混凝土强度"], "materials", "construction", "contractor"),
    ("materials.concrete_main_structure", ["主体结构", "预拌混凝土强度"], "materials", "construction", "contractor"),
    ("materials.rebar", ["钢筋"], "materials", "construction", "contractor"),
    ("materials.waterproofing", ["防水材料"], "materials", "construction", "contractor"),
    ("materials.pipes", ["给水排水管"], "materials", "construction", "contractor"),
    ("materials.cables", ["电线电缆"], "materials", "construction", "contractor"),
    ("materials.doors_windows", ["门窗"], "materials", "construction", "contractor"),
    ("materials.insulation", ["外墙保温"], "materials", "construction", "contractor"),
    ("materials.prefabricated", ["预制构件"], "materials", "construction", "contractor"),
    ("materials.fitout", ["全装修", "部品部件", "设备"], "materials", "construction", "contractor"),
    ("acceptance.foundation", ["地基与基础", "验收记录"], "acceptance", "construction", "supervision"),
    ("acceptance.main_structure", ["主体结构", "验收记录"], "acceptance", "construction", "supervision"),
    ("acceptance.roof", ["屋面", "验收记录"], "acceptance", "construction", "supervision"),
    ("acceptance.household_summary", ["分户验收汇总表"], "acceptance", "before_handover", "developer"),
    ("acceptance.indoor_environment", ["室内环境质量检测报告"], "acceptance", "before_handover", "testing"),
    ("acceptance.unit_completion", ["单位（子单位）工程", "竣工验收记录"], "acceptance", "before_handover", "developer"),
    ("acceptance.joint_acceptance", ["联合验收"], "acceptance", "before_handover", "developer"),
    ("acceptance.completion_filing", ["竣工验收备案"], "acceptance", "before_handover", "developer"),
    ("warranty.service", ["保修", "投诉"], "warranty", "before_handover", "developer"),
    ("warranty.liability_successor", ["建设单位不存在", "责任承接"], "warranty", "before_handover", "developer"),
    ("other.promises", ["承诺", "合同约定"], "other", "construction", "developer"),
    ("other.penalties", ["行政处罚", "信用惩戒", "整改"], "other", "construction", "developer"),
]  # fmt: skip

PILOT_ITEMS = [
    ("acceptance.fire_protection", ["消防验收意见书", "备案凭证"]),
    ("other.design_service_life", ["设计使用年限"]),
    ("acceptance.structure_entity_testing", ["主体结构实体质量检测"]),
    ("other.quality_commitment", ["质量承诺书"]),
    ("warranty.guarantee_and_manual", ["住宅质量保证书", "住宅使用说明书"]),
    ("warranty.latent_defect_insurance", ["潜在缺陷保险"]),
]


@pytest.fixture
def catalogue(db) -> dict[str, CatalogueItem]:
    return {i.code: i for i in CatalogueItem.objects.all()}


def keys(item: CatalogueItem) -> set[str]:
    return {f["key"] for f in item.fields}


def columns(item: CatalogueItem, table: str) -> dict[str, dict]:
    definition = next(f for f in item.fields if f["key"] == table)
    return {c["key"]: c for c in definition["columns"]}


@pytest.mark.parametrize(("code", "titles", "category", "due", "supplier"), GUIDANCE_ITEMS)
def test_it_has_every_item_the_guidance_names(catalogue, code, titles, category, due, supplier):
    item = catalogue[code]
    for title in titles:
        assert title in item.title, f"{code}: “{title}” not in “{item.title}”"
    assert (item.category, item.due_stage, item.supplier) == (category, due, supplier)
    assert item.requirement == RequirementLevel.REQUIRED
    assert item.title_en and item.basis.startswith("指导意见 四(")
    assert item.region is None and item.active


@pytest.mark.parametrize(("code", "titles"), PILOT_ITEMS)
def test_it_offers_other_provinces_items_as_optional(catalogue, code, titles):
    item = catalogue[code]
    for title in titles:
        assert title in item.title
    assert item.requirement == RequirementLevel.OPTIONAL
    assert "试点" in item.basis


def test_it_has_nothing_but_the_listed_items_and_every_category(catalogue):
    listed = {c for c, *_ in GUIDANCE_ITEMS} | {c for c, _ in PILOT_ITEMS} | {"materials.other"}
    assert set(catalogue) == listed
    assert {i.category for i in catalogue.values()} == set(Category)


def test_every_definition_is_sound(catalogue):
    for item in catalogue.values():
        assert validate_definitions(item.fields) == [], item.code
        assert validate_scans(item.scans) == [], item.code
        assert all(f.get("label_en") for f in item.fields), item.code


def test_each_permit_has_the_eight_facts_and_a_scan(catalogue):
    for code in ("planning_permit", "construction_permit", "presale_permit"):
        item = catalogue[f"procedure.{code}"]
        assert keys(item) == {
            "project_name",
            "address",
            "scale",
            "structure_type",
            "contract_duration_days",
            "issuing_authority",
            "certificate_number",
            "issue_date",
        }
        assert item.scan_required


def test_the_structure_type_choices_match_the_project_model():
    assert [(c["value"], c["label"]) for c in STRUCTURE_TYPES] == list(StructureType.choices)


def test_the_presale_permit_is_optional_for_affordable_housing(catalogue):
    item = catalogue["procedure.presale_permit"]
    assert item.requirement_for(HousingType.COMMERCIAL) == RequirementLevel.REQUIRED
    assert item.requirement_for(HousingType.AFFORDABLE) == RequirementLevel.OPTIONAL


def test_there_is_one_party_item_per_unit_role_with_two_leader_scans(catalogue):
    parties = [i for i in catalogue.values() if i.category == Category.PARTIES]
    assert sorted(i.supplier for i in parties) == sorted(UnitRole.values)
    for item in parties:
        assert {"unit_name", "credit_code", "leader_name", "qualification"} <= keys(item)
        assert item.scan_required
        assert [s["label"] for s in item.scans] == ["法定代表人授权书", "工程质量终身责任承诺书"]


def test_material_items_are_tables_of_manufacturer_model_conclusion_and_report(catalogue):
    for code in ("rebar", "waterproofing", "pipes", "cables", "doors_windows", "insulation"):
        cols = columns(catalogue[f"materials.{code}"], "materials")
        assert {"manufacturer", "specification", "conclusion", "report_number"} <= set(cols)
        assert [c["label"] for c in cols["conclusion"]["choices"]] == ["合格", "不合格"]
    assert {"strength_grade", "method", "conclusion", "report_number", "part"} <= set(
        columns(catalogue["materials.concrete_foundation"], "evaluations")
    )


def test_fit_out_materials_apply_to_fitted_projects_only(catalogue):
    item = catalogue["materials.fitout"]
    assert item.applies_to == Applicability.FITTED
    assert {"name", "brand", "specification", "model", "grade", "origin"} <= set(
        columns(item, "products")
    )
    others = [i for c, i in catalogue.items() if c != "materials.fitout"]
    assert all(i.applies_to == Applicability.BOTH for i in others)


def test_the_household_table_is_one_unique_row_per_household(catalogue):
    item = catalogue["acceptance.household_summary"]
    table = next(f for f in item.fields if f["key"] == "households")
    assert table["unique"] == ["building", "unit", "room"]
    labels = [c["label"] for c in table["columns"]]
    assert labels == ["楼栋", "单元", "房号", "验收结论", "验收日期", "整改情况"]


def test_the_joint_acceptance_has_time_conclusion_and_rectification(catalogue):
    assert {"acceptance_date", "conclusion", "rectification"} <= keys(
        catalogue["acceptance.joint_acceptance"]
    )


def test_the_warranty_telephone_is_a_public_business_number(catalogue):
    item = catalogue["warranty.service"]
    assert {"department", "contact_person", "telephone", "complaint_channel"} <= keys(item)
    phone = next(f for f in item.fields if f["key"] == "telephone")
    assert phone["public_phone"] is True


def test_latent_defect_insurance_has_insurer_policy_and_cover_periods(catalogue):
    item = catalogue["warranty.latent_defect_insurance"]
    assert {"insurer", "policy_number", "cover"} <= keys(item)
    assert {"scope", "starts_on", "ends_on"} == set(columns(item, "cover"))


def test_due_stages_follow_the_building(catalogue):
    order = list(DueStage)
    for item in catalogue.values():
        assert item.due_stage in DUE_FROM_STAGE
        if item.category == Category.MATERIALS:
            assert item.due_stage == DueStage.CONSTRUCTION
        if item.category in (Category.PROCEDURE, Category.PARTIES):
            assert order.index(item.due_stage) <= order.index(DueStage.CONSTRUCTION)
    for code in ("household_summary", "completion_filing", "joint_acceptance"):
        assert catalogue[f"acceptance.{code}"].due_stage == DueStage.BEFORE_HANDOVER


def test_a_realistic_permit_passes_its_own_definition(catalogue):
    cleaned = clean_values(
        catalogue["procedure.construction_permit"].fields,
        {
            "project_name": "松北·江畔花园一期",
            "address": "哈尔滨市松北区世茂大道88号",
            "scale": "总建筑面积 52,000 平方米，住宅 6 栋 480 户",
            "structure_type": "剪力墙结构",
            "contract_duration_days": "720",
            "issuing_authority": "哈尔滨市松北区住房和城乡建设局",
            "certificate_number": "230109202503180101",
            "issue_date": "2025年3月18日",
        },
    )
    assert cleaned["structure_type"] == "shear_wall"
    assert cleaned["issue_date"] == "2025-03-18"


def test_codes_are_unique_and_sort_orders_increase():
    codes = [i["code"] for i in BUILTIN_ITEMS]
    assert len(codes) == len(set(codes))
    orders = [i["sort_order"] for i in BUILTIN_ITEMS]
    assert orders == sorted(orders)


def test_loading_is_idempotent_and_costs_one_query_when_nothing_changed(
    db, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert ensure_builtin_catalogue() == {"created": 0, "updated": 0, "kept": 0}
    assert CatalogueItem.objects.count() == len(BUILTIN_ITEMS)


def test_loading_restores_a_missing_item_and_refreshes_one_an_older_release_loaded(db):
    CatalogueItem.objects.filter(code="materials.rebar").delete()
    # As an older release would have left it: another title, and a digest of that content.
    older = CatalogueItem.objects.filter(code="warranty.service")
    older.update(title="旧名称")
    older.update(builtin_digest=digest_of_row("warranty.service"))
    assert ensure_builtin_catalogue() == {"created": 1, "updated": 1, "kept": 0}
    assert older.get().title == "质量保修及投诉处理"
    assert CatalogueItem.objects.filter(code="materials.rebar").exists()


def test_loading_keeps_an_item_an_administrator_edited(db):
    CatalogueItem.objects.filter(code="warranty.service").update(title="保修服务（本省调整）")
    assert ensure_builtin_catalogue()["kept"] == 1
    assert CatalogueItem.objects.get(code="warranty.service").title == "保修服务（本省调整）"


def digest_of_row(code: str) -> str:
    item = CatalogueItem.objects.get(code=code)
    return digest({name: getattr(item, name) for name in SYNCED_FIELDS})


def test_a_penalties_item_loaded_before_the_scan_condition_gets_it(db):
    # As the release before the conditional scan left it: no condition, no scans, its digest.
    older = CatalogueItem.objects.filter(code="other.penalties")
    older.update(scan_required_when={}, scans=[], description="旧说明")
    older.update(builtin_digest=digest_of_row("other.penalties"))
    assert ensure_builtin_catalogue()["updated"] == 1
    item = older.get()
    assert item.scan_required_when == {"field": "has_items", "value": "yes"}
    assert [s["label"] for s in item.scans] == ["处罚决定书或信用惩戒决定书"]


def test_an_item_loaded_before_the_field_existed_is_still_recognised_as_unedited(db):
    # Items without a condition keep the digest they had before the field was added.
    item = CatalogueItem.objects.get(code="warranty.service")
    without = {name: getattr(item, name) for name in SYNCED_FIELDS if name != "scan_required_when"}
    assert digest({**without, "scan_required_when": {}}) == digest(without)
