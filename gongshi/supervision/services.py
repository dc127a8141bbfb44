"""Making, correcting and lifting regulators' actions; scheduling and recording inspections.

The console (HTML) and the API call these functions, so the rules hold on both doors.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.disclosures.privacy import check_free_text
from gongshi.organisations.models import Organisation
from gongshi.projects.models import Project
from gongshi.supervision.access import enterprise_projects_within
from gongshi.supervision.models import (
    ENDING_EVENTS,
    ENTERPRISE_KINDS,
    PENALTY_KINDS,
    ActionKind,
    Inspection,
    RecordEvent,
    RegulatorRecord,
)

#: The decision's particulars a penalty or credit record carries (published and logged).
PENALTY_FIELDS = (
    "decision_number",
    "issuing_authority",
    "legal_basis",
    "content",
    "amount",
    "rectify_by",
)


def _create_record(**fields) -> RegulatorRecord:
    """Create a record, appending it to the integrity log first so its leaf index is born with it."""
    record = RegulatorRecord(**fields)
    try:
        from gongshi.integrity.log import append_leaf
    except ImportError:  # pragma: no cover - the integrity app is part of every deployment
        append_leaf = None
    if append_leaf is not None:
        penalty = {}
        if record.kind in PENALTY_KINDS:
            penalty = {
                "decision_number": record.decision_number,
                "issuing_authority": record.issuing_authority,
                "legal_basis": record.legal_basis,
                "content": record.content,
                "amount": str(record.amount) if record.amount is not None else None,
                "rectify_by": record.rectify_by.isoformat() if record.rectify_by else None,
            }
        entry = append_leaf(
            "regulator_record",
            {
                "kind": record.kind,
                "event": record.event,
                "project": record.project.code if record.project_id else None,
                "subject": record.subject.credit_code,
                "regulator": record.regulator.credit_code,
                "decided_on": record.decided_on.isoformat(),
                "reason": record.reason,
                "credit_incentive": record.credit_incentive,
                "inspection_interval_days": record.inspection_interval_days,
                "supersedes_leaf": record.supersedes.leaf_index if record.supersedes_id else None,
                **penalty,
            },
        )
        record.leaf_index = entry.index
    record.save()
    return record


def _check_penalty(kind: str, regulator: Organisation, decided_on: dt.date, penalty: dict) -> dict:
    """The cleaned particulars of a penalty or credit record (empty for the other kinds)."""
    unknown = set(penalty) - set(PENALTY_FIELDS)
    if unknown:
        raise TypeError(f"unknown penalty fields: {sorted(unknown)}")
    if kind not in PENALTY_KINDS:
        if any(penalty.get(name) not in (None, "") for name in PENALTY_FIELDS):
            raise ValidationError(
                _("决定书文号、法律依据、罚款金额和整改期限只用于行政处罚和信用记录。"),
                code="invalid",
            )
        return {}
    cleaned = {
        name: (penalty.get(name) or "").strip()
        for name in ("decision_number", "issuing_authority", "legal_basis", "content")
    }
    cleaned["issuing_authority"] = cleaned["issuing_authority"] or regulator.name
    cleaned["amount"] = penalty.get("amount")
    cleaned["rectify_by"] = penalty.get("rectify_by")
    errors: dict[str, str] = {}
    if kind == ActionKind.PENALTY:
        if not cleaned["decision_number"]:
            errors["decision_number"] = _("行政处罚须填写决定书文号。")
        if not cleaned["legal_basis"]:
            errors["legal_basis"] = _("行政处罚须写明法律依据。")
        if not cleaned["content"]:
            errors["content"] = _("行政处罚须写明处罚内容。")
    if cleaned["amount"] is not None and cleaned["amount"] < 0:
        errors["amount"] = _("罚款金额不能为负数。")
    if kind == ActionKind.RECTIFICATION_ORDER and not cleaned["rectify_by"]:
        errors["rectify_by"] = _("责令整改须规定整改期限。")
    if cleaned["rectify_by"] and cleaned["rectify_by"] < decided_on:
        errors["rectify_by"] = _("整改期限不能早于决定日期。")
    if errors:
        raise ValidationError(errors, code="invalid")
    check_free_text(
        {
            "legal_basis": (_("法律依据"), cleaned["legal_basis"]),
            "content": (_("处罚或惩戒内容"), cleaned["content"]),
        }
    )
    return cleaned


def _check_common(
    *,
    regulator: Organisation,
    project: Project,
    subject: Organisation,
    decided_on: dt.date,
    reason: str,
) -> None:
    errors: dict[str, str] = {}
    if not regulator.is_regulator or not regulator.region.contains(project.region):
        raise ValidationError(_("该项目不在本部门管辖范围内。"), code="out_of_area")
    if (
        subject.pk != project.developer_id
        and not project.participations.filter(organisation=subject).exists()
    ):
        errors["subject"] = _("对象单位须为本项目的建设单位或参建单位。")
    _check_date_and_reason(errors, decided_on, reason)


def _check_date_and_reason(errors: dict[str, str], decided_on: dt.date, reason: str) -> None:
    """With ``errors`` found so far: the decision's date and reason, refused together."""
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("决定日期不能晚于今天。")
    if not (reason or "").strip():
        errors["reason"] = _("请填写事由。")
    if errors:
        raise ValidationError(errors, code="invalid")
    # The reason is published on /records/ and the project page, and records are never
    # deleted: no ID numbers or personal mobile numbers in it.
    check_free_text({"reason": (_("事由"), reason)})


