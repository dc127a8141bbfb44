"""Excel template, export and import of an item's table fields."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongshi.catalogue.fields import FieldError, FieldValidationError, label_of
from gongshi.disclosures import workflow
from gongshi.workspace import excel
from gongshi.workspace.access import _get_item_for_user, _get_project_for_user
from gongshi.workspace.views.items import _field_errors, _instance_or_404, _render, item_url


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _table(item, request: HttpRequest) -> dict:
    try:
        return excel.table_field(item, request.GET.get("field") or request.POST.get("field"))
    except ValidationError:
        raise Http404 from None


@login_required
def template(request: HttpRequest, code: str, item_code: str, instance: int = 1) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, instance)
    definition = _table(item, request)
    return _xlsx(excel.template(definition), f"{item.title}-{label_of(definition)}-模板.xlsx")


@login_required
def export(request: HttpRequest, code: str, item_code: str, instance: int = 1) -> HttpResponse:
    """The rows of the published version (``?version=pending`` for the open one)."""
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, instance)
    definition = _table(item, request)
    if request.GET.get("version") == "pending":
        version = workflow.pending_version(project, item, instance)
    else:
        version = workflow.current_version(project, item, instance)
    if version is None:
        raise Http404
    rows = version.values.get(definition["key"]) or []
    suffix = f"v{version.number}" if version.number else _("草稿")
    return _xlsx(
        excel.export(definition, rows), f"{item.title}-{label_of(definition)}-{suffix}.xlsx"
    )


@login_required
@require_POST
def import_rows(request: HttpRequest, code: str, item_code: str, instance: int = 1) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, instance)
    definition = _table(item, request)
    upload = request.FILES.get("file")
    lock = request.POST.get("lock_version", "")
    try:
        if upload is None:
            raise ValidationError(_("请选择要导入的 Excel 文件。"), code="no_file")
        rows = excel.read_rows(definition, upload)
        workflow.replace_table(
            access,
            item,
            definition["key"],
            rows,
            lock_version=int(lock) if lock.isdigit() and int(lock) else None,
            instance=instance,
        )
    except FieldValidationError as exc:
        errors = [FieldError(definition["key"], m) for m in excel.error_report(exc)]
        return _render(request, project, access, item, instance, errors=errors, status=400)
    except ValidationError as exc:
        return _render(
            request, project, access, item, instance, errors=_field_errors(exc), status=400
        )
    messages.success(request, _("已导入 %(n)d 行，草稿已保存。") % {"n": len(rows)})
    return redirect(item_url(project, item, instance))
