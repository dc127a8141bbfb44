"""The project's buildings (楼栋): the list with a form to add or change one, an Excel
template and an import that writes nothing unless every row is sound."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongshi.catalogue.fields import FieldValidationError
from gongshi.projects.models import Building
from gongshi.workspace import buildings as rules
from gongshi.workspace import excel
from gongshi.workspace.access import _get_project_for_user
from gongshi.workspace.views.common import messages_of, require_developer

FIELDS = [(c["key"], c["label"], c.get("required", False)) for c in rules.BUILDING_TABLE["columns"]]


def _page(request, project, *, errors=(), data=None, editing=None, status=200) -> HttpResponse:
    buildings = list(project.buildings.all())
    frozen = rules.published_building_ids(project)
    context = {
        "project": project,
        "buildings": [(b, b.pk in frozen) for b in buildings],
        "fields": FIELDS,
        "data": data or {},
        "editing": editing,
        "errors": list(errors),
    }
    return render(request, "workspace/buildings.html", context, status=status)


@login_required
def buildings(request: HttpRequest, code: str) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    require_developer(access)
    editing = None
    if pk := (request.POST.get("building") or request.GET.get("edit") or "").strip():
        editing = get_object_or_404(Building, project=project, pk=pk if pk.isdigit() else 0)
    if request.method != "POST":
        data = {}
        if editing is not None:
            data = {key: getattr(editing, key) for key, _label, _req in FIELDS}
            data = {k: ("" if v is None else v) for k, v in data.items()}
        return _page(request, project, data=data, editing=editing)
    data = {key: request.POST.get(key, "") for key, _label, _req in FIELDS}
    try:
        saved = rules.save_building(access, data, editing)
    except (ValidationError, FieldValidationError) as exc:
        return _page(
            request, project, errors=messages_of(exc), data=data, editing=editing, status=400
        )
    messages.success(request, _("已保存楼栋“%(name)s”。") % {"name": saved.name})
    return redirect("workspace:buildings", code=project.code)


@login_required
@require_POST
def remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    require_developer(access)
    building = get_object_or_404(Building, project=project, pk=pk)
    try:
        rules.remove_building(access, building)
    except ValidationError as exc:
        return _page(request, project, errors=messages_of(exc), status=400)
    messages.success(request, _("已删除楼栋“%(name)s”。") % {"name": building.name})
    return redirect("workspace:buildings", code=project.code)


@login_required
def template(request: HttpRequest, code: str) -> HttpResponse:
    """The sheet to fill in; with ``?filled=1`` the buildings already declared."""
    project, access = _get_project_for_user(request, code)
    require_developer(access)
    data = rules.export(project) if request.GET.get("filled") else rules.template()
    response = HttpResponse(data, content_type=excel.XLSX_CONTENT_TYPE)
    name = f"{project.name}-楼栋.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def import_rows(request: HttpRequest, code: str) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    require_developer(access)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("请选择要导入的 Excel 文件。"), code="no_file")
        added, updated = rules.import_buildings(access, upload)
    except FieldValidationError as exc:
        return _page(request, project, errors=excel.error_report(exc), status=400)
    except ValidationError as exc:
        return _page(request, project, errors=messages_of(exc), status=400)
    messages.success(
        request,
        _("已导入：新增 %(added)d 栋，更新 %(updated)d 栋。")
        % {"added": added, "updated": updated},
    )
    return redirect("workspace:buildings", code=project.code)
