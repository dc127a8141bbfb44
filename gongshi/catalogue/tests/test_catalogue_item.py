"""A catalogue item validates itself, whichever door it comes in by (admin, regulator, code)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongshi.catalogue.models import CatalogueItem, Category, DueStage, RequirementLevel
from gongshi.core.choices import HousingType, UnitRole
from gongshi.regions.models import Region


def local_item(**changes) -> CatalogueItem:
    fields = {
        "code": "harbin.site_board_photo",
        "title": "施工现场公示牌照片",
        "title_en": "Photo of the site disclosure board",
        "category": Category.OTHER,
        "due_stage": DueStage.CONSTRUCTION,
        "supplier": UnitRole.CONTRACTOR,
        "fields": [{"key": "taken_on", "label": "拍摄日期", "type": "date", "required": True}],
        "region": Region.objects.get(code="230100"),
        "effective_from": timezone.localdate(),
    }
    fields.update(changes)
    return CatalogueItem(**fields)


def test_a_sound_local_item_passes_full_clean(db):
    item = local_item()
    item.full_clean()
    item.save()
    assert item.requirement_for(HousingType.AFFORDABLE) == RequirementLevel.REQUIRED


def test_it_refuses_unsound_fields_and_scans_on_their_own_fields(db):
    item = local_item(
        fields=[{"key": "taken_on", "label": "拍摄日期", "type": "datetime"}],
        scans=[{"label": "照片"}],
    )
    with pytest.raises(ValidationError) as raised:
        item.full_clean()
    assert raised.value.message_dict == {
        "fields": ["字段定义：字段“taken_on”的类型“datetime”无效"],
        "scans": ["扫描件清单应为列表，每项须有 key 和 label"],
    }


@pytest.mark.parametrize("code", ["Harbin.Photo", "harbin photo", "harbin..photo", ".photo"])
def test_it_refuses_a_code_that_is_not_dotted_lower_case(db, code):
    with pytest.raises(ValidationError) as raised:
        local_item(code=code).full_clean()
    assert list(raised.value.message_dict) == ["code"]