@transaction.atomic
def make_action(
    *,
    kind: str,
    project: Project,
    subject: Organisation,
    regulator: Organisation,
    user,
    decided_on: dt.date,
    reason: str,
    credit_incentive: str = "",
    inspection_interval_days: int | None = None,
    **penalty,
) -> RegulatorRecord:
    """Record a new commendation, key supervision, bad-conduct, penalty or credit record.

    ``penalty`` holds the decision's particulars (:data:`PENALTY_FIELDS`) for the penalty
    kinds; they are refused on the other kinds.
    """
    _check_common(
        regulator=regulator, project=project, subject=subject, decided_on=decided_on, reason=reason
    )
    penalty = _check_penalty(kind, regulator, decided_on, penalty)
    if kind == ActionKind.KEY_SUPERVISION:
        # The project row is locked so that two regulators cannot both start one.
        Project.objects.select_for_update().filter(pk=project.pk).exists()
        if (
            RegulatorRecord.objects.in_force()
            .filter(project=project, kind=ActionKind.KEY_SUPERVISION)
            .exists()
        ):
            raise ValidationError(
                _("该项目已在重点监管中：调整检查频次请更正现有记录，结束时请解除。"),
                code="already_under_key_supervision",
            )
    if kind == ActionKind.KEY_SUPERVISION and not inspection_interval_days:
        raise ValidationError(
            {"inspection_interval_days": _("重点监管须规定检查频次（天）。")}, code="invalid"
        )
    if kind == ActionKind.COMMENDATION and not credit_incentive.strip():
        raise ValidationError(
            {"credit_incentive": _("通报表扬须写明信用激励措施。")}, code="invalid"
        )
    record = _create_record(
        kind=kind,
        event=RecordEvent.MADE,
        project=project,
        subject=subject,
        regulator=regulator,
        acted_by=user,
        decided_on=decided_on,
        reason=reason.strip(),
        credit_incentive=credit_incentive.strip(),
        inspection_interval_days=inspection_interval_days
        if kind == ActionKind.KEY_SUPERVISION
        else None,
        **penalty,
    )
    if kind == ActionKind.KEY_SUPERVISION:
        Inspection.objects.create(
            project=project,
            record=record,
            scheduled_on=decided_on + dt.timedelta(days=inspection_interval_days),
        )
    return record


