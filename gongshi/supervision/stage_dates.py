"""A regulator corrects a project's stage dates (阶段日期更正), with a public reason.

The correction is an event: a logged leaf (``stage_correction``) and a public
:class:`~gongshi.projects.models.StageCorrection` row; the project row takes the corrected
stage and dates. Nothing else is rewritten, because nothing stored depends on the dates:
due items, local-item exemptions, the online and warranty periods and the dashboard's
worklists are derived from the project row at read time, and a publication's timeliness
counts from its own information date (so ``Disclosure.first_timeliness_days`` and the
tallies stay what ``gongshi recount`` finds).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.core.choices import STAGE_ORDER, Stage
from gongshi.disclosures.privacy import check_free_text
from gongshi.integrity.log import append_leaf
from gongshi.organisations.models import Organisation
from gongshi.projects.models import Project, StageCorrection

FIELDS = ("stage", "started_on", "completion_accepted_on", "handed_over_on")


def _snapshot(project: Project) -> dict:
    return {
        "stage": project.stage,
        **{
            name: getattr(project, name).isoformat() if getattr(project, name) else None
            for name in FIELDS[1:]
        },
    }


def _check(after: dict) -> None:
    errors: dict[str, str] = {}
    stage = after["stage"]
    dates = {n: dt.date.fromisoformat(after[n]) if after[n] else None for n in FIELDS[1:]}
    if stage not in STAGE_ORDER:
        errors["stage"] = _("请选择项目阶段。")
    elif stage != Stage.NOT_STARTED and not dates["started_on"]:
        errors["started_on"] = _("项目开工后须填写开工日期。")
    if stage in (Stage.COMPLETED, Stage.HANDED_OVER) and not dates["completion_accepted_on"]:
        errors["completion_accepted_on"] = _(
            "项目进入“已竣工验收”或“已交付”阶段前，须填写竣工验收合格日期。"
        )
    if stage == Stage.HANDED_OVER and not dates["handed_over_on"]:
        errors["handed_over_on"] = _("项目交付后须填写交付日期。")
    today = timezone.localdate()
    for name, value in dates.items():
        if value and value > today:
            errors[name] = _("日期不能晚于今天。")
    started, accepted, handed = (dates[n] for n in FIELDS[1:])
    if started and accepted and accepted < started:
        errors["completion_accepted_on"] = _("竣工验收合格日期不能早于开工日期。")
    if accepted and handed and handed < accepted:
        errors["handed_over_on"] = _("交付日期不能早于竣工验收合格日期。")
    if errors:
        raise ValidationError(errors, code="stage_dates")


@transaction.atomic
def correct_stage_dates(
    regulator: Organisation, user, project: Project, *, reason: str, **changes
) -> StageCorrection:
    """Correct ``project``'s stage and dates (only those given change; ``None`` clears a date).

    The caller has checked that the project is in ``regulator``'s area (supervision.access).
    """
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError(_("只能更正项目阶段、开工日期、竣工验收合格日期和交付日期。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明更正原因（将与更正一起公开）。")})
    check_free_text({"reason": (_("更正原因"), reason)})
    project = Project.objects.select_for_update().get(pk=project.pk)
    before = _snapshot(project)
    after = dict(before)
    for name, value in changes.items():
        if name == "stage":
            after[name] = value
        else:
            after[name] = value.isoformat() if isinstance(value, dt.date) else (value or None)
    _check(after)
    if after == before:
        raise ValidationError(_("更正后的阶段和日期与现在相同，没有需要更正的内容。"))
    entry = append_leaf(
        "stage_correction",
        StageCorrection.payload_for(project.code, regulator.credit_code, reason, before, after),
    )
    project.stage = after["stage"]
    for name in FIELDS[1:]:
        setattr(project, name, dt.date.fromisoformat(after[name]) if after[name] else None)
    project.full_clean()
    project.save()  # bumps the page stamp (public.stamps)
    return StageCorrection.objects.create(
        project=project,
        regulator=regulator,
        acted_by=user,
        reason=reason,
        before=before,
        after=after,
        leaf_index=entry.index,
    )
