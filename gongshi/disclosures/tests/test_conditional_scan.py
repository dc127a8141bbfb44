"""An item may need a scan only for some answers: penalties (§4.6) need the decision's scan."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongshi.catalogue.models import CatalogueItem
from gongshi.disclosures import workflow
from gongshi.disclosures.models import VersionStatus
from gongshi.supervision.tests.penalty_helpers import disclose, penalties_item, row
from gongshi.workspace.testing import access

pytestmark = pytest.mark.usefixtures("frozen_now")

URL = "/workspace/p/{code}/items/other.penalties/"


def test_the_builtin_penalties_item_needs_the_decision_scan_when_the_answer_is_yes(db):
    item = penalties_item()
    assert item.scan_required is False
    assert item.scan_required_when == {"field": "has_items", "value": "yes"}
    assert item.requires_scan({"has_items": "yes"}) and not item.requires_scan({"has_items": "no"})


def test_answering_none_publishes_without_a_scan(world):
    version = disclose(world, None, scan=False)
    assert version.status == VersionStatus.PUBLISHED


def test_answering_yes_without_the_scan_is_refused_with_a_sentence_that_says_what_to_upload(world):
    with pytest.raises(ValidationError) as caught:
        disclose(world, [row()], scan=False)
    message = caught.value.messages[0]
    assert "“是否受到处罚或惩戒”选择“有”时" in message
    assert "处罚决定书或信用惩戒决定书的扫描件" in message
    assert caught.value.code == "scan_required"


def test_answering_yes_with_the_scan_publishes(world):
    version = disclose(world, [row()])
    assert version.status == VersionStatus.PUBLISHED
    assert version.attachments.count() == 1


def test_the_workspace_keeps_the_rows_when_publishing_is_refused_for_the_scan(world):
    client = world.client("developer")
    url = URL.format(code=world.project.code)
    data = {
        "action": "publish",
        "lock_version": "0",
        "information_date": "2026-11-20",
        "f-has_items": "yes",
        "t-items-rows": "1",
    }
    for key, value in row().items():
        data[f"t-items-1-{key}"] = value
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400, page
    assert "须上传处罚决定书或信用惩戒决定书的扫描件" in page
    assert "哈建罚字〔2026〕第 18 号" in page  # the row is still there
    version = workflow.pending_version(world.project, penalties_item())
    assert version.values["items"][0]["document_number"] == "哈建罚字〔2026〕第 18 号"


def test_the_catalogue_api_says_when_a_scan_is_needed(client, db):
    response = client.get("/api/v1/catalog/other.penalties/")
    assert response.status_code == 200
    assert response.json()["scan_required_when"] == {"field": "has_items", "value": "yes"}


def test_a_condition_on_a_field_the_item_does_not_have_is_refused(db):
    item = CatalogueItem.objects.get(code="other.penalties")
    item.scan_required_when = {"field": "nonexistent", "value": "yes"}
    with pytest.raises(ValidationError) as caught:
        item.clean()
    assert "scan_required_when" in caught.value.error_dict
    item.scan_required_when = {"field": "has_items", "value": "maybe"}
    with pytest.raises(ValidationError):
        item.clean()


def test_submission_for_review_checks_the_same_rule(world):
    item = penalties_item()
    version = workflow.open_version(access(world, "developer"), item)
    version.values = {"has_items": "yes", "items": [row()]}
    version.information_date = dt.date(2026, 11, 20)
    from gongshi.disclosures.workflow.review import _check_complete

    with pytest.raises(ValidationError) as caught:
        _check_complete(version)
    assert "处罚决定书或信用惩戒决定书" in str(caught.value.error_dict["files"])