def _check_enterprise(
    *, regulator: Organisation, subject: Organisation, decided_on: dt.date, reason: str
) -> None:
    """An enterprise is in a regulator's scope when it develops or takes part in a project there."""
    if (
        not regulator.is_regulator
        or not enterprise_projects_within(subject, regulator.region).exists()
    ):
        raise ValidationError(_("该企业在本部门管辖范围内没有项目。"), code="out_of_area")
    _check_date_and_reason({}, decided_on, reason)


@transaction.atomic
def make_enterprise_action(
    *,
    kind: str,
    subject: Organisation,
    regulator: Organisation,
    user,
    decided_on: dt.date,
    reason: str,
    credit_incentive: str = "",
    inspection_interval_days: int | None = None,
) -> RegulatorRecord:
    """Commend an enterprise, or put it under key supervision, as a whole (no project).

    Key supervision schedules an inspection of each of its projects in the regulator's area
    that no decision in force already has planned; each performed inspection schedules the
    next one ``inspection_interval_days`` later, while the decision is in force.
    """
    if kind not in ENTERPRISE_KINDS:
        raise ValidationError({"kind": _("企业层面只能作出通报表扬或重点监管。")}, code="invalid")
    _check_enterprise(regulator=regulator, subject=subject, decided_on=decided_on, reason=reason)
    if kind == ActionKind.KEY_SUPERVISION:
        if not inspection_interval_days:
            raise ValidationError(
                {"inspection_interval_days": _("重点监管须规定检查频次（天）。")}, code="invalid"
            )
        # The organisation row is locked so that two regulators cannot both start one.
        Organisation.objects.select_for_update().filter(pk=subject.pk).exists()
        if (
            RegulatorRecord.objects.in_force()
            .enterprise_level()
            .filter(subject=subject, kind=ActionKind.KEY_SUPERVISION)
            .exists()
        ):
            raise ValidationError(
                _("该企业已在重点监管中：调整检查频次请更正现有记录，结束时请解除。"),
                code="already_under_key_supervision",
            )
    if kind == ActionKind.COMMENDATION and not credit_incentive.strip():
        raise ValidationError(
            {"credit_incentive": _("通报表扬须写明信用激励措施。")}, code="invalid"
        )
    record = _create_record(
        kind=kind,
        event=RecordEvent.MADE,
        project=None,
        subject=subject,
        regulator=regulator,
        acted_by=user,
        decided_on=decided_on,
        reason=reason.strip(),
        credit_incentive=credit_incentive.strip(),
        inspection_interval_days=inspection_interval_days
        if kind == ActionKind.KEY_SUPERVISION
        else None,
    )
    if kind == ActionKind.KEY_SUPERVISION:
        planned = Inspection.objects.open().values("project")
        projects = enterprise_projects_within(subject, regulator.region).exclude(pk__in=planned)
        Inspection.objects.bulk_create(
            Inspection(
                project=project,
                record=record,
                scheduled_on=decided_on + dt.timedelta(days=inspection_interval_days),
            )
            for project in projects
        )
        from gongshi.public.stamps import touch_project

        touch_project(*[project.pk for project in projects])
    return record


