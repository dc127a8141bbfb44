"""The developer works on every instance of a repeatable item through the API (第 n 份): adds
the second batch's pre-sale permit with its buildings, drafts and publishes it, renames it
until it is published, withdraws it — with the same log leaves, audit records and public
page stamps as the workspace pages."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gongshi.catalogue.models import Category
from gongshi.catalogue.tests.factories import make_item, only_items
from gongshi.core.testing import assert_matrix
from gongshi.disclosures.models import Disclosure, DisclosureVersion, VersionKind
from gongshi.integrity.models import AuditEvent, LogEntry
from gongshi.projects.models import Building
from gongshi.public.models import PageStamp
from gongshi.workspace.testing import household_item, household_rows

pytestmark = pytest.mark.usefixtures("frozen_now")

PERMIT = [{"key": "certificate_number", "label": "证书编号", "label_en": "Number",
           "type": "text", "required": True}]  # fmt: skip
NOT_LINKED = {
    "anonymous": 401,
    "outsider": 404,
    "other_regulator": 404,
    "regulator": 404,
    "admin": 404,
}


@pytest.fixture
def presale(world):
    """The developer's repeatable pre-sale permit, one per sales batch, naming its buildings."""
    item = make_item(
        code="t.presale", title="商品房预售许可证", title_en="Pre-sale permit",
        category=Category.PROCEDURE, fields=PERMIT, repeatable=True, covers_buildings=True,
    )  # fmt: skip
    return item


@pytest.fixture
def acceptance(world, presale):
    """A contractor's repeatable item (one household acceptance per building)."""
    item = household_item(repeatable=True, covers_buildings=True)
    only_items(presale, item)
    return item


@pytest.fixture
def buildings(world):
    return [
        Building.objects.create(project=world.project, name=f"{i}号楼", position=i, floors_above=18)
        for i in range(1, 4)
    ]


def api(world, role="developer") -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


def url(world, name, *args) -> str:
    return reverse(f"api:workspace-{name}", args=[world.project.code, *args])


