"""The cross-check end to end: an attachment is read in the background, a swapped permit
number is flagged to the developer before publication and to the regulator after, the
developer confirms it with a reason; the public never sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from gongshi.catalogue.tests.factories import make_item, make_version
from gongshi.core.testing import assert_matrix
from gongshi.disclosures.attachments import attach
from gongshi.disclosures.services import publish_version
from gongshi.files.ingest import ingest_upload
from gongshi.files.testing import make_pdf_bytes, uploaded
from gongshi.scancheck.models import ScanFlag, ScanText
from gongshi.scancheck.services import read_file

pytestmark = pytest.mark.usefixtures("frozen_now")

FIELDS = [
    {"key": "project_name", "label": "项目名称", "label_en": "Project name", "type": "text",
     "required": True},
    {"key": "certificate_number", "label": "证书编号", "label_en": "Certificate number",
     "type": "text", "required": True},
    {"key": "issue_date", "label": "发证日期", "label_en": "Issue date", "type": "date",
     "required": True},
]  # fmt: skip


def permit_version(world, number: str, printed: str, django_capture_on_commit_callbacks):
    item = make_item(fields=FIELDS, scan_required=True, title="建筑工程施工许可证")
    values = {"project_name": "星河湾花园一期", "certificate_number": number,
              "issue_date": "2026-05-01"}  # fmt: skip
    version = make_version(
        world.project, item, world.users["developer"], values=values,
        information_date=dt.date(2026, 5, 1),
    )  # fmt: skip
    scan = make_pdf_bytes(["建筑工程施工许可证", f"编号：{printed}", "工程名称：星河湾花园一期",
                           "2026年5月1日"])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        stored = ingest_upload(uploaded("permit.pdf", scan))
        attach(version, stored, "施工许可证.pdf")
    return version, stored


def test_a_swapped_number_is_flagged_confirmed_and_shown_only_to_who_should_see_it(
    world, django_capture_on_commit_callbacks
):
    version, stored = permit_version(
        world, "230103202605010110", "230103202605010101", django_capture_on_commit_callbacks
    )
    # The upload only queued the reading: the worker does it.
    assert DBTaskResult.objects.filter(task_path__endswith="read_scan").count() == 1
    assert not ScanFlag.objects.exists()
    scan = read_file(stored.pk)
    assert (scan.status, scan.method) == (ScanText.Status.DONE, "text_layer")
    [flag] = ScanFlag.objects.all()
    assert (flag.field_key, flag.typed, flag.found) == (
        "certificate_number", "230103202605010110", "230103202605010101",
    )  # fmt: skip
    item_url = f"/workspace/p/{world.project.code}/items/{version.disclosure.item.code}/"
    page = world.client("developer").get(item_url).content.decode()
    assert "扫描件上的证书编号与填写的不一致：填写的是 230103202605010110" in page
    # Only the project's developer confirms, with a reason.
    confirm = f"/workspace/p/{world.project.code}/scan-flags/{flag.pk}/confirm/"
    assert_matrix(
        world, "post", confirm,
        {"anonymous": 302, "outsider": 404, "unit": 404, "developer": 302,
         "other_regulator": 404, "regulator": 404, "admin": 404},
        data={"reason": ""},
    )  # fmt: skip
    flag.refresh_from_db()
    assert flag.confirmed_at is None  # an empty reason confirms nothing
    world.client("developer").post(confirm, {"reason": "扫描件为换发前的旧证"})
    flag.refresh_from_db()
    assert flag.confirmed_reason == "扫描件为换发前的旧证" and flag.confirmed_at is not None
    # Published, the regulator sees it on the project and in the worklist; the public not.
    with django_capture_on_commit_callbacks(execute=True):
        publish_version(version, world.users["developer"])
    regulator = world.client("regulator")
    page = regulator.get(f"/supervision/p/{world.project.code}/").content.decode()
    assert "230103202605010110" in page and "扫描件为换发前的旧证" in page
    listed = regulator.get("/supervision/projects/", {"worklist": "scan_mismatches"})
    assert world.project.name in listed.content.decode()
    public = world.client("anonymous").get(f"/p/{world.project.code}/").content.decode()
    assert "扫描件上" not in public and "230103202605010101" not in public


def test_correcting_the_typed_value_clears_the_flag(world, django_capture_on_commit_callbacks):
    version, stored = permit_version(
        world, "230103202605010110", "230103202605010101", django_capture_on_commit_callbacks
    )
    read_file(stored.pk)
    assert ScanFlag.objects.count() == 1
    version.values = {**version.values, "certificate_number": "230103202605010101"}
    with django_capture_on_commit_callbacks(execute=True):
        version.save()
    assert not ScanFlag.objects.exists()
