"""Instances of a repeatable item (第 n 份): add one, rename it or change its buildings, and
declare how many the project must disclose."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongshi.disclosures import workflow
from gongshi.disclosures.models import Disclosure
from gongshi.workspace.access import _get_item_for_user, _get_project_for_user
from gongshi.workspace.views.common import require_developer
from gongshi.workspace.views.items import _field_errors, _render, item_url


@login_required
@require_POST
def add(request: HttpRequest, code: str, item_code: str) -> HttpResponse:
    """The developer adds an instance with its name and buildings, then fills it in."""
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    require_developer(access)
    try:
        disclosure = workflow.add_instance(
            access,
            item,
            label=request.POST.get("label", ""),
            buildings=request.POST.getlist("buildings"),
        )
    except ValidationError as exc:
        return _render(request, project, access, item, errors=_field_errors(exc), status=400)
    messages.success(
        request,
        _("已新增“%(title)s”，请填写内容后公示。") % {"title": disclosure.instance_title},
    )
    return redirect(item_url(project, item, disclosure.instance))


@login_required
@require_POST
def edit(request: HttpRequest, code: str, item_code: str, instance: int) -> HttpResponse:
    """Rename an instance or change the buildings it covers (until it is published)."""
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    require_developer(access)
    disclosure = Disclosure.objects.filter(project=project, item=item, instance=instance).first()
    if disclosure is None:
        raise Http404
    try:
        workflow.update_instance(
            access,
            disclosure,
            label=request.POST.get("label", ""),
            buildings=request.POST.getlist("buildings"),
        )
    except ValidationError as exc:
        return _render(
            request, project, access, item, instance, errors=_field_errors(exc), status=400
        )
    messages.success(request, _("已保存名称和涵盖楼栋。"))
    return redirect(item_url(project, item, instance))


@login_required
@require_POST
def required(request: HttpRequest, code: str, item_code: str) -> HttpResponse:
    """How many instances the project must disclose (part of the disclosure plan)."""
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    require_developer(access)
    try:
        if request.POST.get("follow_plan"):
            workflow.follow_plan(access, item)
        else:
            workflow.set_required(access, item, request.POST.get("required", ""))
    except ValidationError as exc:
        return _render(request, project, access, item, errors=_field_errors(exc), status=400)
    if request.POST.get("follow_plan"):
        messages.success(request, _("应公示份数已恢复按销售批次或楼栋计算。"))
    else:
        messages.success(request, _("已保存应公示份数。"))
    return redirect(item_url(project, item))
