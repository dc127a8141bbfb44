import datetime as dt

from django.utils import timezone

from gongshi.catalogue.models import CatalogueItem, LocalRequirement, RequirementLevel
from gongshi.core.testing import REGULATOR_ONLY, assert_matrix
from gongshi.disclosures.checklist import project_checklist

URL = "/supervision/checklist/"

ITEM = {
    "action": "add_item",
    "item-title": "冬期施工质量保证措施",
    "item-title_en": "Winter construction quality measures",
    "item-category": "other",
    "item-due_stage": "construction",
    "item-supplier": "contractor",
    "item-applies_to": "both",
    "item-requirement": "required",
    "item-field_lines": "措施概要 长文本 必填\n审批日期 日期 必填",
    "item-effective_from": timezone.localdate().isoformat(),
}
TODAY = timezone.localdate()


def test_the_page_is_for_regulators(world):
    assert_matrix(
        world,
        "get",
        URL,
        REGULATOR_ONLY,
    )


def test_a_local_item_appears_on_the_areas_checklists_from_its_date(world):
    response = world.client("regulator").post(URL, ITEM)
    assert response.status_code == 302, response.content.decode()
    item = CatalogueItem.objects.get(title="冬期施工质量保证措施")
    assert item.region.code == world.users["regulator"].organisations.get().region.code
    assert [f["type"] for f in item.fields] == ["textarea", "date"]
    harbin = project_checklist(world.project, today=TODAY)
    assert harbin.entry(item.code) is not None
    before = project_checklist(world.project, today=TODAY - dt.timedelta(days=1))
    assert before.entry(item.code) is None
    daqing = project_checklist(world.other_project, today=TODAY)
    assert daqing.entry(item.code) is None


def test_a_local_item_cannot_be_back_dated_or_added_twice(world):
    client = world.client("regulator")
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    back_dated = client.post(URL, dict(ITEM, **{"item-effective_from": yesterday}))
    assert "生效日期不能早于今天" in back_dated.content.decode()
    assert not CatalogueItem.objects.filter(region__isnull=False).exists()
    assert client.post(URL, ITEM).status_code == 302
    twice = client.post(URL, ITEM)
    assert "本地清单中已有同名事项" in twice.content.decode()
    assert CatalogueItem.objects.filter(region__isnull=False).count() == 1


def test_bad_field_lines_are_explained_and_nothing_is_added(world):
    response = world.client("regulator").post(
        URL, dict(ITEM, **{"item-field_lines": "措施概要 表格"})
    )
    assert "类型“表格”无效" in response.content.decode()
    assert not CatalogueItem.objects.filter(region__isnull=False).exists()


def test_a_regulator_raises_an_optional_item_to_required(world):
    optional = CatalogueItem.objects.filter(
        region__isnull=True, requirement=RequirementLevel.OPTIONAL
    ).first()
    response = world.client("regulator").post(
        URL,
        {
            "action": "raise",
            "raise-item": optional.pk,
            "raise-requirement": "required",
            "raise-effective_from": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    local = LocalRequirement.objects.get()
    assert (local.item, local.requirement, local.region.code) == (optional, "required", "230100")
    # Once required here, it is no longer offered for raising (in Daqing it still is).
    harbin_choices = world.client("regulator").get(URL).context["raise_form"].fields["item"]
    assert optional not in harbin_choices.queryset
    daqing_choices = world.client("other_regulator").get(URL).context["raise_form"].fields["item"]
    assert optional in daqing_choices.queryset


def test_a_city_sets_its_timeliness_threshold_and_lateness_follows(world):
    from gongshi.supervision.timeliness import threshold_for

    response = world.client("regulator").post(
        URL, {"action": "timeliness", "timeliness-threshold_days": 3}
    )
    assert response.status_code == 302
    assert threshold_for(world.project.region.code) == 3
    assert threshold_for(world.other_project.region.code) == 7
    bad = world.client("regulator").post(
        URL, {"action": "timeliness", "timeliness-threshold_days": -1}
    )
    assert bad.status_code == 200 and "timeliness" in bad.content.decode()
