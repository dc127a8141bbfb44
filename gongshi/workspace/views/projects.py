"""Project pages of the workspace: my projects, register, checklist, units, stage, plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongshi.core.choices import UnitRole
from gongshi.disclosures.checklist import checklists_for, project_checklist
from gongshi.organisations.models import Organisation, RegistrationStatus
from gongshi.registrations import invitations
from gongshi.registrations.forms import InvitationForm
from gongshi.workspace import plans
from gongshi.workspace import projects as project_rules
from gongshi.workspace.access import _get_project_for_user
from gongshi.workspace.forms import (
    PlanForm,
    ProjectForm,
    RegisterProjectForm,
    StageForm,
    UnitForm,
    apply_errors,
)
from gongshi.workspace.models import current_plan
from gongshi.workspace.views.common import messages_of, require_developer


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The signed-in user's work: projects for developers and units; regulators and
    administrators are sent to theirs (the header's 工作台 link and sign-in lead here)."""
    from gongshi.organisations.regulators import regulator_for

    if regulator_for(request.user) is not None:
        return redirect("supervision:dashboard")
    if request.user.is_superuser:
        return redirect("admin:index")
    projects = list(project_rules.projects_for_user(request.user))
    checklists = checklists_for(projects)
    rows = [(p, checklists[p.pk]) for p in projects]
    can_register = project_rules.developer_organisations(request.user).exists()
    # Social supervisors (often with no organisation) find their open days here.
    supervising = request.user.supervised_open_days.select_related("open_day__project").order_by(
        "-open_day__date"
    )
    unapproved = Organisation.objects.filter(memberships__user=request.user).exclude(
        registration_status=RegistrationStatus.APPROVED
    )
    return render(
        request,
        "workspace/index.html",
        {
            "rows": rows,
            "can_register": can_register,
            "supervising": list(supervising),
            "unapproved": list(unapproved),
        },
    )


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    if not project_rules.developer_organisations(request.user).exists():
        raise PermissionDenied  # only a developer's staff register projects
    form = RegisterProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = project_rules.register_project(
                request.user,
                form.cleaned_data["developer"],
                form.project_data(),
                leader_name=form.cleaned_data["leader_name"],
                leader_title=form.cleaned_data["leader_title"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("项目已登记。下一步：关联参建单位并填写公示方案。"))
            return redirect("workspace:units", code=project.code)
    return render(request, "workspace/project_form.html", {"form": form, "project": None})


@login_required
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The checklist: every due item, its state, completeness and timeliness."""
    project, access = _get_project_for_user(request, code)
    # ?all=1 also lists items not yet due at this stage, so they can be published early.
    show_all = request.GET.get("all") == "1"
    checklist = project_checklist(project, include_not_due=show_all)
    categories = []
    for category, entries in checklist.by_category():
        mine = [e for e in entries if access.can_see(e.item)]
        if mine:
            categories.append((category, mine, checklist.category_completeness(category)))
    return render(
        request,
        "workspace/project.html",
        {
            "project": project,
            "access": access,
            "checklist": checklist,
            "categories": categories,
            "show_all": show_all,
            "completeness_percent": round(checklist.completeness * 100),
            "plan": current_plan(project),
            "participations": project.participations.select_related("organisation"),
        },
    )


@login_required
def project_edit(request: HttpRequest, code: str) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    require_developer(access)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            project_rules.update_project(
                access, {name: form.cleaned_data[name] for name in project_rules.PROJECT_FIELDS}
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("项目信息已保存。"))
            return redirect("workspace:project", code=project.code)
    return render(request, "workspace/project_form.html", {"form": form, "project": project})


@login_required
def units(request: HttpRequest, code: str) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    require_developer(access)
    inviting = request.method == "POST" and request.POST.get("action") == "invite"
    form = UnitForm(request.POST if request.method == "POST" and not inviting else None)
    invite_form = InvitationForm(request.POST if inviting else None, prefix="invite")
    if request.method == "POST" and not inviting and form.is_valid():
        try:
            project_rules.link_unit(access, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("参建单位已关联。"))
            return redirect("workspace:units", code=project.code)
    if inviting and invite_form.is_valid():
        try:
            invitations.invite(project, request.user, **invite_form.cleaned_data)
        except ValidationError as exc:
            apply_errors(invite_form, exc)
        else:
            messages.success(
                request,
                _("已向 %(email)s 发送注册邀请；该单位注册经审核通过后自动关联到本项目。")
                % {"email": invite_form.cleaned_data["email"]},
            )
            return redirect("workspace:units", code=project.code)
    participations = project.participations.select_related("organisation")
    linked = {p.role for p in participations}
    missing = [label for value, label in UnitRole.choices if value not in linked]
    return render(
        request,
        "workspace/units.html",
        {
            "project": project,
            "form": form,
            "invite_form": invite_form,
            "invitations": project.invitations.filter(accepted_at__isnull=True),
            "participations": participations,
            "missing": missing,
        },
    )


@login_required
@require_POST
def unit_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    require_developer(access)
    try:
        project_rules.unlink_unit(access, pk)
    except ValidationError as exc:
        for message in messages_of(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已移除该参建单位。"))
    return redirect("workspace:units", code=project.code)


@login_required
def stage(request: HttpRequest, code: str) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    require_developer(access)
    initial = {
        "stage": project.stage,
        "started_on": project.started_on,
        "completion_accepted_on": project.completion_accepted_on,
        "handed_over_on": project.handed_over_on,
    }
    form = StageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project_rules.move_stage(access, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("项目阶段已更新，公示清单已随阶段调整。"))
            return redirect("workspace:project", code=project.code)
    return render(request, "workspace/stage.html", {"project": project, "form": form})


@login_required
def plan(request: HttpRequest, code: str) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    require_developer(access)
    draft = plans.draft_plan(project)
    published = current_plan(project)
    form = PlanForm(request.POST or None, instance=draft or published)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in plans.PLAN_FIELDS}
        try:
            plans.save_plan(access, data)
            if request.POST.get("action") == "publish":
                plans.publish_plan(access)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if request.POST.get("action") == "publish":
                messages.success(request, _("公示方案已发布。"))
            else:
                messages.success(request, _("公示方案草稿已保存，发布后公众可见。"))
            return redirect("workspace:plan", code=project.code)
    return render(
        request,
        "workspace/plan.html",
        {"project": project, "form": form, "draft": draft, "published": published},
    )
