import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gongshi.core.testing import assert_matrix
from gongshi.disclosures.models import DisclosureVersion, VersionFile, VersionKind, VersionStatus
from gongshi.files.models import StoredFile
from gongshi.files.testing import make_pdf_bytes, uploaded
from gongshi.workspace.testing import household_rows

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

NOT_LINKED = {
    "anonymous": 401,
    "outsider": 404,
    "other_regulator": 404,
    "regulator": 404,
    "admin": 404,
}


def _client(world, role) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


def _versions_url(world, item):
    return reverse("api:workspace-versions", args=[world.project.code, item.code])


def _url(world, name, version):
    return reverse(
        f"api:workspace-version-{name}" if name else "api:workspace-version",
        args=[world.project.code, version.pk],
    )


def _create(world, item, role="unit", rows=2):
    response = _client(world, role).post(
        _versions_url(world, item),
        {"values": {"households": household_rows(rows)}, "information_date": "2025-06-20"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return DisclosureVersion.objects.get(pk=response.json()["id"])


def test_it_creates_a_version_with_files_in_one_multipart_request(world, item):
    response = _client(world, "unit").post(
        _versions_url(world, item),
        {
            "values": json.dumps({"households": household_rows(2)}),
            "information_date": "2025-06-20",
            "files": [uploaded("验收.pdf", make_pdf_bytes())],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["lock_version"] == 1
    assert body["files"][0]["name"] == "验收.pdf" and len(body["files"][0]["sha256"]) == 64
    assert len(body["values"]["households"]) == 2


def test_a_bad_file_in_the_request_leaves_no_version_and_no_file(world, item):
    response = _client(world, "unit").post(
        _versions_url(world, item),
        {
            "values": json.dumps({"households": household_rows(1)}),
            "files": [uploaded("a.pdf", make_pdf_bytes()), uploaded("b.pdf", b"not a pdf")],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "file_type"
    assert not DisclosureVersion.objects.exists()
    assert not StoredFile.objects.exists() and not VersionFile.objects.exists()


def test_bad_values_are_reported_by_row_in_the_one_shape(world, item):
    rows = household_rows(2)
    rows[1]["result"] = "还行"
    response = _client(world, "unit").post(
        _versions_url(world, item), {"values": {"households": rows}}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_values"
    assert error["fields"]["households"] == ["第 2 行：验收结论只能选择：合格、不合格"]
    assert not DisclosureVersion.objects.exists()


def test_it_checks_who_may_create_a_version(world, item):
    assert_matrix(
        world,
        "post",
        _versions_url(world, item),
        {**NOT_LINKED, "unit": 201, "developer": 400},  # the unit's draft is open: one at a time
        data=json.dumps({"values": {"households": household_rows(1)}}),
        content_type="application/json",
    )


def test_saving_with_a_stale_lock_version_answers_409(world, item):
    version = _create(world, item)
    client = _client(world, "unit")
    url = _url(world, None, version)
    first = client.patch(
        url, {"lock_version": 1, "values": {"households": household_rows(3)}}, format="json"
    )
    assert first.status_code == 200 and first.json()["lock_version"] == 2
    second = client.patch(
        url, {"lock_version": 1, "values": {"households": household_rows(5)}}, format="json"
    )
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "stale_version"
    assert "已被他人修改" in second.json()["error"]["message"]
    version.refresh_from_db()
    assert len(version.values["households"]) == 3


def test_a_save_without_lock_version_is_refused(world, item):
    version = _create(world, item)
    response = _client(world, "unit").patch(
        _url(world, None, version), {"values": {}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["lock_version"] == [
        "页面缺少编辑版本号，请刷新页面后重试。"
    ]


def test_it_checks_who_may_read_and_save_a_version(world, item):
    version = _create(world, item)
    url = _url(world, None, version)
    assert_matrix(world, "get", url, {**NOT_LINKED, "unit": 200, "developer": 200})
    assert_matrix(
        world,
        "patch",
        url,
        {**NOT_LINKED, "unit": 200, "developer": 403},
        data=json.dumps({"lock_version": 1, "values": {"households": household_rows(1)}}),
        content_type="application/json",
    )


def test_submit_approve_and_send_back_through_the_api(world, item):
    version = _create(world, item)
    unit, developer = _client(world, "unit"), _client(world, "developer")
    assert (
        unit.post(_url(world, "submit", version), {}, format="json").json()["status"] == "submitted"
    )
    returned = developer.post(
        _url(world, "return", version), {"reason": "请补充面积"}, format="json"
    )
    assert returned.json()["status"] == "returned"
    assert unit.get(_url(world, None, version)).json()["return_reason"] == "请补充面积"
    unit.post(_url(world, "submit", version), {}, format="json")
    approved = developer.post(_url(world, "approve", version), {}, format="json")
    assert approved.status_code == 200
    assert approved.json()["status"] == "published" and approved.json()["number"] == 1


def test_it_checks_who_may_submit_approve_and_send_back(world, item):
    version = _create(world, item)
    assert_matrix(
        world, "post", _url(world, "submit", version), {**NOT_LINKED, "unit": 200, "developer": 403}
    )
    assert_matrix(
        world,
        "post",
        _url(world, "return", version),
        {**NOT_LINKED, "unit": 403, "developer": 200},
        data=json.dumps({"reason": "补充"}),
        content_type="application/json",
    )
    _client(world, "unit").post(_url(world, "submit", version), {}, format="json")
    assert_matrix(
        world,
        "post",
        _url(world, "approve", version),
        {**NOT_LINKED, "unit": 403, "developer": 200},
    )
    assert DisclosureVersion.objects.get().status == VersionStatus.PUBLISHED


def test_files_are_added_all_or_nothing(world, item):
    version = _create(world, item)
    url = _url(world, "files", version)
    client = _client(world, "unit")
    bad = client.post(
        url,
        {
            "files": [uploaded("a.pdf", make_pdf_bytes()), uploaded("b.png", b"nope")],
            "lock_version": 1,
        },
        format="multipart",
    )
    assert bad.status_code == 400
    assert not VersionFile.objects.exists()
    ok = client.post(
        url, {"files": [uploaded("a.pdf", make_pdf_bytes())], "lock_version": 1}, format="multipart"
    )
    assert ok.status_code == 200 and len(ok.json()["files"]) == 1


def test_it_checks_who_may_add_files(world, item):
    version = _create(world, item)
    url = _url(world, "files", version)
    for role, expected in {**NOT_LINKED, "unit": 200, "developer": 403}.items():
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(world.users[role])
        response = client.post(
            url, {"files": [uploaded("a.pdf", make_pdf_bytes())]}, format="multipart"
        )
        assert response.status_code == expected, (role, response.content)


def test_a_correction_through_the_api_needs_a_reason_and_withdrawal_is_recorded(world, item):
    version = _create(world, item)
    unit, developer = _client(world, "unit"), _client(world, "developer")
    unit.post(_url(world, "submit", version), {}, format="json")
    developer.post(_url(world, "approve", version), {}, format="json")
    no_reason = unit.post(
        _versions_url(world, item), {"values": {"households": household_rows(1)}}, format="json"
    )
    assert no_reason.status_code == 400
    assert no_reason.json()["error"]["code"] == "reason_required"
    correction = unit.post(
        _versions_url(world, item),
        {"reason": "删去重复行", "values": {"households": household_rows(1)}},
        format="json",
    )
    assert correction.status_code == 201 and correction.json()["kind"] == VersionKind.CORRECTION
    withdraw_url = reverse("api:workspace-withdraw", args=[world.project.code, item.code])
    assert (
        unit.post(withdraw_url, {"reason": "x"}, format="json").json()["error"]["code"]
        == "developer_only"
    )
    withdrawn = developer.post(withdraw_url, {"reason": "结论待复核"}, format="json")
    assert withdrawn.status_code == 201 and withdrawn.json()["kind"] == "withdrawal"


def test_it_checks_who_may_withdraw(world, item):
    version = _create(world, item)
    _client(world, "unit").post(_url(world, "submit", version), {}, format="json")
    _client(world, "developer").post(_url(world, "approve", version), {}, format="json")
    assert_matrix(
        world,
        "post",
        reverse("api:workspace-withdraw", args=[world.project.code, item.code]),
        {**NOT_LINKED, "unit": 403, "developer": 201},
        data=json.dumps({"reason": "结论待复核"}),
        content_type="application/json",
    )


def test_the_checklist_shows_the_units_items_with_state(world, item):
    url = reverse("api:workspace-checklist", args=[world.project.code])
    assert_matrix(world, "get", url, {**NOT_LINKED, "unit": 200, "developer": 200})
    _create(world, item)
    body = _client(world, "unit").get(url).json()
    assert body["entries"][0]["item"] == item.code
    assert body["entries"][0]["state"] == "draft"
    assert body["completeness"] == 0.0


def test_the_schema_documents_the_workspace_endpoints(world):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    assert "/api/v1/workspace/projects/{code}/versions/{id}/" in paths
    patch = paths["/api/v1/workspace/projects/{code}/versions/{id}/"]["patch"]
    assert "409" in patch["responses"]
    assert (
        "multipart/form-data"
        in paths["/api/v1/workspace/projects/{code}/items/{item_code}/versions/"]["post"][
            "requestBody"
        ]["content"]
    )


def test_errors_are_in_english_when_english_is_chosen(world, item):
    version = _create(world, item)
    client = _client(world, "unit")
    url = _url(world, None, version)
    client.patch(url, {"lock_version": 1, "values": {}}, format="json")
    stale = client.patch(url, {"lock_version": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert stale.status_code == 409
    assert stale.json()["error"]["message"].startswith("Someone else changed this draft")


def test_the_browser_and_the_api_refuse_the_same_personal_data_the_same_way(world, item):
    from gongshi.workspace.tests.helpers import item_form

    rows = household_rows(2)
    rows[1]["rectification"] = "联系业主 13812345678"
    item.supplier = "developer"
    item.save()
    browser = world.client("developer").post(
        reverse("workspace:item", args=[world.project.code, item.code]),
        item_form(rows, action="publish"),
    )
    draft = DisclosureVersion.objects.get()
    api = _client(world, "developer").post(_url(world, "approve", draft), {}, format="json")
    expected = (
        "「分户验收汇总表」第 2 行的“整改情况”含有个人手机号码，个人信息不得公示，"
        "请删除或改为单位电话后再公示。"
    )
    assert expected in browser.content.decode()
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "personal_data"
    assert api.json()["error"]["fields"]["households"] == [expected]
    assert DisclosureVersion.objects.get().status == VersionStatus.DRAFT
