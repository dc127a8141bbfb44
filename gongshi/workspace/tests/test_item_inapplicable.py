"""声明不适用: the developer declares, publicly and with the reason, that an item does not apply."""

import pytest
from django.urls import reverse

from gongshi.core.testing import assert_matrix
from gongshi.disclosures import tallies
from gongshi.disclosures.checklist import EntryState, project_checklist
from gongshi.disclosures.models import Disclosure, DisclosureVersion, VersionKind
from gongshi.workspace.tests.helpers import item_form

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

REASON = "本项目为公共租赁住房，只租不售，不办理商品房预售许可。"


def _url(world, item, name="item_inapplicable"):
    return reverse(f"workspace:{name}", args=[world.project.code, item.code])


def test_only_the_developer_declares_it(world, item):
    assert_matrix(
        world,
        "post",
        _url(world, item),
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 403,  # the unit sees the item (it supplies it) but may not declare this
            "developer": 302,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data={"reason": REASON},
    )
    version = DisclosureVersion.objects.get()
    assert (version.kind, version.reason) == (VersionKind.INAPPLICABLE, REASON)


def test_it_counts_as_disclosed_and_the_public_reads_the_reason(world, item, client):
    world.client("developer").post(_url(world, item), {"reason": REASON})
    entry = project_checklist(world.project).entry(item.code)
    assert entry.state == EntryState.INAPPLICABLE
    assert entry.is_published and not entry.is_missing_required
    assert Disclosure.objects.get().is_public  # so the regulator's completeness agrees
    assert tallies.differences() == []
    page = client.get(f"/p/{world.project.code}/").content.decode()
    assert "不适用" in page and REASON in page
    history = client.get(f"/p/{world.project.code}/i/{item.code}/").content.decode()
    assert "不适用说明" in history and REASON in history


def test_a_reason_is_needed_and_checked_for_personal_data(world, item):
    empty = world.client("developer").post(_url(world, item), {"reason": ""})
    assert "请说明此事项不适用于本项目的原因" in empty.content.decode()
    personal = world.client("developer").post(
        _url(world, item), {"reason": "经业主张某 13912345678 同意不公示"}
    )
    assert personal.status_code == 400
    assert not DisclosureVersion.objects.exists()


def test_a_published_item_is_withdrawn_first_and_a_correction_publishes_after_all(world, item):
    item.supplier = "developer"
    item.save()
    developer = world.client("developer")
    developer.post(_url(world, item, "item"), item_form(action="publish"))
    refused = developer.post(_url(world, item), {"reason": REASON})
    assert "请先撤回" in refused.content.decode()
    developer.post(_url(world, item, "item_withdraw"), {"reason": "证照信息有误"})
    assert developer.post(_url(world, item), {"reason": REASON}).status_code == 302
    assert project_checklist(world.project).entry(item.code).state == EntryState.INAPPLICABLE
    # Changed mind: a correction with a reason publishes the item after all.
    developer.post(_url(world, item, "item_correct"), {"reason": "已取得证照，补充公示"})
    version = DisclosureVersion.objects.get(status="draft")
    published = developer.post(
        _url(world, item, "item"),
        item_form(
            action="publish", lock_version=version.lock_version, reason="已取得证照，补充公示"
        ),
    )
    assert published.status_code == 302, published.content.decode()
    state = project_checklist(world.project).entry(item.code).state
    assert state in (EntryState.PUBLISHED, EntryState.LATE)  # information dated 2025: late


def test_the_api_declares_it_too(world, item):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.users["developer"])
    url = f"/api/v1/workspace/projects/{world.project.code}/items/{item.code}/not-applicable/"
    response = client.post(url, {"reason": REASON}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "inapplicable"
    again = client.post(url, {"reason": REASON}, format="json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "in_force"


def test_followers_hear_of_the_declaration(world, item, django_capture_on_commit_callbacks):
    from gongshi.participation.models import Event, EventKind

    with django_capture_on_commit_callbacks(execute=True):
        world.client("developer").post(_url(world, item), {"reason": REASON})
    event = Event.objects.get(kind=EventKind.DISCLOSURE_INAPPLICABLE)
    assert event.payload["reason"] == REASON
