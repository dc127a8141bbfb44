"""The developer confirms a flagged value with a reason (workspace)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongshi.disclosures.workflow import ProjectAccess
from gongshi.projects.models import Project
from gongshi.scancheck.models import ScanFlag
from gongshi.scancheck.services import confirm as confirm_flag


@login_required
@require_POST
def confirm(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, code=code)
    access = ProjectAccess.for_user(project, request.user)
    if access is None or not access.developer:
        raise Http404
    flag = get_object_or_404(
        ScanFlag.objects.select_related("version__disclosure__item"),
        pk=pk,
        version__disclosure__project=project,
    )
    item = flag.version.disclosure.item
    target = redirect("workspace:item", code=project.code, item_code=item.code)
    reason = (request.POST.get("reason") or "").strip()
    if not reason:
        messages.error(request, _("请写明填写无误的理由，再确认。"))
        return target
    confirm_flag(flag, request.user, reason[:500])
    messages.success(request, _("已确认：%(label)s 填写无误。") % {"label": flag.field_label})
    return target
