"""Regulator records for the demo: a commendation, key supervision with inspections, a penalty
under rectification, a bad-conduct record later corrected, and the regulator's record of a
penalty the developer disclosed itself (§4.6) — made through the same services the console
uses. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongshi.core.choices import OrganisationType, Stage, UnitRole
from gongshi.organisations.models import Organisation
from gongshi.projects.models import Project
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind, Inspection, RecordEvent, RegulatorRecord
from gongshi.supervision.rectification import report_rectification, review_rectification


@transaction.atomic
def seed_supervision(today: dt.date | None = None) -> int:
    """Create the demo's regulator records once; returns how many records exist afterwards."""
    if RegulatorRecord.objects.exists():
        return RegulatorRecord.objects.count()
    today = today or timezone.localdate()
    for regulator in Organisation.objects.filter(kind=OrganisationType.REGULATOR).select_related(
        "region"
    ):
        if regulator.region.level != "prefecture":
            continue
        officer = regulator.members.first()
        projects = list(
            Project.objects.within(regulator.region).select_related("developer").order_by("code")
        )
        if officer is None or len(projects) < 2:
            continue
        _seed_city(regulator, officer, projects, today)
        _seed_periods(regulator, officer, projects, today)
    _seed_enterprise(today)
    _seed_disclosed_penalty()
    return RegulatorRecord.objects.count()


def _seed_disclosed_penalty() -> None:
    """The regulator's record of each penalty a developer disclosed itself, with its scan.

    The item's public page then shows the developer's row and the regulator's record side by
    side, consistent (the same decision number), the rectification reported and accepted.
    Only in cities whose regulator has an officer (as the other records).
    """
    from gongshi.disclosures.models import DisclosureVersion

    latest = {}
    for version in (
        DisclosureVersion.objects.published()
        .filter(disclosure__item__code="other.penalties", disclosure__instance=1)
        .select_related("disclosure__project__region", "disclosure__project__developer")
        .order_by("disclosure__project__code", "-number")
    ):
        latest.setdefault(version.disclosure.project_id, version)
    for version in latest.values():
        if version.values.get("has_items") == "yes":
            _record_disclosed(version)


def _record_disclosed(version) -> None:
    project = version.disclosure.project
    regulator = (
        Organisation.objects.filter(
            kind=OrganisationType.REGULATOR, region__code=f"{project.region.code[:4]}00"
        )
        .select_related("region")
        .first()
    )
    officer = regulator.members.first() if regulator is not None else None
    developer_user = project.developer.members.first()
    if officer is None or developer_user is None:
        return
    units = {
        p.organisation.name: p.organisation
        for p in project.participations.select_related("organisation")
    }
    for row in version.values.get("items") or []:
        decided_on = dt.date.fromisoformat(row["decided_on"])
        penalty = services.make_action(
            kind=ActionKind.PENALTY if row["kind"] == "penalty" else ActionKind.CREDIT_PUNISHMENT,
            project=project,
            subject=units.get(row["unit_name"], project.developer),
            regulator=regulator,
            user=officer,
            decided_on=decided_on,
            reason=row["problem"],
            decision_number=row["document_number"],
            issuing_authority=row["authority"],
            legal_basis="《建设工程质量管理条例》第六十四条",
            content="罚款人民币十万元，责令改正。",
            amount=Decimal("100000.00"),
            rectify_by=decided_on + dt.timedelta(days=15),
        )
        if row.get("status") != "done":
            continue
        report_rectification(
            penalty, organisation=project.developer, user=developer_user, text=row["rectification"]
        )
        review_rectification(
            penalty,
            regulator=regulator,
            user=officer,
            accepted=True,
            text="经现场复查，加固部位检测合格，整改到位。",
        )


def _seed_enterprise(today: dt.date) -> None:
    """An enterprise-level commendation of an enterprise with projects in two cities.

    Made by the regulator of one of its cities that has an officer; it shows on the enterprise page
    and on every one of its projects' pages, in both cities.
    """
    from gongshi.projects.models import Participation

    # Developers first, then participating units: the first with projects in two cities.
    cities: dict[int, dict[str, Project]] = {}
    for project in Project.objects.select_related("developer", "region").order_by("code"):
        cities.setdefault(project.developer_id, {}).setdefault(project.region.code[:4], project)
    units: dict[int, dict[str, Project]] = {}
    for part in Participation.objects.select_related("project__region").order_by("project__code"):
        units.setdefault(part.organisation_id, {}).setdefault(
            part.project.region.code[:4], part.project
        )
    # Not an enterprise already under key supervision somewhere: a commendation of the whole
    # enterprise would contradict it.
    supervised = set(
        RegulatorRecord.objects.filter(kind=ActionKind.KEY_SUPERVISION).values_list(
            "subject_id", flat=True
        )
    )
    spread = [pk for pk, found in cities.items() if len(found) >= 2 and pk not in supervised]
    spread += [
        pk
        for pk, found in units.items()
        if len(found) >= 2 and pk not in cities and pk not in supervised
    ]
    if not spread:
        return
    officers = {
        regulator.region.code[:4]: (regulator, regulator.members.first())
        for regulator in Organisation.objects.filter(
            kind=OrganisationType.REGULATOR, region__level="prefecture"
        ).select_related("region")
    }
    chosen = next(
        (
            (pk, city)
            for pk in spread
            for city in (cities.get(pk) or units[pk])
            if officers.get(city, (None, None))[1] is not None
        ),
        None,
    )
    if chosen is None:
        return
    subject = Organisation.objects.get(pk=chosen[0])
    regulator, officer = officers[chosen[1]]
    services.make_enterprise_action(
        kind=ActionKind.COMMENDATION,
        subject=subject,
        regulator=regulator,
        user=officer,
        decided_on=today - dt.timedelta(days=60),
        reason="该企业在省内各城市开发或参建的项目均按方案完整、及时提供和公示质量信息，予以通报表扬。",
        credit_incentive="企业信用评价加 3 分，评优评先时优先推荐。",
    )


