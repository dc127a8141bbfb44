"""The rectification track of a penalty or credit record: the developer reports, the regulator accepts.

Steps (:class:`~gongshi.supervision.models.RectificationStep`) are append-only, public and
each a leaf of the publication log. They belong to the record that first made the action;
the deadline is the one of the chain's current record (a correction may move it). The state
is derived from the last step: none yet (due, or overdue after the deadline), reported
(awaiting the regulator), rejected (to be reported again) or accepted (done).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongshi.disclosures.privacy import check_free_text
from gongshi.organisations.models import Organisation
from gongshi.supervision.models import (
    ENDING_EVENTS,
    PENALTY_KINDS,
    RecordEvent,
    RectificationStep,
    RectificationStepKind,
    RegulatorRecord,
)


@dataclass(frozen=True)
class TrackState:
    code: str
    label: str
    tone: str  # ok / warn / bad, as the status badges


STATES = {
    "due": (gettext_lazy("待整改"), "warn"),
    "overdue": (gettext_lazy("逾期未报告整改"), "bad"),
    "reported": (gettext_lazy("已报告，待主管部门验收"), "warn"),
    "rejected": (gettext_lazy("验收未通过，待重新整改"), "bad"),
    "accepted": (gettext_lazy("整改验收通过"), "ok"),
}


def track_state(record: RegulatorRecord, steps: list[RectificationStep], today=None) -> TrackState:
    """The state of ``record``'s track given its steps (oldest first) and its deadline."""
    last = steps[-1].step if steps else None
    if last == RectificationStepKind.ACCEPTED:
        code = "accepted"
    elif last == RectificationStepKind.REPORTED:
        code = "reported"
    elif last == RectificationStepKind.REJECTED:
        code = "rejected"
    elif record.rectify_by and record.rectify_by < (today or timezone.localdate()):
        code = "overdue"
    else:
        code = "due"
    label, tone = STATES[code]
    return TrackState(code, str(label), tone)


def chain_current(record: RegulatorRecord) -> RegulatorRecord:
    """The latest record of ``record``'s chain (a query per correction)."""
    while (later := RegulatorRecord.objects.filter(supersedes=record).first()) is not None:
        record = later
    return record


def reporters(record: RegulatorRecord) -> list[int]:
    """Organisations that may report a record's rectification: its subject and the developer."""
    return [record.subject_id, record.project.developer_id]


def may_report(user, record: RegulatorRecord) -> bool:
    return (
        user.is_authenticated
        and Organisation.objects.filter(pk__in=reporters(record), memberships__user=user).exists()
    )


def _open_track(record: RegulatorRecord) -> tuple[RegulatorRecord, RegulatorRecord]:
    """The origin (locked) and the current record; refuses records without an open track."""
    origin = (
        RegulatorRecord.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=record.pk)
    )
    if origin.event != RecordEvent.MADE or origin.kind not in PENALTY_KINDS:
        raise ValidationError(_("只有行政处罚和信用记录有整改环节。"), code="no_track")
    current = chain_current(origin)
    if current.event in ENDING_EVENTS:
        raise ValidationError(_("该记录已撤销，不再整改。"), code="revoked")
    if not current.rectify_by:
        raise ValidationError(_("该记录没有规定整改期限，无需报告整改。"), code="no_track")
    return origin, current


def _append(origin: RegulatorRecord, **fields) -> RectificationStep:
    from gongshi.integrity.log import append_leaf

    step = RectificationStep(record=origin, project=origin.project, **fields)
    entry = append_leaf(
        "rectification",
        {
            "record_leaf": origin.leaf_index,
            "project": origin.project.code,
            "step": step.step,
            "organisation": step.organisation.credit_code,
            "text": step.text,
            "at": step.created_at.isoformat(),
        },
    )
    step.leaf_index = entry.index
    step.save()
    return step


def _clean_text(text: str, label: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写%(what)s。") % {"what": label}}, code="invalid")
    check_free_text({"text": (label, text)})  # published and never deleted
    return text


@transaction.atomic
def report_rectification(
    record: RegulatorRecord, *, organisation: Organisation, user, text: str
) -> RectificationStep:
    """The developer (or the unit the record is about) reports what it has rectified."""
    origin, _current = _open_track(record)
    if organisation.pk not in reporters(origin):
        raise ValidationError(
            _("只有被处罚单位或本项目建设单位可以报告整改情况。"), code="forbidden"
        )
    last = origin.rectification_steps.order_by("-created_at", "-pk").first()
    if last is not None and last.step == RectificationStepKind.ACCEPTED:
        raise ValidationError(_("整改已验收通过，无需再报告。"), code="accepted")
    if last is not None and last.step == RectificationStepKind.REPORTED:
        raise ValidationError(_("整改报告已提交，正等待主管部门验收。"), code="pending")
    return _append(
        origin,
        step=RectificationStepKind.REPORTED,
        text=_clean_text(text, _("整改情况")),
        organisation=organisation,
        acted_by=user,
    )


@transaction.atomic
def review_rectification(
    record: RegulatorRecord, *, regulator: Organisation, user, accepted: bool, text: str
) -> RectificationStep:
    """The regulator of the project's area accepts the reported rectification or sends it back."""
    origin, _current = _open_track(record)
    if not regulator.is_regulator or not regulator.region.contains(origin.project.region):
        raise ValidationError(_("该项目不在本部门管辖范围内。"), code="out_of_area")
    last = origin.rectification_steps.order_by("-created_at", "-pk").first()
    if last is None or last.step != RectificationStepKind.REPORTED:
        raise ValidationError(_("还没有待验收的整改报告。"), code="nothing_to_review")
    return _append(
        origin,
        step=RectificationStepKind.ACCEPTED if accepted else RectificationStepKind.REJECTED,
        text=_clean_text(text, _("验收意见")),
        organisation=regulator,
        acted_by=user,
    )


def attach_tracks(records: list[RegulatorRecord], today=None) -> list[RegulatorRecord]:
    """Give each penalty record that made an action its ``track`` (steps, deadline, state).

    ``records`` were loaded with ``prefetch_related("rectification_steps")``; the deadline is
    the latest one found in the same list along the record's chain (no extra query).
    """
    later = {r.supersedes_id: r for r in records if r.supersedes_id}
    for record in records:
        record.track = None
        if record.event != RecordEvent.MADE or record.kind not in PENALTY_KINDS:
            continue
        current = record
        while current.pk in later:
            current = later[current.pk]
        if current.event in ENDING_EVENTS or not current.rectify_by:
            continue
        steps = sorted(record.rectification_steps.all(), key=lambda s: (s.created_at, s.pk))
        record.track = {
            "steps": steps,
            "deadline": current.rectify_by,
            "state": track_state(current, steps, today),
        }
    return records
