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
from gongshi.supervision.models import ActionKind, Inspection, RecordEvent, RegulatorRecord


def _create_record(**fields) -> RegulatorRecord:
    """Create a record, appending it to the integrity log first so its leaf index is born with it."""
    record = RegulatorRecord(**fields)
    try:
        from gongshi.integrity.log import append_leaf
    except ImportError:  # pragma: no cover - the integrity app is part of every deployment
        append_leaf = None
    if append_leaf is not None:
        entry = append_leaf(
            "regulator_record",
            {
                "kind": record.kind,
                "event": record.event,
                "project": record.project.code,
                "subject": record.subject.credit_code,
                "regulator": record.regulator.credit_code,
                "decided_on": record.decided_on.isoformat(),
                "reason": record.reason,
                "credit_incentive": record.credit_incentive,
                "inspection_interval_days": record.inspection_interval_days,
                "supersedes_leaf": record.supersedes.leaf_index if record.supersedes_id else None,
            },
        )
        record.leaf_index = entry.index
    record.save()
    return record


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
) -> RegulatorRecord:
    """Record a new commendation, key supervision or bad-conduct record."""
    _check_common(
        regulator=regulator, project=project, subject=subject, decided_on=decided_on, reason=reason
    )
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
    )
    if kind == ActionKind.KEY_SUPERVISION:
        Inspection.objects.create(
            project=project,
            record=record,
            scheduled_on=decided_on + dt.timedelta(days=inspection_interval_days),
        )
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
) -> RegulatorRecord:
    """Correct or lift an action: a new record superseding the current one."""
    record = (
        RegulatorRecord.objects.select_for_update()
        .select_related("project__region", "subject")
        .get(pk=record.pk)
    )
    if event not in (RecordEvent.CORRECTED, RecordEvent.LIFTED):
        raise ValidationError(_("只能更正或解除已作出的记录。"), code="invalid_event")
    if RegulatorRecord.objects.filter(supersedes=record).exists():
        raise ValidationError(_("该记录已被更正或解除，请在最新记录上操作。"), code="superseded")
    if record.event == RecordEvent.LIFTED:
        raise ValidationError(_("该措施已解除，不能再更正或解除。"), code="lifted")
    _check_common(
        regulator=regulator,
        project=record.project,
        subject=record.subject,
        decided_on=decided_on,
        reason=reason,
    )
    if decided_on < record.decided_on:
        raise ValidationError({"decided_on": _("决定日期不能早于原记录的日期。")}, code="invalid")
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
        if event != RecordEvent.LIFTED
        else record.inspection_interval_days,
        supersedes=record,
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