def _seed_periods(regulator, officer, projects: list[Project], today: dt.date) -> None:
    """A local item with its effective date, and a correction of a project's start date."""
    from gongshi.catalogue.models import CatalogueItem, Category, DueStage
    from gongshi.supervision.stage_dates import correct_stage_dates

    CatalogueItem.objects.get_or_create(
        code=f"local.r{regulator.region.code}.demo_site_noise",
        defaults={
            "title": "施工噪声和扬尘监测情况",
            "title_en": "Site noise and dust monitoring",
            "category": Category.OTHER,
            "due_stage": DueStage.BEFORE_START,
            "supplier": "contractor",
            "fields": [
                {"key": "f1", "label": "监测单位", "label_en": "Monitored by", "type": "text",
                 "required": True},
                {"key": "f2", "label": "监测日期", "label_en": "Monitored on", "type": "date",
                 "required": True},
            ],
            "region": regulator.region,
            # Projects that had started before this date are not bound by it (catalogue.effective).
            "effective_from": today - dt.timedelta(days=200),
            "basis": f"{regulator.name} 地方公示清单",
            "sort_order": 1000,
        },
    )  # fmt: skip
    week = dt.timedelta(days=7)
    started = [
        p
        for p in projects
        if p.stage == Stage.UNDER_CONSTRUCTION and p.started_on and p.started_on + week <= today
    ]
    if started:
        project = started[0]
        correct_stage_dates(
            regulator,
            officer,
            project,
            reason="经核对施工许可证和开工报告，实际开工日期比建设单位填报的晚 7 天。",
            started_on=project.started_on + week,
        )


def _seed_city(regulator, officer, projects: list[Project], today: dt.date) -> None:
    # The commendation goes preferably to a developer that also builds in another city, so the
    # demo's enterprise page shows one enterprise commended in one city and supervised in another.
    elsewhere = set(
        Project.objects.exclude(region__code__startswith=regulator.region.code[:4]).values_list(
            "developer_id", flat=True
        )
    )
    finished = min(
        (p for p in projects if p.stage in (Stage.COMPLETED, Stage.HANDED_OVER)),
        key=lambda p: p.developer_id not in elsewhere,
        default=projects[0],
    )
    services.make_action(
        kind=ActionKind.COMMENDATION,
        project=finished,
        subject=finished.developer,
        regulator=regulator,
        user=officer,
        decided_on=today - dt.timedelta(days=75),
        reason="公示方案健全，六类信息公示完整、及时，售楼处公示牌与网上公示一致，分户验收汇总表逐户公开。",
        credit_incentive="企业信用评价加 2 分，优先推荐参评省级优质工程。",
    )
    building = next(
        (p for p in projects if p.stage == Stage.UNDER_CONSTRUCTION and p != finished), projects[-1]
    )
    key = services.make_action(
        kind=ActionKind.KEY_SUPERVISION,
        project=building,
        subject=building.developer,
        regulator=regulator,
        user=officer,
        decided_on=today - dt.timedelta(days=45),
        reason="主要建筑材料信息长期未更新，群众投诉公示内容与现场不符，列为重点监管项目。",
        inspection_interval_days=14,
    )
    first = Inspection.objects.get(record=key, performed_on__isnull=True)
    services.record_inspection(
        first,
        user=officer,
        performed_on=first.scheduled_on,
        findings="现场公示牌已补充钢筋、防水材料检测报告；外墙保温材料进场复验报告仍未公示，责令 7 日内补正。",
    )
    # The next inspection (scheduled 14 days later) is left unrecorded: overdue on the dashboard.
    # A penalty on the key-supervised project, under rectification: the developer has reported,
    # the regulator has yet to accept (the console's rectification page shows the form).
    penalty = services.make_action(
        kind=ActionKind.PENALTY,
        project=building,
        subject=building.developer,
        regulator=regulator,
        user=officer,
        decided_on=today - dt.timedelta(days=20),
        reason="未按公示方案公示外墙保温材料进场复验报告，经责令补正逾期仍未公示。",
        decision_number=f"{regulator.region.name[:2]}建罚字〔{today.year}〕第 {7 + len(projects)} 号",
        legal_basis="《建设工程质量管理条例》第五十六条；《住宅工程质量信息公示制度指导意见》第 4.6 条",
        content="罚款人民币五万元，责令限期补正公示并整改。",
        amount=Decimal("50000.00"),
        rectify_by=today + dt.timedelta(days=10),
    )
    developer_user = building.developer.members.first()
    if developer_user is not None:
        report_rectification(
            penalty,
            organisation=building.developer,
            user=developer_user,
            text="已公示外墙保温材料进场复验报告及见证取样记录，并在售楼处公示牌同步更新。",
        )
    contractor = (
        building.participations.filter(role=UnitRole.CONTRACTOR)
        .select_related("organisation")
        .first()
    )
    if contractor is not None:
        record = services.make_action(
            kind=ActionKind.BAD_CONDUCT,
            project=building,
            subject=contractor.organisation,
            regulator=regulator,
            user=officer,
            decided_on=today - dt.timedelta(days=30),
            reason="报送的外墙保温板检测报告编号与检测机构出具的报告不一致。",
        )
        services.change_action(
            record,
            event=RecordEvent.CORRECTED,
            regulator=regulator,
            user=officer,
            decided_on=today - dt.timedelta(days=28),
            reason="更正事由：报送的外墙保温板进场复验报告编号与检测机构出具的报告不一致，已责令重新报送。",
        )
