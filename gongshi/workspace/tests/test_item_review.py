import pytest
from django.urls import reverse

from gongshi.core.testing import assert_matrix
from gongshi.disclosures import workflow
from gongshi.disclosures.models import DisclosureVersion, VersionStatus
from gongshi.workspace.testing import access
from gongshi.workspace.tests.helpers import item_form

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def _submitted(world, item):
    world.client("unit").post(
        reverse("workspace:item", args=[world.project.code, item.code]), item_form(action="submit")
    )
    version = DisclosureVersion.objects.get()
    assert version.status == VersionStatus.SUBMITTED
    return version


def _url(world, item):
    return reverse("workspace:item_review", args=[world.project.code, item.code])


def test_it_checks_access_to_review(world, item):
    _submitted(world, item)
    assert_matrix(
        world,
        "post",
        _url(world, item),
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 403,
            "developer": 302,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data={"action": "approve"},
    )
    assert DisclosureVersion.objects.get().status == VersionStatus.PUBLISHED


def test_the_unit_is_told_it_cannot_review(world, item):
    _submitted(world, item)
    response = world.client("unit").post(_url(world, item), {"action": "approve"})
    assert "只有建设单位可以进行此操作" in response.content.decode()


def test_the_developer_sends_back_and_the_unit_sees_the_reason(world, item):
    version = _submitted(world, item)
    empty = world.client("developer").post(_url(world, item), {"action": "return", "reason": ""})
    assert empty.status_code == 400
    assert "请填写退回原因" in empty.content.decode()
    world.client("developer").post(
        _url(world, item),
        {"action": "return", "reason": "第 2 行面积有误", "lock_version": version.lock_version},
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.RETURNED
    page = world.client("unit").get(reverse("workspace:item", args=[world.project.code, item.code]))
    html = page.content.decode()
    assert "建设单位退回原因" in html and "第 2 行面积有误" in html
    assert "保存并提交建设单位审核" in html


def test_approving_a_changed_submission_with_a_stale_lock_is_refused(world, item):
    version = _submitted(world, item)
    workflow.send_back(access(world, "developer"), version, "改")
    response = world.client("developer").post(
        _url(world, item), {"action": "approve", "lock_version": version.lock_version}
    )
    assert response.status_code == 400
    assert DisclosureVersion.objects.get().status == VersionStatus.RETURNED


def test_the_reviewer_reads_what_was_submitted(world, item):
    _submitted(world, item)
    html = (
        world.client("developer")
        .get(reverse("workspace:item", args=[world.project.code, item.code]))
        .content.decode()
    )
    assert "待处理版本的内容" in html and "0102" in html
    assert "审核通过并公示" in html
