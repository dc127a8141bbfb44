"""Project-side work of a developer: register a project, link its units, move its stage.

Called by the browser views and the API alike; the forms in ``gongshi.workspace.forms``
validate input for both, these functions apply the rules that hold whatever the door.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.core.choices import STAGE_ORDER, OrganisationType, Stage, UnitRole
from gongshi.disclosures import tallies
from gongshi.disclosures.errors import field_error
from gongshi.disclosures.workflow import ProjectAccess
from gongshi.integrity.audit import record
from gongshi.organisations.models import Organisation
from gongshi.organisations.validators import normalise_credit_code, validate_credit_code
from gongshi.projects.models import Participation, Project

PROJECT_FIELDS = [
    "name",
    "address",
    "region",
    "housing_type",
    "delivery_standard",
    "floor_area",
    "building_count",
    "household_count",
    "structure_type",
    "contract_duration_days",
]


def developer_organisations(user):
    """The developers a user may register projects for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=OrganisationType.DEVELOPER, memberships__user=user
    ).distinct()


def projects_for_user(user):
    """Projects whose developer or participating unit the user belongs to."""
    if not user.is_authenticated:
        return Project.objects.none()
    org_ids = list(user.memberships.values_list("organisation_id", flat=True))
    return (
        Project.objects.filter(
            Q(developer_id__in=org_ids) | Q(participations__organisation_id__in=org_ids)
        )
        .distinct()
        .select_related("region", "developer")
        .order_by("-created_at")
    )


def _record(action: str, user, obj, **detail) -> None:
    record(user, action, obj, **detail)


@transaction.atomic
def register_project(
    user, developer: Organisation, data: dict, *, leader_name: str, leader_title: str = ""
) -> Project:
    """A new project of ``developer``, with the developer's own project leader linked."""
    if not developer_organisations(user).filter(pk=developer.pk).exists():
        raise ValidationError(_("您不是该建设单位的成员，不能为其登记项目。"), code="not_member")
    project = Project(developer=developer, stage=Stage.NOT_STARTED, **data)
    project.full_clean()
    project.save()
    leader_name = (leader_name or "").strip()
    if not leader_name:
        raise field_error("leader_name", _("请填写建设单位项目负责人。"), "required")
    Participation.objects.create(
        project=project,
        organisation=developer,
        role=UnitRole.DEVELOPER,
        leader_name=leader_name,
        leader_title=leader_title,
    )
    _record("project.registered", user, project)
    return project


@transaction.atomic
def update_project(access: ProjectAccess, data: dict) -> Project:
    access.require_developer()
    project = Project.objects.select_for_update().get(pk=access.project.pk)
    old_region_id = project.region_id
    for name, value in data.items():
        if name not in PROJECT_FIELDS:
            raise ValidationError(_("不能修改字段“%(f)s”。") % {"f": name}, code="unknown_field")
        setattr(project, name, value)
    project.full_clean()
    project.save()
    tallies.move_project(project.pk, old_region_id, project.region_id)
    _record("project.updated", access.user, project)
    return project


