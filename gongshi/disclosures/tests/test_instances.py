"""Repeatable items: instances with their own versions, leaves and state; the item is
complete once the plan's number of instances is public."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gongshi.catalogue.models import Category, DueStage
from gongshi.catalogue.tests.factories import make_item, only_items
from gongshi.core.choices import UnitRole
from gongshi.core.refusals import Refused
from gongshi.disclosures import workflow
from gongshi.disclosures.checklist import EntryState, project_checklist
from gongshi.disclosures.log_entry import version_payload
from gongshi.disclosures.models import Disclosure
from gongshi.integrity.merkle import canonical_json
from gongshi.integrity.models import LogEntry
from gongshi.projects.models import Building
from gongshi.workspace.testing import access

PERMIT_FIELDS = [
    {"key": "certificate_number", "label": "证号", "label_en": "Number", "type": "text"},
]


@pytest.fixture
def permit(world):
    item = make_item(
        code="test.presale",
        title="商品房预售许可证",
        title_en="Pre-sale permit",
        category=Category.PROCEDURE,
        due_stage=DueStage.BEFORE_START,
        supplier=UnitRole.DEVELOPER,
        fields=PERMIT_FIELDS,
        repeatable=True,
        covers_buildings=True,
    )
    only_items(item)
    return item


@pytest.fixture
def buildings(world):
    return [
        Building.objects.create(project=world.project, name=f"{n}号楼", position=n, floors_above=18)
        for n in range(1, 5)
    ]


def publish(world, item, number: str, *, instance: int = 1):
    developer = access(world, "developer")
    version = workflow.open_version(developer, item, instance=instance)
    version = workflow.save_draft(
        developer,
        version,
        lock_version=version.lock_version,
        values={"certificate_number": number},
        information_date=timezone.localdate() - dt.timedelta(days=1),
    )
    return workflow.approve(developer, version)


def test_the_developer_adds_instances_numbered_in_order_with_their_buildings(
    world, permit, buildings
):
    developer = access(world, "developer")
    publish(world, permit, "哈预2026001")
    second = workflow.add_instance(
        developer, permit, label="第二批", buildings=[buildings[2].pk, buildings[3].pk]
    )
    third = workflow.add_instance(developer, permit, label="第三批")
    assert (second.instance, third.instance) == (2, 3)
    assert second.building_names() == ["3号楼", "4号楼"]
    assert Disclosure.objects.filter(project=world.project, item=permit).count() == 3


def test_an_unused_first_instance_takes_the_first_label(world, permit, buildings):
    first = workflow.add_instance(
        access(world, "developer"), permit, label="第一批", buildings=[buildings[0].pk]
    )
    assert first.instance == 1 and first.label == "第一批"


def test_only_the_developer_adds_instances_and_only_of_repeatable_items(world, permit):
    with pytest.raises(Refused):
        workflow.add_instance(access(world, "unit"), permit, label="第二批")
    single = make_item(code="test.single", supplier=UnitRole.DEVELOPER)
    with pytest.raises(ValidationError) as caught:
        workflow.add_instance(access(world, "developer"), single, label="第二份")
    assert caught.value.code == "not_repeatable"


def test_buildings_of_another_project_are_refused(world, permit):
    elsewhere = Building.objects.create(project=world.other_project, name="9号楼", floors_above=6)
    with pytest.raises(ValidationError) as caught:
        workflow.add_instance(access(world, "developer"), permit, buildings=[elsewhere.pk])
    assert "不属于本项目" in caught.value.message_dict["buildings"][0]
    assert not Disclosure.objects.filter(project=world.project).exclude(label="").exists()


def test_each_instance_has_its_own_versions_and_a_leaf_that_names_it(world, permit, buildings):
    developer = access(world, "developer")
    first = publish(world, permit, "哈预2026001")
    workflow.add_instance(developer, permit, label="第二批", buildings=[buildings[2].pk])
    second = publish(world, permit, "哈预2026002", instance=2)
    assert (first.number, second.number) == (1, 1)
    assert "instance" not in version_payload(first)  # a plain first instance: as before
    payload = version_payload(second)
    assert payload["instance"] == {"number": 2, "label": "第二批", "buildings": ["3号楼"]}
    assert bytes(LogEntry.objects.get(index=second.leaf_index).entry) == canonical_json(payload)


def test_a_correction_and_a_withdrawal_touch_only_their_instance(world, permit):
    developer = access(world, "developer")
    publish(world, permit, "哈预2026001")
    workflow.add_instance(developer, permit, label="第二批")
    publish(world, permit, "哈预2026002", instance=2)
    correction = workflow.open_version(developer, permit, reason="证号录入错误", instance=2)
    assert correction.values == {"certificate_number": "哈预2026002"}
    withdrawal = workflow.withdraw(developer, permit, "许可证已注销", instance=2)
    assert withdrawal.disclosure.instance == 2
    assert workflow.current_version(world.project, permit, 1).kind == "publication"


def test_an_instance_nobody_added_is_not_found(world, permit):
    with pytest.raises(Http404):
        workflow.open_version(access(world, "developer"), permit, instance=5)


def test_the_item_is_complete_when_the_required_instances_are_public(world, permit):
    developer = access(world, "developer")
    workflow.set_required(developer, permit, 3)
    publish(world, permit, "哈预2026001")
    workflow.add_instance(developer, permit, label="第二批")
    publish(world, permit, "哈预2026002", instance=2)
    entry = project_checklist(world.project).entry(permit.code)
    assert entry.required_instances == 3
    assert [i.state for i in entry.instances] == [EntryState.PUBLISHED] * 2
    assert entry.state == EntryState.MISSING and entry.is_missing_required
    first = Disclosure.objects.get(project=world.project, item=permit, instance=1)
    assert not first.completes_item
    workflow.add_instance(developer, permit, label="第三批")
    publish(world, permit, "哈预2026003", instance=3)
    entry = project_checklist(world.project).entry(permit.code)
    assert entry.state == EntryState.PUBLISHED
    first.refresh_from_db()
    assert first.completes_item
    workflow.withdraw(developer, permit, "许可证已注销", instance=3)
    first.refresh_from_db()
    assert not first.completes_item
    assert project_checklist(world.project).entry(permit.code).state == EntryState.MISSING


def test_the_required_number_is_checked(world, permit):
    with pytest.raises(ValidationError) as caught:
        workflow.set_required(access(world, "developer"), permit, 0)
    assert caught.value.message_dict["required"] == ["应公示份数须在 1 到 200 之间。"]


def test_a_published_instance_keeps_its_label_and_buildings(world, permit, buildings):
    developer = access(world, "developer")
    workflow.add_instance(developer, permit, label="第一批", buildings=[buildings[0].pk])
    publish(world, permit, "哈预2026001")
    first = Disclosure.objects.get(project=world.project, item=permit, instance=1)
    with pytest.raises(ValidationError) as caught:
        workflow.update_instance(developer, first, label="第一批（改）")
    assert caught.value.code == "instance_published"


def test_labels_are_unique_within_an_item(world, permit):
    developer = access(world, "developer")
    publish(world, permit, "哈预2026001")
    workflow.add_instance(developer, permit, label="第二批")
    with pytest.raises(ValidationError) as caught:
        workflow.add_instance(developer, permit, label="第二批")
    assert "已有名称为“第二批”的一份" in caught.value.message_dict["label"][0]