def add(world, item, label, buildings=()):
    response = api(world).post(
        url(world, "instances", item.code),
        {"label": label, "buildings": [b.pk for b in buildings]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _yesterday() -> str:
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


def publish(world, item, number, values, **extra):
    client = api(world)
    created = client.post(
        url(world, "instance-versions", item.code, number),
        {"values": values, "information_date": _yesterday(), **extra},
        format="json",
    )
    assert created.status_code == 201, created.json()
    approved = client.post(url(world, "version-approve", created.json()["id"]), format="json")
    assert approved.status_code == 200, approved.json()
    return approved.json()


def test_the_developer_adds_drafts_and_publishes_a_second_permit(world, presale, buildings):
    first = add(world, presale, "第一批", buildings[:2])
    second = add(world, presale, "第二批", buildings[2:])
    assert (first["number"], second["number"]) == (1, 2)
    assert second["buildings"] == [{"id": buildings[2].pk, "name": "3号楼"}]
    assert second["state"] == "empty" and second["frozen"] is False
    version = publish(world, presale, 2, {"certificate_number": "哈预2025002"})
    assert (version["instance"], version["number"], version["status"]) == (2, 1, "published")
    # The leaf names the instance and its buildings, as when published from the page.
    leaf = json.loads(LogEntry.objects.get(index=version_leaf(version)).entry_text)
    assert leaf["instance"] == {"number": 2, "label": "第二批", "buildings": ["3号楼"]}
    listing = api(world).get(url(world, "instances", presale.code)).json()
    assert [(i["number"], i["title"], i["state"]) for i in listing["instances"]] == [
        (1, "第一批", "empty"),
        (2, "第二批", "published"),
    ]
    assert listing["instances"][1]["current_version"] == version["id"]
    public = api(world).get(f"/api/v1/projects/{world.project.code}/").json()
    permit = next(i for c in public["categories"] for i in c["items"] if i["code"] == "t.presale")
    assert [i["label"] for i in permit["instances"]] == ["第二批"]


def version_leaf(version: dict) -> int:
    return DisclosureVersion.objects.get(pk=version["id"]).leaf_index


def test_adding_an_instance_is_audited_and_changes_the_public_page(world, presale, buildings):
    stamp = PageStamp.objects.filter(project=world.project).values_list("revision", flat=True)
    before = stamp.first() or 0
    add(world, presale, "第一批", buildings[:1])
    add(world, presale, "第二批", buildings[1:])
    assert stamp.first() > before
    actions = AuditEvent.objects.filter(action="disclosure.instance_added")
    assert actions.count() == 2


def test_the_old_versions_path_is_the_first_instance(world, presale):
    add(world, presale, "第一批")
    add(world, presale, "第二批")
    response = api(world).post(
        url(world, "versions", presale.code), {"values": {"certificate_number": "A"}}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["instance"] == 1
    assert Disclosure.objects.get(pk=_disclosure_of(response)).label == "第一批"


def _disclosure_of(response) -> int:
    return DisclosureVersion.objects.get(pk=response.json()["id"]).disclosure_id


def test_an_instance_is_renamed_until_it_is_published(world, presale, buildings):
    add(world, presale, "第一批")
    add(world, presale, "第二批", buildings[:1])
    client = api(world)
    renamed = client.patch(
        url(world, "instance", presale.code, 2),
        {"label": "第二批（2号楼、3号楼）", "buildings": [buildings[1].pk, buildings[2].pk]},
        format="json",
    )
    assert renamed.status_code == 200
    assert renamed.json()["label"] == "第二批（2号楼、3号楼）"
    assert [b["name"] for b in renamed.json()["buildings"]] == ["2号楼", "3号楼"]
    publish(world, presale, 2, {"certificate_number": "哈预2025002"})
    refused = client.patch(
        url(world, "instance", presale.code, 2), {"label": "改名"}, format="json"
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "instance_published"
    assert "请撤回此份后新增一份" in error["message"]


def test_a_label_or_building_that_does_not_fit_is_refused_in_chinese(world, presale, buildings):
    add(world, presale, "第一批")
    other = Building.objects.create(project=world.other_project, name="外楼", floors_above=3)
    client = api(world)
    clash = client.post(url(world, "instances", presale.code), {"label": "第一批"}, format="json")
    assert clash.status_code == 400
    assert clash.json()["error"]["fields"]["label"] == ["已有名称为“第一批”的一份，请换一个名称。"]
    foreign = client.post(
        url(world, "instances", presale.code),
        {"label": "第二批", "buildings": [other.pk]},
        format="json",
    )
    assert foreign.status_code == 400
    assert "不属于本项目" in foreign.json()["error"]["fields"]["buildings"][0]


def test_an_item_disclosed_once_has_no_second_instance(world, presale):
    once = make_item(code="t.once", title="建设工程规划许可证")
    response = api(world).post(url(world, "instances", once.code), {"label": "再一份"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_repeatable"
    assert api(world).get(url(world, "instance", once.code, 2)).status_code == 404
    first = api(world).get(url(world, "instance", once.code, 1)).json()
    assert (first["number"], first["state"], first["buildings"]) == (1, "empty", [])


def test_withdrawing_one_instance_leaves_the_others_public(world, presale, buildings):
    add(world, presale, "第一批", buildings[:1])
    add(world, presale, "第二批", buildings[1:])
    publish(world, presale, 1, {"certificate_number": "哈预2025001"})
    publish(world, presale, 2, {"certificate_number": "哈预2025002"})
    response = api(world).post(
        url(world, "instance-withdraw", presale.code, 2), {"reason": "许可证号有误，撤回核实"}
    )
    assert response.status_code == 201
    assert (response.json()["instance"], response.json()["kind"]) == (2, VersionKind.WITHDRAWAL)
    states = [i["state"] for i in api(world).get(url(world, "instances", presale.code)).json()[
        "instances"
    ]]  # fmt: skip
    assert states == ["published", "withdrawn"]
    missing = api(world).post(url(world, "instance-withdraw", presale.code, 9), {"reason": "x"})
    assert missing.status_code == 404


def test_the_required_number_is_declared(world, presale):
    response = api(world).post(url(world, "instances-required", presale.code), {"required": 3})
    assert response.status_code == 200 and response.json()["required_instances"] == 3
    bad = api(world).post(url(world, "instances-required", presale.code), {"required": 0})
    assert bad.status_code == 400 and "1 到 200" in bad.json()["error"]["message"]


def test_a_unit_drafts_its_own_instance_but_does_not_add_one(world, acceptance, buildings):
    add(world, acceptance, "1号楼分户验收", buildings[:1])
    add(world, acceptance, "2号楼分户验收", buildings[1:2])
    unit = api(world, "unit")
    listing = unit.get(url(world, "instances", acceptance.code)).json()
    assert [i["title"] for i in listing["instances"]] == ["1号楼分户验收", "2号楼分户验收"]
    drafted = unit.post(
        url(world, "instance-versions", acceptance.code, 2),
        {"values": {"households": household_rows(2)}},
        format="json",
    )
    assert drafted.status_code == 201 and drafted.json()["instance"] == 2
    refused = unit.post(url(world, "instances", acceptance.code), {"label": "3号楼"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "developer_only"


# --- who may do what -------------------------------------------------------------------


def test_who_may_list_and_add_instances(world, acceptance, presale):
    listing = url(world, "instances", acceptance.code)
    assert_matrix(world, "get", listing, {**NOT_LINKED, "unit": 200, "developer": 200})
    # A unit does not see the developer's own items at all.
    assert_matrix(
        world, "get", url(world, "instances", presale.code),
        {**NOT_LINKED, "unit": 404, "developer": 200},
    )  # fmt: skip
    assert_matrix(
        world, "post", listing, {**NOT_LINKED, "unit": 403, "developer": 201},
        data=json.dumps({"label": "新一份"}), content_type="application/json",
    )  # fmt: skip


def test_who_may_read_rename_and_withdraw_an_instance(world, acceptance, presale):
    add(world, acceptance, "第一份")
    add(world, acceptance, "第二份")
    one = url(world, "instance", acceptance.code, 2)
    assert_matrix(world, "get", one, {**NOT_LINKED, "unit": 200, "developer": 200})
    assert_matrix(
        world, "patch", one, {**NOT_LINKED, "unit": 403, "developer": 200},
        data=json.dumps({"label": "第二份（改）"}), content_type="application/json",
    )  # fmt: skip
    add(world, presale, "第一批")
    publish(world, presale, 1, {"certificate_number": "哈预1"})
    assert_matrix(
        world, "post", url(world, "instance-withdraw", presale.code, 1),
        {**NOT_LINKED, "unit": 404, "developer": 201},
        data=json.dumps({"reason": "撤回核实"}), content_type="application/json",
    )  # fmt: skip
    assert_matrix(
        world, "post", url(world, "instances-required", presale.code),
        {**NOT_LINKED, "unit": 404, "developer": 200},
        data=json.dumps({"required": 2}), content_type="application/json",
    )  # fmt: skip


def test_who_may_draft_a_version_of_an_instance(world, presale):
    add(world, presale, "第一批")
    add(world, presale, "第二批")
    assert_matrix(
        world, "post", url(world, "instance-versions", presale.code, 2),
        {**NOT_LINKED, "unit": 404, "developer": 201},
        data=json.dumps({"values": {"certificate_number": "哈预2"}}),
        content_type="application/json",
    )  # fmt: skip


# --- the checklist reports every instance ------------------------------------------------


def _checklist_entry(world, item, role="developer") -> dict:
    body = api(world, role).get(url(world, "checklist")).json()
    return next(e for e in body["entries"] if e["item"] == item.code)


def test_the_checklist_lists_every_instance_and_the_required_number(world, presale, buildings):
    api(world).post(url(world, "instances-required", presale.code), {"required": 2})
    add(world, presale, "第一批", buildings[:2])
    add(world, presale, "第二批", buildings[2:])
    publish(world, presale, 1, {"certificate_number": "哈预2025001"})
    entry = _checklist_entry(world, presale)
    assert (entry["repeatable"], entry["required_instances"], entry["public_instances"]) == (
        True, 2, 1,
    )  # fmt: skip
    assert [(i["number"], i["title"], i["buildings"], i["state"]) for i in entry["instances"]] == [
        (1, "第一批", ["1号楼", "2号楼"], "published"),
        (2, "第二批", ["3号楼"], "missing"),
    ]
    # One permit of the two required: the item is not yet complete.
    assert entry["state"] == "missing"
    second = publish(world, presale, 2, {"certificate_number": "哈预2025002"})
    entry = _checklist_entry(world, presale)
    assert entry["state"] == "published" and entry["public_instances"] == 2
    assert entry["instances"][1]["current_version"] == second["id"]
    assert entry["instances"][1]["public"] is True


def test_a_withdrawn_instance_no_longer_completes_the_item(world, presale, buildings):
    api(world).post(url(world, "instances-required", presale.code), {"required": 2})
    add(world, presale, "第一批", buildings[:1])
    add(world, presale, "第二批", buildings[1:])
    publish(world, presale, 1, {"certificate_number": "哈预2025001"})
    publish(world, presale, 2, {"certificate_number": "哈预2025002"})
    api(world).post(url(world, "instance-withdraw", presale.code, 2), {"reason": "许可证号有误"})
    entry = _checklist_entry(world, presale)
    assert [i["state"] for i in entry["instances"]] == ["published", "withdrawn"]
    assert entry["public_instances"] == 1 and entry["state"] == "missing"
    assert Disclosure.objects.get(
        project=world.project, item=presale, instance=1
    ).completes_item is (False)


def test_the_checklists_drafts_show_on_their_own_instance(world, presale, buildings):
    add(world, presale, "第一批", buildings[:1])
    add(world, presale, "第二批", buildings[1:])
    created = api(world).post(
        url(world, "instance-versions", presale.code, 2),
        {"values": {"certificate_number": "哈预2"}},
        format="json",
    )
    entry = _checklist_entry(world, presale)
    assert entry["instances"][1]["pending_version"] == created.json()["id"]
    assert entry["instances"][1]["state"] == "draft" and entry["pending_version"] is None


def test_the_checklist_costs_the_same_queries_whatever_the_instances(world, presale, buildings):
    add(world, presale, "第一批", buildings[:1])
    publish(world, presale, 1, {"certificate_number": "哈预1"})
    client = api(world)
    with CaptureQueriesContext(connection) as few:
        client.get(url(world, "checklist"))
    for n in range(2, 6):
        add(world, presale, f"第{n}批", buildings[:1])
        publish(world, presale, n, {"certificate_number": f"哈预{n}"})
    with CaptureQueriesContext(connection) as many:
        entry = client.get(url(world, "checklist")).json()
    assert len(next(e for e in entry["entries"] if e["item"] == presale.code)["instances"]) == 5
    assert len(many) == len(few)
