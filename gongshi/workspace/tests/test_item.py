import pytest
from django.urls import reverse

from gongshi.core.testing import assert_matrix
from gongshi.disclosures.models import DisclosureVersion, VersionStatus
from gongshi.workspace.testing import household_rows
from gongshi.workspace.tests.helpers import item_form

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def _url(world, item):
    return reverse("workspace:item", args=[world.project.code, item.code])


EVERY_LINKED_ROLE = {
    "anonymous": 302,
    "outsider": 404,
    "unit": 200,
    "developer": 200,
    "other_regulator": 404,
    "regulator": 404,
    "admin": 404,
}


def test_it_checks_access_to_view(world, item):
    assert_matrix(world, "get", _url(world, item), EVERY_LINKED_ROLE)


def test_it_checks_access_to_save(world, item):
    # Unit and developer both get their answer (the unit saves its draft, then the developer
    # is refused because the draft belongs to the unit): nobody else learns the item exists.
    assert_matrix(
        world,
        "post",
        _url(world, item),
        {**EVERY_LINKED_ROLE, "unit": 302, "developer": 400},
        data=item_form(),
    )


def test_a_unit_saves_a_table_draft(world, item):
    response = world.client("unit").post(_url(world, item), item_form(household_rows(3)))
    assert response.status_code == 302
    version = DisclosureVersion.objects.get()
    assert version.status == VersionStatus.DRAFT
    assert [r["room"] for r in version.values["households"]] == ["0101", "0102", "0201"]
    assert version.information_date.isoformat() == "2025-06-20"


def test_adding_and_removing_rows_writes_nothing(world, item):
    client = world.client("unit")
    response = client.post(
        _url(world, item), item_form(household_rows(2), action="add_row:households")
    )
    assert response.status_code == 200
    assert "t-households-3-room" in response.content.decode()
    response = client.post(
        _url(world, item), item_form(household_rows(2), action="remove_row:households:1")
    )
    html = response.content.decode()
    assert 'value="0102"' in html and 'value="0101"' not in html
    assert not DisclosureVersion.objects.exists()


def test_a_bad_cell_is_explained_and_nothing_is_saved(world, item):
    rows = household_rows(2)
    rows[1]["date"] = "2025-13-45"
    response = world.client("unit").post(_url(world, item), item_form(rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert "第 2 行：验收日期不是有效日期" in html
    assert "ws-cell-error" in html
    assert not DisclosureVersion.objects.exists()  # not even an empty draft


def test_the_corrected_form_saves_after_a_refused_one(world, item):
    client = world.client("unit")
    rows = household_rows(2)
    rows[1]["date"] = "2025-13-45"
    assert client.post(_url(world, item), item_form(rows)).status_code == 400
    rows[1]["date"] = "2025-06-21"
    response = client.post(_url(world, item), item_form(rows))  # the same page, lock_version 0
    assert response.status_code == 302
    assert len(DisclosureVersion.objects.get().values["households"]) == 2


def test_a_second_save_from_a_stale_page_is_refused(world, item):
    client = world.client("unit")
    client.post(_url(world, item), item_form(household_rows(1)))
    version = DisclosureVersion.objects.get()
    client.post(_url(world, item), item_form(household_rows(2), lock_version=version.lock_version))
    stale = client.post(
        _url(world, item), item_form(household_rows(5), lock_version=version.lock_version)
    )
    assert stale.status_code == 400
    assert "已被他人修改" in stale.content.decode()
    version.refresh_from_db()
    assert len(version.values["households"]) == 2


def test_a_form_opened_before_anyone_started_cannot_overwrite_a_new_draft(world, item):
    client = world.client("unit")
    client.post(_url(world, item), item_form(household_rows(1)))
    late = client.post(_url(world, item), item_form(household_rows(4), lock_version=0))
    assert late.status_code == 400
    assert "已有人开始填报此事项" in late.content.decode()
    assert len(DisclosureVersion.objects.get().values["households"]) == 1


def test_a_unit_submits_and_sees_what_is_missing_first(world, item):
    client = world.client("unit")
    rows = household_rows(1)
    rows[0]["result"] = ""
    response = client.post(_url(world, item), item_form(rows, action="submit"))
    assert response.status_code == 400
    assert "第 1 行：验收结论不能为空" in response.content.decode()
    version = DisclosureVersion.objects.get()
    assert version.status == VersionStatus.DRAFT
    response = client.post(
        _url(world, item),
        item_form(household_rows(1), lock_version=version.lock_version, action="submit"),
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED


def test_the_developer_publishes_its_own_item_from_the_form(world, item):
    item.supplier = "developer"
    item.save()
    response = world.client("developer").post(_url(world, item), item_form(action="publish"))
    assert response.status_code == 302
    version = DisclosureVersion.objects.get()
    assert version.status == VersionStatus.PUBLISHED
    page = world.client("developer").get(_url(world, item)).content.decode()
    assert "已公示内容" in page and "0102" in page and "发起更正" in page


def test_personal_data_is_refused_at_publication_naming_field_and_row(world, item):
    item.supplier = "developer"
    item.save()
    rows = household_rows(3)
    rows[2]["rectification"] = "业主身份证230103198506121234"
    response = world.client("developer").post(_url(world, item), item_form(rows, action="publish"))
    assert response.status_code == 400
    assert "「分户验收汇总表」第 3 行的“整改情况”含有居民身份证号码" in response.content.decode()
    assert DisclosureVersion.objects.get().status == VersionStatus.DRAFT


def test_a_table_too_big_for_the_form_is_kept_when_other_fields_are_saved(world, item):
    from gongshi.disclosures import workflow
    from gongshi.workspace.testing import access

    unit = access(world, "unit")
    version = workflow.open_version(unit, item)
    workflow.save_draft(
        unit, version, lock_version=version.lock_version, values={"households": household_rows(400)}
    )
    version.refresh_from_db()
    page = world.client("unit").get(_url(world, item)).content.decode()
    assert "本表共 400 行" in page and "t-households-1-room" not in page
    response = world.client("unit").post(
        _url(world, item),
        {
            "t-households-keep": "1",
            "f-summary": "共 400 户，均已验收",
            "information_date": "2025-06-20",
            "lock_version": str(version.lock_version),
            "action": "save",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert len(version.values["households"]) == 400
    assert version.values["summary"] == "共 400 户，均已验收"


def test_a_household_summary_short_of_the_projects_households_is_pointed_out(world, item):
    type(world.project).objects.filter(pk=world.project.pk).update(household_count=420)
    client = world.client("unit")
    client.post(_url(world, item), item_form(household_rows(3)))
    html = client.get(_url(world, item)).content.decode()
    assert "表中有 3 户，项目登记 420 户" in html
