import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gongshi.core.testing import assert_matrix
from gongshi.disclosures.models import DisclosureVersion
from gongshi.workspace import excel
from gongshi.workspace.testing import HOUSEHOLD_FIELDS, household_rows
from gongshi.workspace.tests.helpers import item_form

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

LINKED = {
    "anonymous": 302,
    "outsider": 404,
    "unit": 200,
    "developer": 200,
    "other_regulator": 404,
    "regulator": 404,
    "admin": 404,
}


def _url(world, item, name):
    return reverse(f"workspace:{name}", args=[world.project.code, item.code])


def _xlsx(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "分户验收.xlsx", excel.export(HOUSEHOLD_FIELDS[1], rows), excel.XLSX_CONTENT_TYPE
    )


def test_it_checks_who_may_download_the_template(world, item):
    url = _url(world, item, "excel_template") + "?field=households"
    assert_matrix(world, "get", url, LINKED)
    response = world.client("unit").get(url)
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["C1"].value == "房号（必填）"


def test_an_unknown_table_is_not_found(world, item):
    url = _url(world, item, "excel_template") + "?field=nope"
    assert world.client("unit").get(url).status_code == 404


def test_it_checks_who_may_import_and_imports_all_rows(world, item):
    url = _url(world, item, "excel_import")
    for role, expected in {**LINKED, "unit": 302, "developer": 400}.items():
        response = world.client(role).post(
            url, {"field": "households", "file": _xlsx(household_rows(120)), "lock_version": "0"}
        )
        assert response.status_code == expected, role
    version = DisclosureVersion.objects.get()
    assert len(version.values["households"]) == 120


def test_one_bad_row_imports_nothing_and_names_the_row(world, item):
    client = world.client("unit")
    client.post(_url(world, item, "item"), item_form(household_rows(2)))
    version = DisclosureVersion.objects.get()
    rows = household_rows(50)
    rows[35]["room"] = ""
    response = client.post(
        _url(world, item, "excel_import"),
        {"field": "households", "file": _xlsx(rows), "lock_version": str(version.lock_version)},
    )
    assert response.status_code == 400
    assert "第 37 行：房号不能为空" in response.content.decode()
    version.refresh_from_db()
    assert len(version.values["households"]) == 2


def test_it_checks_who_may_export_and_export_reimports_identically(world, item):
    client = world.client("unit")
    client.post(_url(world, item, "item"), item_form(household_rows(30), action="submit"))
    world.client("developer").post(_url(world, item, "item_review"), {"action": "approve"})
    url = _url(world, item, "excel_export") + "?field=households"
    assert_matrix(world, "get", url, LINKED)
    published = DisclosureVersion.objects.get()
    exported = world.client("developer").get(url).content
    rows = excel.read_rows(HOUSEHOLD_FIELDS[1], io.BytesIO(exported))
    assert rows == published.values["households"]


def test_export_of_nothing_published_is_not_found(world, item):
    url = _url(world, item, "excel_export") + "?field=households"
    assert world.client("developer").get(url).status_code == 404
