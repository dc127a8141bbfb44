"""The developer declares the project's buildings through the API — one by one or from the
Excel template, all or nothing — under the same rules as the workspace's buildings page."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from gongshi.catalogue.models import Category
from gongshi.catalogue.tests.factories import make_item, publish
from gongshi.core.testing import assert_matrix
from gongshi.disclosures.models import Disclosure
from gongshi.integrity.models import AuditEvent
from gongshi.projects.models import Building
from gongshi.workspace import buildings as rules

pytestmark = pytest.mark.usefixtures("frozen_now")

NOT_LINKED = {
    "anonymous": 401,
    "outsider": 404,
    "other_regulator": 404,
    "regulator": 404,
    "admin": 404,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def api(world, role="developer") -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


def url(world, name="buildings", *args) -> str:
    return reverse(f"api:workspace-{name}", args=[world.project.code, *args])


def sheet(rows: list[list]) -> SimpleUploadedFile:
    """The project's own template, filled in from row 2."""
    book = load_workbook(io.BytesIO(rules.template()))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("楼栋.xlsx", out.getvalue(), content_type=XLSX)


def building(world, name="1号楼", **values) -> Building:
    data = {"name": name, "units": 2, "floors_above": 18, **values}
    response = api(world).post(url(world), data, format="json")
    assert response.status_code == 201, response.json()
    return Building.objects.get(pk=response.json()["id"])


def test_the_developer_declares_changes_and_removes_a_building(world):
    one = building(world, "1号楼", floors_below=2, floor_area="8650.50", household_count=72)
    building(world, "2号楼")
    listing = api(world).get(url(world)).json()
    assert [(b["name"], b["floors_below"], b["published"]) for b in listing] == [
        ("1号楼", 2, False),
        ("2号楼", 0, False),
    ]
    assert listing[0]["floor_area"] == "8650.50"
    changed = api(world).patch(url(world, "building", one.pk), {"floors_above": 26}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["floors_above"], changed.json()["household_count"]) == (26, 72)
    world.project.refresh_from_db()
    assert world.project.building_count == 2  # follows the buildings declared
    assert api(world).delete(url(world, "building", one.pk)).status_code == 204
    assert list(world.project.buildings.values_list("name", flat=True)) == ["2号楼"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"project.building_saved", "project.building_removed"} <= actions


def test_a_building_that_does_not_fit_is_refused_field_by_field(world):
    building(world, "1号楼")
    client = api(world)
    twice = client.post(url(world), {"name": "1号楼", "units": 1, "floors_above": 6})
    assert twice.status_code == 400
    assert twice.json()["error"]["fields"]["name"] == ["本项目已有楼栋“1号楼”，请换一个楼栋号。"]
    empty = client.post(url(world), {"name": "3号楼", "units": 1}, format="json")
    assert empty.status_code == 400
    assert empty.json()["error"]["fields"]["floors_above"] == ["地上层数不能为空"]


def test_a_building_named_in_a_published_instance_keeps_its_name(world):
    one = building(world, "1号楼")
    permit = make_item(
        code="t.presale", title="商品房预售许可证", category=Category.PROCEDURE,
        repeatable=True, covers_buildings=True,
    )  # fmt: skip
    disclosure = Disclosure.objects.create(project=world.project, item=permit, label="第一批")
    disclosure.buildings.set([one])
    publish(world.project, permit, world.users["developer"], values={"note": "哈预1"})
    client = api(world)
    assert client.get(url(world)).json()[0]["published"] is True
    renamed = client.patch(url(world, "building", one.pk), {"name": "A座"}, format="json")
    assert renamed.status_code == 400
    assert renamed.json()["error"]["code"] == "building_published"
    removed = client.delete(url(world, "building", one.pk))
    assert removed.status_code == 400
    assert removed.json()["error"]["message"] == "“1号楼”已在公示中引用，不能删除。"
    # Its other facts may still be corrected.
    fixed = client.patch(url(world, "building", one.pk), {"units": 3}, format="json")
    assert fixed.status_code == 200 and fixed.json()["units"] == 3


def test_the_excel_import_adds_and_updates_all_or_nothing(world):
    building(world, "1号楼", floors_above=11)
    client = api(world)
    good = client.post(
        url(world, "buildings-import"),
        {"file": sheet([["1号楼", 2, 18, 1, 9800, 96], ["2号楼", 3, 26, 2, None, None]])},
        format="multipart",
    )
    assert good.status_code == 200, good.json()
    assert (good.json()["added"], good.json()["updated"]) == (1, 1)
    assert [(b["name"], b["floors_above"]) for b in good.json()["buildings"]] == [
        ("1号楼", 18),
        ("2号楼", 26),
    ]
    bad = client.post(
        url(world, "buildings-import"),
        {"file": sheet([["3号楼", 2, 18], ["4号楼", 2, None]])},
        format="multipart",
    )
    assert bad.status_code == 400
    assert "第 3 行" in bad.json()["error"]["message"]
    assert "地上层数" in bad.json()["error"]["message"]
    assert not Building.objects.filter(name__in=["3号楼", "4号楼"]).exists()
    none = client.post(url(world, "buildings-import"), {}, format="multipart")
    assert none.status_code == 400 and none.json()["error"]["code"] == "no_file"


def test_who_may_read_and_declare_buildings(world):
    assert_matrix(world, "get", url(world), {**NOT_LINKED, "unit": 200, "developer": 200})
    assert_matrix(
        world, "post", url(world), {**NOT_LINKED, "unit": 403, "developer": 201},
        data=json.dumps({"name": "9号楼", "units": 1, "floors_above": 6}),
        content_type="application/json",
    )  # fmt: skip
    one = world.project.buildings.get(name="9号楼")
    assert_matrix(
        world, "get", url(world, "building", one.pk), {**NOT_LINKED, "unit": 200, "developer": 200}
    )
    assert_matrix(
        world, "patch", url(world, "building", one.pk), {**NOT_LINKED, "unit": 403, "developer": 200},
        data=json.dumps({"units": 2}), content_type="application/json",
    )  # fmt: skip
    assert_matrix(
        world, "post", url(world, "buildings-import"), {**NOT_LINKED, "unit": 403, "developer": 400},
        data={},
    )  # fmt: skip
    assert_matrix(
        world, "delete", url(world, "building", one.pk),
        {**NOT_LINKED, "unit": 403, "developer": 204},
    )  # fmt: skip


def test_a_building_of_another_project_is_not_found(world):
    other = Building.objects.create(project=world.other_project, name="外楼", floors_above=3)
    assert api(world).get(url(world, "building", other.pk)).status_code == 404
    assert api(world).delete(url(world, "building", other.pk)).status_code == 404
    assert Building.objects.filter(pk=other.pk).exists()
