"""Every write endpoint checks who is asking before it reads the body.

A body no parser accepts would answer 415 (or a bad one 400) if it were read first; a caller
who may not act must get 401/403/404 whatever they send, with the refusal's Chinese message.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gongshi.disclosures import workflow
from gongshi.workspace.testing import household_rows

GARBAGE = {"data": b"\x00\xffnot a body", "content_type": "application/x-not-a-format"}


def _client(world, role) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(world.users[role])
    return client


@pytest.fixture
def version(world, item):
    access = workflow.ProjectAccess.for_user(world.project, world.users["unit"])
    return workflow.create_version(
        access, item, values={"households": household_rows(1)}, information_date=None
    )


def _cases(world, item, version):
    from gongshi.projects.models import Building

    code = world.project.code
    building = Building.objects.create(project=world.project, name="1号楼", floors_above=6)
    developer_only = {"anonymous": 401, "outsider": 404, "unit": 403}
    supplier_only = {"anonymous": 401, "outsider": 404, "developer": 403}
    return [
        ("post", reverse("api:workspace-projects"), {"anonymous": 401, "unit": 403}),
        ("patch", reverse("api:workspace-project", args=[code]), developer_only),
        ("post", reverse("api:workspace-units", args=[code]), developer_only),
        ("post", reverse("api:workspace-stage", args=[code]), developer_only),
        ("put", reverse("api:workspace-plan", args=[code]), developer_only),
        ("post", reverse("api:workspace-withdraw", args=[code, item.code]), developer_only),
        ("post", reverse("api:workspace-not-applicable", args=[code, item.code]), developer_only),
        (
            "post",
            reverse("api:workspace-versions", args=[code, item.code]),
            {"anonymous": 401, "outsider": 404},
        ),
        ("post", reverse("api:workspace-instances", args=[code, item.code]), developer_only),
        ("patch", reverse("api:workspace-instance", args=[code, item.code, 1]), developer_only),
        (
            "post",
            reverse("api:workspace-instance-withdraw", args=[code, item.code, 1]),
            developer_only,
        ),
        (
            "post",
            reverse("api:workspace-instances-required", args=[code, item.code]),
            developer_only,
        ),
        (
            "post",
            reverse("api:workspace-instance-versions", args=[code, item.code, 1]),
            {"anonymous": 401, "outsider": 404},
        ),
        ("post", reverse("api:workspace-buildings", args=[code]), developer_only),
        ("post", reverse("api:workspace-buildings-import", args=[code]), developer_only),
        ("patch", reverse("api:workspace-building", args=[code, building.pk]), developer_only),
        ("delete", reverse("api:workspace-building", args=[code, building.pk]), developer_only),
        ("patch", reverse("api:workspace-version", args=[code, version.pk]), supplier_only),
        ("post", reverse("api:workspace-version-files", args=[code, version.pk]), supplier_only),
        ("post", reverse("api:workspace-version-submit", args=[code, version.pk]), supplier_only),
        (
            "post",
            reverse("api:workspace-version-approve", args=[code, version.pk]),
            developer_only,
        ),
        ("post", reverse("api:workspace-version-return", args=[code, version.pk]), developer_only),
    ]


def test_refusals_come_before_the_body_is_read(world, item, version):
    failures = []
    for method, url, expected in _cases(world, item, version):
        for role, status in expected.items():
            response = getattr(_client(world, role), method)(url, **GARBAGE)
            if response.status_code != status:
                failures.append(f"{method} {url} as {role}: {response.status_code} ≠ {status}")
    assert not failures, "\n".join(failures)


def test_a_refusal_keeps_its_code_and_chinese_message(world, item, version):
    unit = _client(world, "unit")
    response = unit.post(reverse("api:workspace-projects"), **GARBAGE)
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "developer_only",
        "message": "只有建设单位的成员可以登记项目。",
    }
    url = reverse("api:workspace-version-submit", args=[world.project.code, version.pk])
    refused = _client(world, "developer").post(url, **GARBAGE)
    assert refused.json()["error"]["code"] == "not_owner"
    assert refused.json()["error"]["message"] == "此版本不是您的单位填报的，不能提交。"
