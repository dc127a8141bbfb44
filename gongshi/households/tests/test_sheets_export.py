"""A selection of flats too big for one request is rendered by the task worker into one file
in storage, with its progress on the flats page and a download when it is done."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from gongshi.core.testing import assert_matrix, make_project
from gongshi.households import sheets
from gongshi.households.models import SheetsExport
from gongshi.households.tasks import export_storage_name, render_sheets_export
from gongshi.households.tests.test_sheets import DEVELOPER_ONLY

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def small_limits(monkeypatch):
    """One request prints at most 10 flats, laid out 5 at a time: the estate's 24 are too many."""
    monkeypatch.setattr(sheets, "MAX_SHEETS", 10)
    monkeypatch.setattr(sheets, "SHEETS_PER_RENDER", 5)


def flats_url(world) -> str:
    return f"/workspace/p/{world.project.code}/flats/"


def ask(world, client=None, **data):
    """The developer asks for the sheets; the task is queued when the request commits."""
    client = client or world.client("developer")
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(flats_url(world) + "sheets/", {"size": "A4", **data})


def run_queued_tasks() -> list:
    """Run the queued sheet renderings in this process, as ``gongshi db_worker`` would."""
    rows = DBTaskResult.objects.filter(task_path__endswith="render_sheets_export")
    results = [render_sheets_export.call(*row.args_kwargs["args"]) for row in rows]
    rows.delete()
    return results


def test_too_many_flats_offer_the_background_and_the_worker_makes_one_file(
    world, estate, small_limits
):
    client = world.client("developer")
    refused = client.get(flats_url(world) + "sheets.pdf")
    assert refused.status_code == 400
    assert "在后台生成全部 24 户" in refused.content.decode()

    response = ask(world, client)
    assert response.status_code == 302
    assert response["Location"].endswith("/flats/#exports")
    export = SheetsExport.objects.get()
    assert (export.flats, export.done, export.state) == (24, 0, "queued")
    page = client.get(flats_url(world)).content.decode()
    assert "已开始在后台生成 24 户的档案页，完成后在此下载。" in page
    assert "排队中：24 户" in page

    assert run_queued_tasks() == [24]
    export.refresh_from_db()
    assert (export.state, export.done) == ("done", 24)
    assert export.storage_name == export_storage_name(export.sha256)
    page = client.get(flats_url(world)).content.decode()
    assert "已完成，24 户" in page and f"sheets/{export.pk}.pdf" in page

    download = client.get(flats_url(world) + f"sheets/{export.pk}.pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 24  # every flat, across five parts: nothing cut at 10
    archives = list(sheets.archives_for_sheets(world.project))
    for index in (0, 9, 10, 23):
        assert archives[index].code in reader.pages[index].extract_text()
    assert world.project.name in reader.pages[0].extract_text()  # Chinese text, embedded


def test_a_second_request_while_one_is_being_made_waits_for_it(world, estate, small_limits):
    client = world.client("developer")
    ask(world, client)
    response = ask(world, client)
    assert response.status_code == 302
    assert SheetsExport.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="render_sheets_export").count() == 1
    page = client.get(flats_url(world)).content.decode()
    assert "这批档案页已在后台生成中，完成后在此下载。" in page


def test_a_failed_rendering_stores_nothing_and_says_to_ask_again(
    world, estate, small_limits, monkeypatch
):
    ask(world)
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(*args, **kwargs)

    real = sheets.render_pdf
    monkeypatch.setattr(sheets, "render_pdf", broken)
    assert run_queued_tasks() == [0]
    export = SheetsExport.objects.get()
    assert export.state == "failed" and "disk full" in export.error
    assert export.done == 10  # two parts had been laid out
    assert not export.storage_name
    assert not default_storage.exists("exports/sheets") or not any(
        default_storage.listdir("exports/sheets")[0]
    )
    client = world.client("developer")
    page = client.get(flats_url(world)).content.decode()
    assert "生成失败：请重新生成；再次失败请联系管理员。" in page
    # Not downloadable; asking again makes a new one.
    assert client.get(flats_url(world) + f"sheets/{export.pk}.pdf").status_code == 302
    ask(world)
    assert SheetsExport.objects.count() == 2


def test_an_export_the_worker_never_finished_is_stale_after_an_hour(world, estate, small_limits):
    ask(world)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        page = world.client("developer").get(flats_url(world)).content.decode()
        assert "未能完成：请重新生成。" in page
        ask(world)
        assert SheetsExport.objects.count() == 2


def test_exports_older_than_a_week_are_removed_with_their_files(world, estate, small_limits):
    ask(world)
    run_queued_tasks()
    old = SheetsExport.objects.get()
    assert default_storage.exists(old.storage_name)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        ask(world, size="A5")
        run_queued_tasks()
    assert list(SheetsExport.objects.values_list("size", flat=True)) == ["A5"]
    assert not default_storage.exists(old.storage_name)


def test_a_building_and_a_size_are_validated(world, estate):
    response = ask(world, size="A3")
    assert response.status_code == 400
    assert "请选择楼栋和纸张（A4 或 A5）后再生成。" in response.content.decode()
    assert not SheetsExport.objects.exists()


def test_only_the_developer_asks_for_and_downloads_an_export(world, estate, small_limits):
    base = flats_url(world) + "sheets/"
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert_matrix(
            world, "post", base, {**DEVELOPER_ONLY, "developer": 302}, data={"size": "A4"}
        )
    export = SheetsExport.objects.get()  # the developer's, made by the matrix
    run_queued_tasks()
    assert_matrix(world, "get", base + f"{export.pk}.pdf", DEVELOPER_ONLY)


def test_another_projects_export_is_not_found(world, estate, small_limits):
    other = make_project(world.project.developer)
    ask(world)
    export = SheetsExport.objects.get()
    response = world.client("developer").get(
        f"/workspace/p/{other.code}/flats/sheets/{export.pk}.pdf"
    )
    assert response.status_code == 404


def test_in_english_the_offer_and_the_progress_are_in_english(world, estate, small_limits):
    client = world.client("developer")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    refused = client.get(flats_url(world) + "sheets.pdf").content.decode()
    assert "Make all 24 flats in the background" in refused
    ask(world, client)
    page = client.get(flats_url(world)).content.decode()
    assert "Started making the sheets of 24 flats in the background" in page
    assert "Queued: 24 flats" in page
    run_queued_tasks()
    assert "Done, 24 flats" in client.get(flats_url(world)).content.decode()
