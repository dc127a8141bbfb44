"""Complaint frequency (Hefei's practice): questions and complaints per 10,000 m² of floor area."""

import secrets
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from gongshi.core.testing import REGULATOR_ONLY, assert_matrix
from gongshi.participation.models import Question, QuestionKind
from gongshi.projects.models import Project

pytestmark = pytest.mark.usefixtures("frozen_now")

URL = "/supervision/projects/?worklist=complaints_above_threshold"


def _ask(project, kind, n):
    for i in range(n):
        Question.objects.create(
            project=project,
            kind=kind,
            body=f"楼道渗水无人处理{i}",
            contact="buyer@example.com",
            contact_kind="email",
            asker_token_hash=secrets.token_hex(32),
            asked_at=timezone.now(),
            deadline_working_days=5,
        )


def test_only_regulators_open_the_worklist(world):
    assert_matrix(
        world,
        "get",
        URL,
        REGULATOR_ONLY,
    )


@override_settings(GONGSHI_COMPLAINT_FREQUENCY_THRESHOLD=1.5)
def test_a_project_above_the_threshold_is_proposed_for_key_supervision(world, key_supervision):
    Project.objects.filter(pk=world.project.pk).update(floor_area=Decimal("20000"))
    client = world.client("regulator")
    _ask(world.project, QuestionKind.COMPLAINT, 2)
    _ask(world.project, QuestionKind.QUESTION, 2)
    # Already under key supervision: not proposed again.
    assert world.project.name not in client.get(URL).content.decode()
    from gongshi.supervision import services

    services.change_action(
        key_supervision,
        event="lifted",
        regulator=key_supervision.regulator,
        user=world.users["regulator"],
        decided_on=key_supervision.decided_on,
        reason="整改到位",
    )
    page = client.get(URL).content.decode()
    assert world.project.name in page
    assert "2.00" in page  # 4 per 20,000 m²
    assert f"/supervision/p/{world.project.code}/#new-action" in page
    assert "阈值 1.5" in page
    api = client.get("/api/v1/supervision/projects/?worklist=complaints_above_threshold")
    assert [p["code"] for p in api.json()["results"]] == [world.project.code]
    header, line = client.get(URL + "&format=csv").content.decode("utf-8-sig").splitlines()[:2]
    assert header.endswith(",咨询投诉（件/万平方米）") and line.endswith(",2.0")


@override_settings(GONGSHI_COMPLAINT_FREQUENCY_THRESHOLD=3)
def test_a_project_at_or_below_the_threshold_is_not_listed(world):
    Project.objects.filter(pk=world.project.pk).update(floor_area=Decimal("20000"))
    _ask(world.project, QuestionKind.COMPLAINT, 6)  # exactly 3 per 10,000 m²
    assert world.project.name not in world.client("regulator").get(URL).content.decode()
