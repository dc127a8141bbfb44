"""How many instances a project needs follows what it declares: a project sold in three batches
needs three pre-sale permits, one of six buildings six completion acceptances — unless the
developer declares the number; the pages and the API say why ("每个销售批次一份，共3个批次")."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gongshi.catalogue.models import CatalogueItem, DueStage
from gongshi.catalogue.tests.factories import SIMPLE_FIELDS, only_items, publish
from gongshi.core.testing import assert_matrix
from gongshi.disclosures import tallies
from gongshi.disclosures.checklist import project_checklist
from gongshi.disclosures.models import Disclosure
from gongshi.disclosures.workflow import ProjectAccess, add_instance, set_required
from gongshi.integrity.models import AuditEvent
from gongshi.projects.models import Building
from gongshi.workspace import buildings as rules

pytestmark = pytest.mark.usefixtures("frozen_now")


def _simplified(code: str, **extra) -> CatalogueItem:
    """The built-in item, with one text field and due now, so a test can publish it."""
    item = CatalogueItem.objects.get(code=code)
    for name, value in {
        "fields": SIMPLE_FIELDS, "scan_required": False, "scans": [],
        "due_stage": DueStage.BEFORE_START, "repeatable": True, "covers_buildings": True,
        **extra,
    }.items():  # fmt: skip
        setattr(item, name, value)
    item.save()
    return item


@pytest.fixture
def presale(world):
    return _simplified("procedure.presale_permit")


@pytest.fixture
def completion(world):
    return _simplified("acceptance.unit_completion")


@pytest.fixture
def access(world):
    return ProjectAccess.for_user(world.project, world.users["developer"])


def declare(access, name: str, batch: int | None) -> Building:
    data = {"name": name, "units": 2, "floors_above": 18, "sales_batch": batch}
    return rules.save_building(access, data)


def six_buildings_in_three_batches(access) -> list[Building]:
    return [declare(access, f"{n}号楼", (n + 1) // 2) for n in range(1, 7)]


def entry(world, item):
    return project_checklist(world.project).entry(item.code)


def api(world) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users["developer"])
    return client


def test_three_sales_batches_need_three_pre_sale_permits(world, presale, completion, access):
    only_items(presale, completion)
    six_buildings_in_three_batches(access)
    permits = entry(world, presale)
    assert (permits.required_instances, permits.required_reason) == (
        3,
        "每个销售批次一份，共3个批次",
    )
    acceptances = entry(world, completion)
    assert (acceptances.required_instances, acceptances.required_reason) == (6, "每栋楼一份，共6栋")


def test_the_developers_own_number_wins_and_stays(world, presale, access):
    only_items(presale)
    six_buildings_in_three_batches(access)
    set_required(access, presale, 2)
    declare(access, "7号楼", 4)
    permits = entry(world, presale)
    assert (permits.required_instances, permits.required_reason) == (2, None)
    listing = (
        api(world)
        .get(reverse("api:workspace-instances", args=[world.project.code, presale.code]))
        .json()
    )
    assert (listing["required_instances"], listing["required_declared"]) == (2, True)


def test_without_batches_or_buildings_the_item_needs_one(world, presale, completion, access):
    only_items(presale, completion)
    assert entry(world, presale).required_instances == 1
    declare(access, "1号楼", None)
    assert (entry(world, presale).required_instances, entry(world, presale).required_reason) == (
        1, None,
    )  # fmt: skip
    # Completion acceptance counts buildings only while the catalogue ties it to buildings.
    assert entry(world, completion).required_instances == 1
    completion.covers_buildings = False
    completion.save()
    declare(access, "2号楼", None)
    assert entry(world, completion).required_instances == 1


def test_a_new_batch_makes_a_complete_item_incomplete_again(world, presale, access):
    only_items(presale)
    one, two = declare(access, "1号楼", 1), declare(access, "2号楼", 2)
    add_instance(access, presale, label="第一批", buildings=[one.pk])
    add_instance(access, presale, label="第二批", buildings=[two.pk])
    publish(world.project, presale, world.users["developer"], instance=1)
    publish(world.project, presale, world.users["developer"], instance=2)
    first = Disclosure.objects.filter(project=world.project, item=presale, instance=1)
    assert first.get().completes_item is True
    assert entry(world, presale).state == "published"
    declare(access, "3号楼", 3)
    assert first.get().completes_item is False
    permits = entry(world, presale)
    assert (permits.state, permits.required_reason) == ("missing", "每个销售批次一份，共3个批次")
    # The recount agrees with what the buildings changed.
    assert tallies.differences() == []
    rules.remove_building(access, Building.objects.get(name="3号楼"))
    assert first.get().completes_item is True


def test_the_pages_and_the_api_say_why(world, presale, access, client):
    only_items(presale)
    six_buildings_in_three_batches(access)
    client.force_login(world.users["developer"])
    page = client.get(reverse("workspace:item", args=[world.project.code, presale.code]))
    assert "每个销售批次一份，共3个批次" in page.content.decode()
    body = api(world).get(reverse("api:workspace-checklist", args=[world.project.code])).json()
    permits = next(e for e in body["entries"] if e["item"] == presale.code)
    assert (permits["required_instances"], permits["required_reason"]) == (
        3, "每个销售批次一份，共3个批次",
    )  # fmt: skip
    public = APIClient().get(f"/api/v1/projects/{world.project.code}/").json()
    item = next(i for c in public["categories"] for i in c["items"] if i["code"] == presale.code)
    assert (item["required_instances"], item["required_reason"]) == (
        3,
        "每个销售批次一份，共3个批次",
    )


def test_the_public_page_says_why(world, presale, access, client):
    only_items(presale)
    buildings = six_buildings_in_three_batches(access)
    add_instance(access, presale, label="第一批", buildings=[b.pk for b in buildings[:2]])
    publish(world.project, presale, world.users["developer"], instance=1)
    page = client.get(reverse("public:project", args=[world.project.code])).content.decode()
    assert "已公示 1 份，应公示 3 份" in page and "每个销售批次一份，共3个批次" in page


def test_a_sales_batch_is_declared_by_form_api_and_sheet_and_checked(world, access):
    response = api(world).post(
        reverse("api:workspace-buildings", args=[world.project.code]),
        {"name": "1号楼", "units": 2, "floors_above": 18, "sales_batch": 2},
        format="json",
    )
    assert response.status_code == 201 and response.json()["sales_batch"] == 2
    bad = api(world).post(
        reverse("api:workspace-buildings", args=[world.project.code]),
        {"name": "2号楼", "units": 2, "floors_above": 18, "sales_batch": 0},
        format="json",
    )
    assert bad.status_code == 400
    assert "销售批次" in bad.json()["error"]["fields"]["sales_batch"][0]
    assert not Building.objects.filter(name="2号楼").exists()


def test_the_developer_follows_the_plan_again_on_the_page(world, presale, access, client):
    only_items(presale)
    six_buildings_in_three_batches(access)
    set_required(access, presale, 2)
    client.force_login(world.users["developer"])
    item_page = reverse("workspace:item", args=[world.project.code, presale.code])
    page = client.get(item_page).content.decode()
    assert "份数由您填报；按销售批次或楼栋计算应为 3 份（每个销售批次一份，共3个批次）" in page
    assert 'name="follow_plan"' in page
    response = client.post(
        reverse("workspace:instances_required", args=[world.project.code, presale.code]),
        {"follow_plan": "1"},
        follow=True,
    )
    body = response.content.decode()
    assert "应公示份数已恢复按销售批次或楼栋计算。" in body
    assert 'name="follow_plan"' not in body  # nothing declared any more
    permits = entry(world, presale)
    assert (permits.required_instances, permits.required_reason) == (
        3,
        "每个销售批次一份，共3个批次",
    )
    # It follows the buildings again: a fourth batch needs a fourth permit.
    declare(access, "7号楼", 4)
    assert entry(world, presale).required_instances == 4
    event = AuditEvent.objects.filter(action="disclosure.instances_required").latest("pk")
    assert event.details == {
        "project": world.project.code, "item": presale.code, "required": 3, "follows_plan": True,
    }  # fmt: skip


def test_the_api_follows_the_plan_again_and_says_who_may(world, presale, access):
    only_items(presale)
    six_buildings_in_three_batches(access)
    address = reverse("api:workspace-instances-required", args=[world.project.code, presale.code])
    assert (
        api(world).post(address, {"required": 5}, format="json").json()["required_instances"] == 5
    )
    response = api(world).delete(address)
    assert response.status_code == 200
    body = response.json()
    assert (body["required_instances"], body["required_declared"], body["required_reason"]) == (
        3, False, "每个销售批次一份，共3个批次",
    )  # fmt: skip
    assert_matrix(
        world, "delete", address,
        {"anonymous": 401, "outsider": 404, "unit": 404, "developer": 200,
         "other_regulator": 404, "regulator": 404, "admin": 404},
    )  # fmt: skip
    schema = APIClient().get("/api/schema/").content.decode()
    assert "workspace_item_instances_required_follow_plan" in schema


def test_an_item_not_counted_by_batch_or_building_cannot_follow_them(world, access):
    permits = _simplified("procedure.construction_permit")
    only_items(permits)
    address = reverse("api:workspace-instances-required", args=[world.project.code, permits.code])
    response = api(world).delete(address)
    assert response.status_code == 400
    assert "请填报份数" in response.json()["error"]["fields"]["required"][0]
