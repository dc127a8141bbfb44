"""Buildings and repeatable items for the demo: 松北·悦澜湾二期, six buildings sold in three
batches — three pre-sale permits, one per batch, each naming its buildings — and the
main-structure acceptance of each building on its own day, one of them failed first and
passed after rectification (a correction in its history). (The project is still being built,
so completion acceptance, due before handover, is not disclosed yet.)

Buildings and instances are declared through the workspace's services before the seeder
publishes anything; :func:`plan_buildings` returns the publications as the seeder's events, so
they enter the log in time order with the rest (publish_version, as always). Nothing happens
for a project that existed before this run.
"""

from __future__ import annotations

import datetime as dt

from gongshi.catalogue.models import CatalogueItem
from gongshi.demo import data
from gongshi.demo.values import ProjectContext
from gongshi.disclosures import workflow
from gongshi.disclosures.models import VersionKind
from gongshi.workspace.buildings import save_building

PROJECT = "YRW2QA"
PRESALE = "procedure.presale_permit"
ACCEPTANCE = "acceptance.main_structure"
#: (label, buildings, certificate number, days ago); the first batch is the seeder's own
#: pre-sale permit (its number and date from the timeline), named here before it is published.
BATCHES = [
    ("第一批（1号楼、2号楼）", [1, 2], None, None),
    ("第二批（3号楼、4号楼）", [3, 4], "哈松预售字（2026）第 0217 号", 150),
    ("第三批（5号楼、6号楼）", [5, 6], "哈松预售字（2026）第 0388 号", 60),
]
#: building → days ago it passed main-structure acceptance (1号楼: the seeder's own);
#: 2号楼 failed first (days ago).
ACCEPTED = {2: 12, 3: 20}
FAILED_FIRST = {2: 30}
FAILED_NOTE = "6 层剪力墙混凝土回弹强度不足，墙体垂直度超差，责令整改后复验。"
PASSED_NOTE = "验收合格，无整改事项。"
REINSPECTION = "首次验收不合格（混凝土强度、墙体垂直度），整改并经检测合格后复验通过。"


def _spec() -> data.DemoProject:
    return next(s for s in data.PROJECTS if s.code == PROJECT)


def _acceptance(n: int, on: dt.date, conclusion: str, notes: str) -> dict:
    return {
        "acceptance_date": on.isoformat(),
        "conclusion": conclusion,
        "record_number": f"YLW2-ZT-{n:02d}{'-F' if notes == REINSPECTION else ''}",
        "participants": "建设、勘察、设计、施工、监理单位",
        "notes": notes,
    }


def plan_buildings(seeder, projects: dict) -> list:
    """Declare the six buildings and the instances; return their publications as events."""
    project = projects.get(PROJECT)
    if project is None:
        return []
    spec = _spec()
    ctx: ProjectContext = seeder.context(spec)
    access = workflow.ProjectAccess.for_user(project, seeder.member_of[spec.developer])
    count, units, floors = spec.layout
    declared = {
        n: save_building(
            access,
            {
                "name": f"{n}号楼",
                "units": units,
                "floors_above": floors,
                "floors_below": 1,
                "floor_area": f"{units * floors * 2 * 98}.00",
                "household_count": units * floors * 2,
                # The plan's sales batches: the project then needs one permit per batch.
                "sales_batch": next((i for i, b in enumerate(BATCHES, 1) if n in b[1]), None),
            },
        )  # fmt: skip
        for n in range(1, count + 1)
    }
    events = []

    def at(days: int) -> dt.datetime:
        return seeder.now - dt.timedelta(days=days, hours=3)

    presale = CatalogueItem.objects.get(code=PRESALE, region__isnull=True)
    first_values = seeder._values(ctx, presale, seeder.today)
    for label, covered, number, days in BATCHES:
        disclosure = workflow.add_instance(
            access, presale, label=label, buildings=[declared[n].pk for n in covered]
        )
        if number is None:
            continue  # the seeder's timeline publishes the first batch
        on = seeder.today - dt.timedelta(days=days)
        values = {**first_values, "certificate_number": number, "issue_date": on.isoformat()}
        events.append(
            seeder._event(
                ctx,
                presale,
                at(days - 1),
                kind=VersionKind.PUBLICATION,
                values=values,
                information_date=on,
                instance=disclosure.instance,
            )  # fmt: skip
        )

    # Main-structure acceptance (主体结构分部工程验收) building by building, on different days:
    # the first building's is the seeder's own, named here; 2号楼 failed, then passed.
    acceptance = CatalogueItem.objects.get(code=ACCEPTANCE, region__isnull=True)
    workflow.set_required(access, acceptance, count)
    for n in range(1, max(ACCEPTED) + 1):
        building = declared[n]
        disclosure = workflow.add_instance(
            access, acceptance, label=f"{building.name}主体结构验收", buildings=[building.pk]
        )
        if n not in ACCEPTED:
            continue
        days = ACCEPTED[n]
        passed_on = seeder.today - dt.timedelta(days=days)
        kind, reason = VersionKind.PUBLICATION, ""
        if n in FAILED_FIRST:
            failed_on = seeder.today - dt.timedelta(days=FAILED_FIRST[n])
            events.append(
                seeder._event(
                    ctx,
                    acceptance,
                    at(FAILED_FIRST[n] - 1),
                    kind=VersionKind.PUBLICATION,
                    values=_acceptance(n, failed_on, "fail", FAILED_NOTE),
                    information_date=failed_on,
                    instance=disclosure.instance,
                )  # fmt: skip
            )
            kind, reason = VersionKind.CORRECTION, REINSPECTION
        events.append(
            seeder._event(
                ctx,
                acceptance,
                at(days - 1),
                kind=kind,
                values=_acceptance(n, passed_on, "pass", REINSPECTION if reason else PASSED_NOTE),
                information_date=passed_on,
                reason=reason,
                instance=disclosure.instance,
            )  # fmt: skip
        )
    return events
