from django.urls import reverse

from gongshi.catalogue.models import Category, DueStage
from gongshi.catalogue.tests.factories import make_item, only_items, publish
from gongshi.core.choices import UnitRole
from gongshi.core.testing import assert_matrix
from gongshi.disclosures.checklist import EntryState


def _url(world):
    return reverse("workspace:project", args=[world.project.code])


def test_it_checks_who_is_linked_to_the_project(world, item):
    assert_matrix(
        world,
        "get",
        _url(world),
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 200,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )


def test_it_shows_every_due_item_with_state_completeness_and_timeliness(world, item):
    permit = make_item(
        title="施工许可证", category=Category.PROCEDURE, due_stage=DueStage.BEFORE_START
    )
    only_items(item, permit)
    publish(world.project, permit, world.users["developer"], days_after=3)
    response = world.client("developer").get(_url(world))
    html = response.content.decode()
    assert "施工许可证" in html and "分户验收汇总表" in html
    assert str(EntryState.PUBLISHED.label) in html
    assert str(EntryState.MISSING.label) in html
    assert "完整度 50%" in html
    assert "形成后 3 天公示" in html
    assert "信息形成后 7 天内公示" in html


def test_the_citys_own_timeliness_threshold_marks_items_late(world, item):
    from gongshi.regions.models import Region
    from gongshi.supervision.models import TimelinessSetting

    permit = make_item(title="施工许可证", category=Category.PROCEDURE)
    only_items(item, permit)
    publish(world.project, permit, world.users["developer"], days_after=5)
    TimelinessSetting.objects.create(region=Region.objects.get(code="230100"), threshold_days=3)
    html = world.client("developer").get(_url(world)).content.decode()
    assert "信息形成后 3 天内公示" in html
    assert str(EntryState.LATE.label) in html


def test_a_unit_sees_only_the_items_its_type_supplies(world, item):
    design_item = make_item(title="设计文件审查意见", supplier=UnitRole.DESIGN)
    only_items(item, design_item)
    html = world.client("unit").get(_url(world)).content.decode()
    assert "分户验收汇总表" in html
    assert "设计文件审查意见" not in html
    assert "项目信息" not in html  # the developer's tools are not offered


def test_items_not_yet_due_are_listed_on_request(world, item):
    later = make_item(title="竣工验收备案", due_stage=DueStage.BEFORE_HANDOVER)
    only_items(item, later)
    url = _url(world)
    assert "竣工验收备案" not in world.client("developer").get(url).content.decode()
    html = world.client("developer").get(url, {"all": "1"}).content.decode()
    assert "竣工验收备案" in html and "尚未到期" in html
