import pytest
from django.urls import reverse

from gongshi.core.testing import assert_matrix
from gongshi.disclosures.models import DisclosureVersion, VersionKind, VersionStatus
from gongshi.workspace.tests.helpers import item_form

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def _published(world, item):
    item.supplier = "developer"
    item.save()
    world.client("developer").post(
        reverse("workspace:item", args=[world.project.code, item.code]), item_form(action="publish")
    )
    return DisclosureVersion.objects.get(status=VersionStatus.PUBLISHED)


def _url(world, item, name):
    return reverse(f"workspace:{name}", args=[world.project.code, item.code])


def test_it_checks_access_to_correct(world, item):
    _published(world, item)
    assert_matrix(
        world,
        "post",
        _url(world, item, "item_correct"),
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 404,  # the item is now the developer's: the unit does not see it
            "developer": 302,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data={"reason": "房号录入错误"},
    )
    correction = DisclosureVersion.objects.get(status=VersionStatus.DRAFT)
    assert correction.kind == VersionKind.CORRECTION and correction.reason == "房号录入错误"


def test_a_correction_without_a_reason_is_refused(world, item):
    _published(world, item)
    response = world.client("developer").post(_url(world, item, "item_correct"), {"reason": " "})
    assert response.status_code == 400
    assert "更正须填写更正原因" in response.content.decode()
    assert DisclosureVersion.objects.count() == 1


def test_it_checks_access_to_withdraw(world, item):
    _published(world, item)
    assert_matrix(
        world,
        "post",
        _url(world, item, "item_withdraw"),
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 404,
            "developer": 302,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data={"reason": "待复核"},
    )
    withdrawal = DisclosureVersion.objects.get(kind=VersionKind.WITHDRAWAL)
    assert withdrawal.status == VersionStatus.PUBLISHED and withdrawal.reason == "待复核"


def test_a_unit_cannot_withdraw_its_own_item(world, item):
    world.client("unit").post(
        reverse("workspace:item", args=[world.project.code, item.code]), item_form(action="submit")
    )
    world.client("developer").post(_url(world, item, "item_review"), {"action": "approve"})
    response = world.client("unit").post(_url(world, item, "item_withdraw"), {"reason": "x"})
    assert response.status_code == 403
    assert "只有建设单位" in response.content.decode()


def test_it_checks_access_to_discard_a_draft(world, item):
    world.client("unit").post(
        reverse("workspace:item", args=[world.project.code, item.code]), item_form()
    )
    assert_matrix(
        world,
        "post",
        _url(world, item, "item_discard"),
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 302,
            "developer": 400,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )
    assert not DisclosureVersion.objects.exists()