@transaction.atomic
def link_unit(
    access: ProjectAccess, *, role: str, credit_code: str, leader_name: str, leader_title: str = ""
) -> Participation:
    """Link an existing organisation to the project as one of its seven units."""
    access.require_developer()
    if role not in UnitRole.values:
        raise field_error("role", _("请选择责任主体类型。"), "invalid_role")
    code = normalise_credit_code(credit_code)
    organisation = Organisation.objects.filter(credit_code=code).first()
    if organisation is None:
        try:  # a mistyped code: say what is wrong with it, not only that nobody has it
            validate_credit_code(code)
        except ValidationError as exc:
            raise field_error("credit_code", exc.messages[0], exc.code) from None
        raise field_error(
            "credit_code",
            _("平台上没有统一社会信用代码为 %(code)s 的单位，请核对代码，或在下方邀请该单位注册。")
            % {"code": code},
            "unknown_organisation",
        )
    if organisation.kind != role:
        raise field_error(
            "credit_code",
            _("%(org)s 登记为“%(kind)s”，不能作为“%(role)s”。")
            % {
                "org": organisation.name,
                "kind": organisation.get_kind_display(),
                "role": UnitRole(role).label,
            },
            "wrong_kind",
        )
    if role == UnitRole.DEVELOPER and organisation.pk != access.project.developer_id:
        raise field_error("credit_code", _("建设单位只能是登记本项目的单位。"), "wrong_developer")
    leader_name = (leader_name or "").strip()
    if not leader_name:
        raise field_error("leader_name", _("请填写该单位的项目负责人。"), "required")
    participation, created = Participation.objects.get_or_create(
        project=access.project,
        role=role,
        organisation=organisation,
        defaults={"leader_name": leader_name, "leader_title": leader_title},
    )
    if not created:
        participation.leader_name = leader_name
        participation.leader_title = leader_title
        participation.save()
    _record("project.unit_linked", access.user, participation)
    return participation


@transaction.atomic
def unlink_unit(access: ProjectAccess, participation_id: int) -> None:
    access.require_developer()
    participation = Participation.objects.filter(
        pk=participation_id, project=access.project
    ).first()
    if participation is None:
        raise Http404
    if participation.role == UnitRole.DEVELOPER:
        raise ValidationError(_("不能移除建设单位本身。"), code="developer_required")
    participation.delete()
    _record("project.unit_unlinked", access.user, access.project, role=participation.role)


def _not_future(value: dt.date | None, field: str, label: str, errors: dict) -> None:
    if value and value > timezone.localdate():
        errors[field] = _("%(label)s不能晚于今天。") % {"label": label}


@transaction.atomic
def move_stage(
    access: ProjectAccess,
    stage: str,
    *,
    started_on: dt.date | None = None,
    completion_accepted_on: dt.date | None = None,
    handed_over_on: dt.date | None = None,
) -> Project:
    """Move the project forward (未开工 → 在建 → 已竣工验收 → 已交付); never backward."""
    access.require_developer()
    project = Project.objects.select_for_update().get(pk=access.project.pk)
    if stage not in STAGE_ORDER:
        raise field_error("stage", _("请选择项目阶段。"), "invalid_stage")
    if STAGE_ORDER.index(stage) < STAGE_ORDER.index(project.stage):
        raise field_error(
            "stage",
            _("项目阶段不能倒退（当前为“%(now)s”）。") % {"now": project.get_stage_display()},
            "stage_backwards",
        )
    project.started_on = started_on or project.started_on
    project.completion_accepted_on = completion_accepted_on or project.completion_accepted_on
    project.handed_over_on = handed_over_on or project.handed_over_on
    errors: dict[str, str] = {}
    if stage != Stage.NOT_STARTED and not project.started_on:
        errors["started_on"] = _("项目开工后须填写开工日期。")
    if stage in (Stage.COMPLETED, Stage.HANDED_OVER) and not project.completion_accepted_on:
        errors["completion_accepted_on"] = _(
            "项目进入“已竣工验收”或“已交付”阶段前，须填写竣工验收合格日期。"
        )
    if stage == Stage.HANDED_OVER and not project.handed_over_on:
        errors["handed_over_on"] = _("项目交付后须填写交付日期。")
    _not_future(project.started_on, "started_on", _("开工日期"), errors)
    _not_future(
        project.completion_accepted_on, "completion_accepted_on", _("竣工验收合格日期"), errors
    )
    _not_future(project.handed_over_on, "handed_over_on", _("交付日期"), errors)
    if (
        project.handed_over_on
        and project.completion_accepted_on
        and project.handed_over_on < project.completion_accepted_on
    ):
        errors["handed_over_on"] = _("交付日期不能早于竣工验收合格日期。")
    if errors:
        raise ValidationError(errors, code="stage_dates")
    project.stage = stage
    project.full_clean()
    project.save()
    _record("project.stage_moved", access.user, project, stage=stage)
    return project