@transaction.atomic
def change_action(
    record: RegulatorRecord,
    *,
    event: str,
    regulator: Organisation,
    user,
    decided_on: dt.date,
    reason: str,
    credit_incentive: str | None = None,
    inspection_interval_days: int | None = None,
    rectify_by: dt.date | None = None,
) -> RegulatorRecord:
    """Correct, lift or revoke an action: a new record superseding the current one.

    A revocation (撤销) says the record should not have been made; it is published with its
    reason like any other record, and ends the chain.
    """
    record = (
        RegulatorRecord.objects.select_for_update(of=("self",))
        .select_related("project__region", "subject")
        .get(pk=record.pk)
    )
    if event not in (RecordEvent.CORRECTED, RecordEvent.LIFTED, RecordEvent.REVOKED):
        raise ValidationError(_("只能更正、解除或撤销已作出的记录。"), code="invalid_event")
    if RegulatorRecord.objects.filter(supersedes=record).exists():
        raise ValidationError(_("该记录已被更正或解除，请在最新记录上操作。"), code="superseded")
    if record.event in ENDING_EVENTS:
        raise ValidationError(_("该措施已解除或撤销，不能再更改。"), code="lifted")
    if event == RecordEvent.LIFTED and record.kind in PENALTY_KINDS:
        raise ValidationError(
            _("行政处罚和信用记录不能解除：整改验收通过后记录仍公开；作出有误的请撤销。"),
            code="invalid_event",
        )
    if record.project_id is None:
        _check_enterprise(
            regulator=regulator, subject=record.subject, decided_on=decided_on, reason=reason
        )
    else:
        _check_common(
            regulator=regulator,
            project=record.project,
            subject=record.subject,
            decided_on=decided_on,
            reason=reason,
        )
    if decided_on < record.decided_on:
        raise ValidationError({"decided_on": _("决定日期不能早于原记录的日期。")}, code="invalid")
    # A correction or revocation keeps the decision's particulars; a correction may move
    # the rectification deadline.
    particulars = {name: getattr(record, name) for name in PENALTY_FIELDS}
    if rectify_by and event == RecordEvent.CORRECTED and record.kind in PENALTY_KINDS:
        if rectify_by < record.decided_on:
            raise ValidationError({"rectify_by": _("整改期限不能早于决定日期。")}, code="invalid")
        particulars["rectify_by"] = rectify_by
    interval = record.inspection_interval_days
    if (
        event == RecordEvent.CORRECTED
        and record.kind == ActionKind.KEY_SUPERVISION
        and inspection_interval_days
    ):
        interval = inspection_interval_days
    new = _create_record(
        kind=record.kind,
        event=event,
        project=record.project,
        subject=record.subject,
        regulator=regulator,
        acted_by=user,
        decided_on=decided_on,
        reason=reason.strip(),
        credit_incentive=(
            credit_incentive if credit_incentive is not None else record.credit_incentive
        ).strip(),
        inspection_interval_days=interval
        if event not in ENDING_EVENTS
        else record.inspection_interval_days,
        supersedes=record,
        **particulars,
    )
    if record.kind == ActionKind.KEY_SUPERVISION and event == RecordEvent.CORRECTED:
        # Planned inspections follow the corrected decision. After a lifting they stay, as
        # history, on the superseded record: no longer in force, so never overdue.
        planned = Inspection.objects.filter(record=record, performed_on__isnull=True)
        if interval != record.inspection_interval_days:
            # Each was scheduled one old interval after its base (the decision or the last
            # inspection); a new frequency reschedules it from the same base.
            shift = dt.timedelta(days=interval - record.inspection_interval_days)
            planned.update(scheduled_on=F("scheduled_on") + shift)
        planned.update(record=new)
    return new


@transaction.atomic
def record_inspection(
    inspection: Inspection, *, user, performed_on: dt.date, findings: str
) -> Inspection | None:
    """Record a performed inspection; schedules the next one while key supervision is in force."""
    inspection = (
        Inspection.objects.select_for_update().select_related("record").get(pk=inspection.pk)
    )
    if inspection.performed_on is not None:
        raise ValidationError(_("这次检查已经记录过了。"), code="already_recorded")
    if performed_on > timezone.localdate():
        raise ValidationError({"performed_on": _("检查日期不能晚于今天。")}, code="invalid")
    if not findings.strip():
        raise ValidationError(
            {"findings": _("请填写检查发现（没有问题也请写明）。")}, code="invalid"
        )
    inspection.performed_on = performed_on
    check_free_text({"findings": (_("检查发现"), findings)})  # published with the record
    inspection.findings = findings.strip()
    inspection.inspector = user
    inspection.save()
    in_force = RegulatorRecord.objects.in_force().filter(pk=inspection.record_id).exists()
    if in_force:
        return Inspection.objects.create(
            project=inspection.project,
            record=inspection.record,
            scheduled_on=performed_on
            + dt.timedelta(days=inspection.record.inspection_interval_days),
        )
    return None
