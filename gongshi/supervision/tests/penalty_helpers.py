"""Shared by the tests of the developer's penalties disclosure (§4.6) and its consistency check.

Its dates are derived from today (a decision 24 days ago, its rectification due in 36 days), so
they hold on any day; the modules using it also travel to the suite's fixed "now"
(``frozen_now``) because their own assertions name calendar dates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gongshi.catalogue.models import CatalogueItem
from gongshi.disclosures import workflow
from gongshi.files.testing import make_pdf_bytes, uploaded
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind
from gongshi.workspace.testing import access

NUMBER = "哈建罚字〔2026〕第 18 号"


def days_from_today(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def penalties_item() -> CatalogueItem:
    return CatalogueItem.objects.get(code="other.penalties")


def row(number: str = NUMBER, **fields) -> dict:
    return {
        "decided_on": days_from_today(-24).isoformat(),
        "authority": "哈尔滨市住房和城乡建设局",
        "kind": "penalty",
        "unit_name": "哈尔滨测试置业有限公司",
        "document_number": number,
        "problem": "未按规定公示分户验收信息",
        "rectification": "已补充公示分户验收汇总表",
        "status": "in_progress",
        **fields,
    }


def disclose(world, rows: list[dict] | None, *, scan: bool = True, project=None):
    """The developer publishes ``other.penalties``: 无 when ``rows`` is None."""
    developer = access(world, "developer", project)
    values = {"has_items": "yes", "items": rows} if rows is not None else {"has_items": "no"}
    version = workflow.open_version(developer, penalties_item())
    version = workflow.save_draft(
        developer,
        version,
        lock_version=version.lock_version,
        values=values,
        information_date=days_from_today(-5),
    )
    if scan:
        workflow.add_files(
            developer,
            version,
            [uploaded("处罚决定书.pdf", make_pdf_bytes([NUMBER]))],
            lock_version=version.lock_version,
        )
        version.refresh_from_db()
    return workflow.approve(developer, version, lock_version=version.lock_version)


def record_penalty(world, *, number: str = NUMBER, kind=ActionKind.PENALTY, project=None):
    project = project or world.project
    regulator = world.users["regulator"].organisations.get()
    extra = {}
    if kind == ActionKind.PENALTY:
        extra = {"amount": Decimal("200000.00"), "rectify_by": days_from_today(36)}
    return services.make_action(
        kind=kind,
        project=project,
        subject=project.developer,
        regulator=regulator,
        user=world.users["regulator"],
        decided_on=days_from_today(-24),
        reason="未按规定公示分户验收信息",
        decision_number=number,
        legal_basis="《建设工程质量管理条例》第五十六条",
        content="罚款并责令限期改正",
        **extra,
    )
