"""Findings against disclosed items, photos, the report, and each discrepancy to its close."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongshi.core.testing import assert_matrix
from gongshi.files.testing import make_png_bytes
from gongshi.participation import opendays
from gongshi.participation.models import Finding, FindingPhoto


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_supervisor_records_a_discrepancy_with_a_photo(world, open_day, supervisor, disclosed):
    response = _client(supervisor).post(
        reverse("participation:supervise", args=[open_day.pk]),
        {
            "version": disclosed.pk,
            "result": "discrepancy",
            "note": "现场试块编号与报告不一致",
            "photos": [SimpleUploadedFile("试块.png", make_png_bytes(), "image/png")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    finding = Finding.objects.get()
    assert finding.is_open_discrepancy and finding.version == disclosed
    assert FindingPhoto.objects.get(finding=finding).file.content_type == "image/png"


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_kept(
    world, open_day, supervisor, disclosed
):
    response = _client(supervisor).post(
        reverse("participation:supervise", args=[open_day.pk]),
        {
            "version": disclosed.pk,
            "result": "verified",
            "photos": [SimpleUploadedFile("photo.png", b"MZ not a picture at all", "image/png")],
        },
    )
    assert response.status_code == 400
    assert "只接受 PDF、JPG、PNG" in response.content.decode()
    assert not Finding.objects.exists()


def test_a_discrepancy_needs_a_note(world, open_day, supervisor, disclosed):
    with pytest.raises(ValidationError) as excinfo:
        opendays.record_finding(open_day, supervisor, version_id=disclosed.pk, result="discrepancy")
    assert "请说明差异在哪里" in str(excinfo.value)


def test_only_published_items_of_the_project_can_be_checked(world, open_day, supervisor):
    from gongshi.catalogue.tests.factories import make_item, make_version

    draft = make_version(world.project, make_item(), world.users["developer"])
    with pytest.raises(ValidationError) as excinfo:
        opendays.record_finding(open_day, supervisor, version_id=draft.pk, result="verified")
    assert "已公示的事项" in str(excinfo.value)


def test_only_supervisors_record_findings(world, open_day, supervisor, disclosed):
    with pytest.raises(ValidationError):
        opendays.record_finding(
            open_day, world.users["developer"], version_id=disclosed.pk, result="verified"
        )


def test_the_discrepancy_stays_open_until_response_and_close(
    world, open_day, supervisor, disclosed
):
    finding = opendays.record_finding(
        open_day, supervisor, version_id=disclosed.pk, result="discrepancy", note="型号不符"
    )
    assert Finding.objects.open_discrepancies().within(world.project.region).count() == 1
    with pytest.raises(ValidationError) as excinfo:
        opendays.close(finding, supervisor)
    assert "回复后才能关闭" in str(excinfo.value)
    respond_url = reverse("participation:dev_respond", args=[finding.pk])
    assert_matrix(
        world,
        "post",
        respond_url,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 404,
            "developer": 302,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data={"response": "已更换为设计型号，见更正公示。"},
    )
    close_url = reverse("participation:close_finding", args=[finding.pk])
    assert_matrix(
        world,
        "post",
        close_url,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 404,
            "developer": 404,
            "other_regulator": 404,
            "regulator": 302,
            "admin": 404,
        },
        data={"note": "现场复查已整改"},
    )
    finding.refresh_from_db()
    assert finding.closed_by == world.users["regulator"]
    assert not Finding.objects.open_discrepancies().exists()


def test_the_supervisor_may_close_after_the_response(world, open_day, supervisor, disclosed):
    finding = opendays.record_finding(
        open_day, supervisor, version_id=disclosed.pk, result="discrepancy", note="型号不符"
    )
    opendays.respond(finding, world.users["developer"], "已整改。")
    response = _client(supervisor).post(
        reverse("participation:close_finding", args=[finding.pk]), {}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.closed_at is not None


def test_the_report_is_published_with_findings_and_stays_open_discrepancies_visible(
    world, held, supervisor, disclosed
):
    opendays.record_finding(
        held,
        supervisor,
        version_id=disclosed.pk,
        result="discrepancy",
        note="试块编号不一致",
        photos=[SimpleUploadedFile("a.png", make_png_bytes(), "image/png")],
    )
    response = world.client("developer").post(
        reverse("participation:dev_open_day", args=[held.pk]),
        {"action": "report", "attendance": "18", "summary": "共 18 人参加。"},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.is_reported and held.attendance == 18
    page = (
        world.client("anonymous")
        .get(reverse("participation:open_day", args=[world.project.code, held.pk]))
        .content.decode()
    )
    assert "实到 18 人" in page and "试块编号不一致" in page and "未关闭" in page
    with pytest.raises(ValidationError):
        opendays.record_finding(held, supervisor, version_id=disclosed.pk, result="verified")


def test_the_report_is_appended_to_the_integrity_log(world, held, supervisor, disclosed):
    from gongshi.integrity.models import LogEntry

    opendays.record_finding(held, supervisor, version_id=disclosed.pk, result="verified")
    day = opendays.publish_report(held, world.users["developer"], attendance=5)
    entry = LogEntry.objects.get(index=day.leaf_index)
    assert entry.kind == "open_day_report"


def test_a_report_cannot_come_before_the_day(world, open_day):
    with pytest.raises(ValidationError) as excinfo:
        opendays.publish_report(open_day, world.users["developer"], attendance=3)
    assert "举办之后" in str(excinfo.value)
