"""Writing and publishing the disclosure plan (公示方案, §5.1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.disclosures.errors import field_error
from gongshi.disclosures.privacy import check_free_text
from gongshi.disclosures.workflow import ProjectAccess
from gongshi.integrity.audit import record
from gongshi.workspace.models import (
    OFFLINE_PLACES,
    PLAN_FIELDS,
    PLAN_TEXT_FIELDS,
    DisclosurePlan,
    PlanChannel,
    current_plan,
)


def draft_plan(project) -> DisclosurePlan | None:
    return project.disclosure_plans.drafts().first()


@transaction.atomic
def save_plan(access: ProjectAccess, data: dict) -> DisclosurePlan:
    """Save the plan's draft (created from the published plan, or empty, when there is none)."""
    access.require_developer()
    unknown = [c for c in data.get("channels", []) if c not in PlanChannel.values]
    if unknown:
        raise field_error(
            "channels", _("公示渠道“%(c)s”无效。") % {"c": unknown[0]}, "invalid_channel"
        )
    plan = draft_plan(access.project)
    if plan is None:
        plan = DisclosurePlan(project=access.project, created_by=access.user)
        if published := current_plan(access.project):
            for name in PLAN_FIELDS:
                setattr(plan, name, getattr(published, name))
    for name in PLAN_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    plan.full_clean(exclude=["project", "created_by"])
    plan.save()
    return plan


@transaction.atomic
def publish_plan(access: ProjectAccess) -> DisclosurePlan:
    """Publish the draft plan; it becomes the project's plan and is never changed again."""
    access.require_developer()
    plan = draft_plan(access.project)
    if plan is None:
        raise ValidationError(_("没有待发布的公示方案草稿，请先填写并保存。"), code="no_draft")
    if not plan.channels:
        raise field_error("channels", _("请至少选择一个公示渠道。"), "required")
    if not OFFLINE_PLACES & set(plan.channels):
        raise field_error(
            "channels",
            _(
                "公示须线上线下结合：请选择售楼处（没有售楼处的选施工现场）作为张贴原件扫描件的地点。"
            ),
            "offline_required",
        )
    for name, message in (
        ("method", _("请填写公示方式。")),
        ("regime", _("请填写公示制度。")),
    ):
        if not getattr(plan, name).strip():
            raise field_error(name, message, "required")
    labels = {
        f.name: str(f.verbose_name)
        for f in DisclosurePlan._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    check_free_text({name: (labels[name], getattr(plan, name)) for name in PLAN_TEXT_FIELDS})
    plan.published_at = timezone.now()
    plan.published_by = access.user
    plan.save()
    record(access.user, "plan.published", plan, project=access.project.code)
    return plan
