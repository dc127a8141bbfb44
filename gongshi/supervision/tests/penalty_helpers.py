"""Shared by the tests of the developer's penalties disclosure (§4.6) and its consistency check.

Names calendar dates: every module using it travels to the suite's fixed "now"
(``pytestmark = pytest.mark.usefixtures("frozen_now")``, or the fixture on the test).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gongshi.catalogue.models import CatalogueItem
from gongshi.disclosures import workflow
from gongshi.files.testing import make_pdf_bytes, uploaded
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind
from gongshi.workspace.testing import access

NUMBER = "哈建罚字〔2026〕第 18 号"


def penalties_item() -> CatalogueItem:
    return CatalogueItem.objects.get(code="other.penalties")


def row(number: str = NUMBER, **fields) -> dict:
    return {
        "decided_on": "2026-11-01",
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
        information_date=dt.date(2026, 11, 20),
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
        extra = {"amount": Decimal("200000.00"), "rectify_by": dt.date(2026, 12, 31)}
    return services.make_action(
        kind=kind,
        project=project,
        subject=project.developer,
        regulator=regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 11, 1),
        reason="未按规定公示分户验收信息",
        decision_number=number,
        legal_basis="《建设工程质量管理条例》第五十六条",
        content="罚款并责令限期改正",
        **extra,
    )
