"""An item of a project's checklist: fill, attach, submit, review, publish, correct, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongshi.catalogue.fields import FieldError, FieldValidationError, household_table
from gongshi.disclosures import workflow
from gongshi.disclosures.instances import instances_of, plan_required_of, required_of
from gongshi.disclosures.models import Disclosure, DisclosureVersion, VersionStatus
from gongshi.workspace.access import _get_item_for_user, _get_project_for_user
from gongshi.workspace.forms import ReasonForm, UploadForm, VersionMetaForm
from gongshi.workspace.values import bind, display_value, editable_in_browser, values_from_post
from gongshi.workspace.views.common import messages_of


def _field_errors(error: Exception) -> list[FieldError]:
    if isinstance(error, FieldValidationError):
        return error.errors
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [
            FieldError(name, message)
            for name, errors in error.error_dict.items()
            for e in errors
            for message in e.messages
        ]
    return [FieldError("", message) for message in messages_of(error)]


def _published_rows(item, version) -> list[tuple[dict, list]]:
    """A published version's values as (definition, display) pairs for a read-only view."""
    language = get_language()
    shown = []
    for definition in item.fields:
        value = version.values.get(definition["key"])
        if definition["type"] == "table":
            columns = definition["columns"]
            rows = [
                [display_value(c, r.get(c["key"]), language) for c in columns] for r in value or []
            ]
            shown.append((definition, rows))
        else:
            shown.append((definition, display_value(definition, value, language)))
    return shown


def scan_flags_for(versions) -> list:
    """What the scan cross-check flagged on these versions, with its sentence (not public)."""
    from gongshi.scancheck.models import ScanFlag
    from gongshi.scancheck.services import message

    flags = list(ScanFlag.objects.filter(version__in=versions).select_related("version"))
    for flag in flags:
        flag.message = message(flag)
    return flags


def item_url(project, item, instance: int = 1) -> str:
    """The workspace page of an item (instance 1) or of one of its instances."""
    if instance == 1:
        return reverse("workspace:item", args=[project.code, item.code])
    return reverse("workspace:instance", args=[project.code, item.code, instance])


def _instance_or_404(project, item, instance: int):
    """Instance 1 always exists (it is the item); later ones once the developer added them."""
    if (
        instance != 1
        and not Disclosure.objects.filter(project=project, item=item, instance=instance).exists()
    ):
        raise Http404


def instances_context(project, item, instance: int) -> dict:
    """A repeatable item's instances with their state, for the list above the form."""
    instances = instances_of(project, item)
    versions = {}
    for version in (
        DisclosureVersion.objects.filter(disclosure__in=instances)
        .order_by("disclosure_id", "created_at", "pk")
        .only("disclosure_id", "status", "kind", "number")
    ):
        versions.setdefault(version.disclosure_id, []).append(version)
    rows = []
    for disclosure in instances:
        own = versions.get(disclosure.pk, [])
        published = [v for v in own if v.status == VersionStatus.PUBLISHED]
        latest = max(published, key=lambda v: v.number) if published else None
        pending = next((v for v in reversed(own) if v.status != VersionStatus.PUBLISHED), None)
        rows.append(
            {
                "disclosure": disclosure,
                "url": item_url(project, item, disclosure.instance),
                "current": latest,
                "pending": pending,
                "published": bool(published),
            }
        )
    this = next((r for r in rows if r["disclosure"].instance == instance), None)
    first = next((d for d in instances if d.instance == 1), None)
    required, required_reason = required_of(project, item, first)
    return {
        "instances": rows,
        "this_instance": this,
        "buildings": list(project.buildings.all()),
        "required_instances": required,
        "required_reason": required_reason,
        "required_declared": bool(first and first.required_declared),
        "plan_required": plan_required_of(project, item)
        if first and first.required_declared
        else None,
    }


def _render(
    request: HttpRequest,
    project,
    access,
    item,
    instance: int = 1,
    *,
    values: dict | None = None,
    errors: list[FieldError] | None = None,
    meta_form: VersionMetaForm | None = None,
    extra_rows: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    pending = workflow.pending_version(project, item, instance)
    current = workflow.current_version(project, item, instance)
    history = current.disclosure.versions.published().order_by("-number") if current else []
    editable = pending is None or (
        access.owns(pending) and pending.status in workflow.EDITABLE_STATUSES
    )
    if pending is None and current is not None:
        editable = False  # a published item changes only through a correction with a reason
    if values is None:
        values = pending.values if pending is not None else {}
    in_browser = editable_in_browser(item.fields, values)
    # The household summary lists every household: say so when the count falls short.
    household_gap = None
    table = household_table(item.fields)
    if table is not None and project.household_count:
        rows = len(values.get(table["key"]) or [])
        if rows != project.household_count:
            household_gap = {"rows": rows, "registered": project.household_count}
    if meta_form is None:
        meta_form = VersionMetaForm(
            initial={
                "information_date": pending.information_date if pending else None,
                "reason": pending.reason if pending else "",
                "lock_version": pending.lock_version if pending else 0,
            }
        )
    context = {
        "project": project,
        "access": access,
        "item": item,
        "instance": instance,
        "item_url": item_url(project, item, instance),
        **(instances_context(project, item, instance) if item.repeatable else {}),
        "pending": pending,
        "current": current,
        "current_rows": _published_rows(item, current) if current else [],
        # What a reviewer (or a unit waiting for review) reads of a version it cannot edit.
        "pending_rows": _published_rows(item, pending) if pending and not editable else [],
        "history": history,
        "editable": editable,
        "in_browser": in_browser,
        "bound": bind(
            item.fields,
            values,
            errors,
            extra_rows=extra_rows if in_browser else None,
            language=get_language(),
            with_rows=in_browser,
        ),
        "errors": errors or [],
        "meta_form": meta_form,
        "reason_form": ReasonForm(),
        "can_review": access.developer
        and pending is not None
        and (
            pending.status == VersionStatus.SUBMITTED
            or (pending.supplied_by_id == project.developer_id and editable)
        ),
        "is_developer_item": access.developer and item.supplier not in access.unit_orgs,
        "has_table": item.has_table,
        "household_gap": household_gap,
        "table_fields": [f for f in item.fields if f["type"] == "table"],
        "scan_flags": scan_flags_for([v for v in (pending, current) if v is not None]),
    }
    return render(request, "workspace/item.html", context, status=status)


@login_required
def item_detail(request: HttpRequest, code: str, item_code: str, instance: int = 1) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, instance)
    if request.method != "POST":
        return _render(request, project, access, item, instance)

    action = request.POST.get("action", "save")
    stored = workflow.pending_version(project, item, instance)
    values = values_from_post(item.fields, request.POST, stored.values if stored else {})
    meta_form = VersionMetaForm(request.POST)
    if action.startswith("add_row:") or action.startswith("remove_row:"):
        # Change the rows shown, write nothing: the person saves when done.
        extra: dict[str, int] = {}
        parts = action.split(":")
        if parts[0] == "add_row":
            extra[parts[1]] = 1
        elif len(parts) == 3 and isinstance(values.get(parts[1]), list):
            rows = values[parts[1]]
            index = int(parts[2]) - 1 if parts[2].isdigit() else -1
            if 0 <= index < len(rows):
                rows.pop(index)
        meta_form.is_valid()
        return _render(
            request,
            project,
            access,
            item,
            instance,
            values=values,
            meta_form=meta_form,
            extra_rows=extra,
        )
    if not meta_form.is_valid():
        errors = [FieldError(name, m) for name, ms in meta_form.errors.items() for m in ms]
        return _render(
            request,
            project,
            access,
            item,
            instance,
            values=values,
            errors=errors,
            meta_form=meta_form,
            status=400,
        )
    meta = meta_form.cleaned_data
    try:
        # One transaction: values that are refused leave no empty draft behind (which would
        # make the corrected resubmission look like someone else's concurrent edit).
        with transaction.atomic():
            version, created = workflow.ensure_version(
                access, item, reason=meta["reason"], instance=instance
            )
            if not created and meta["lock_version"] == 0:
                # The form was opened before anyone had started this item; someone has since.
                raise ValidationError(
                    _("在您填写期间，已有人开始填报此事项，您的修改没有保存。请刷新页面后再修改。"),
                    code="stale_version",
                )
            lock = version.lock_version if created else meta["lock_version"]
            version = workflow.save_draft(
                access,
                version,
                lock_version=lock,
                values=values,
                information_date=meta["information_date"],
                reason=meta["reason"] if version.kind != "publication" else None,
            )
    except (ValidationError, FieldValidationError) as exc:
        return _render(
            request,
            project,
            access,
            item,
            instance,
            values=values,
            errors=_field_errors(exc),
            meta_form=meta_form,
            status=400,
        )
    try:
        if action == "submit":
            workflow.submit(access, version, lock_version=version.lock_version)
            messages.success(request, _("已提交建设单位审核。"))
        elif action == "publish":
            workflow.approve(access, version, lock_version=version.lock_version)
            messages.success(request, _("已公示。"))
        else:
            messages.success(request, _("草稿已保存。"))
    except (ValidationError, FieldValidationError) as exc:
        messages.info(request, _("草稿已保存，但尚不能提交或公示："))
        return _render(
            request, project, access, item, instance, errors=_field_errors(exc), status=400
        )
    return redirect(item_url(project, item, instance))


def _lock(request: HttpRequest) -> int | None:
    value = request.POST.get("lock_version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def item_files(request: HttpRequest, code: str, item_code: str, instance: int = 1) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, instance)
    form = UploadForm(request.POST)
    form.is_valid()
    uploads = request.FILES.getlist("files")
    try:
        if not uploads:
            raise ValidationError(_("请选择要上传的文件（PDF、JPG 或 PNG）。"), code="no_files")
        with transaction.atomic():  # a refused file leaves no empty draft behind
            version, created = workflow.ensure_version(access, item, instance=instance)
            lock = version.lock_version if created else _lock(request)
            workflow.add_files(access, version, uploads, lock_version=lock)
    except ValidationError as exc:
        return _render(
            request, project, access, item, instance, errors=_field_errors(exc), status=400
        )
    messages.success(request, _("已上传 %(n)d 个文件。") % {"n": len(uploads)})
    return redirect(item_url(project, item, instance))


@login_required
@require_POST
def item_file_remove(
    request: HttpRequest, code: str, item_code: str, pk: int, instance: int = 1
) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, instance)
    version = workflow.pending_version(project, item, instance)
    if version is None:
        return _render(
            request,
            project,
            access,
            item,
            instance,
            errors=[FieldError("", _("没有可修改的版本。"))],
            status=400,
        )
    try:
        workflow.remove_file(access, version, pk, lock_version=_lock(request))
    except ValidationError as exc:
        return _render(
            request, project, access, item, instance, errors=_field_errors(exc), status=400
        )
    messages.success(request, _("附件已删除。"))
    return redirect(item_url(project, item, instance))


@login_required
@require_POST
def item_review(request: HttpRequest, code: str, item_code: str, instance: int = 1) -> HttpResponse:
    """The developer accepts (publishes) or sends back the open version."""
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, instance)
    version = workflow.pending_version(project, item, instance)
    try:
        if version is None:
            raise ValidationError(_("此事项没有待审核的版本。"), code="nothing_to_review")
        if request.POST.get("action") == "return":
            workflow.send_back(
                access, version, request.POST.get("reason", ""), lock_version=_lock(request)
            )
            messages.success(request, _("已退回填报单位，对方可看到退回原因。"))
        else:
            workflow.approve(access, version, lock_version=_lock(request))
            messages.success(request, _("已审核通过并公示。"))
    except (ValidationError, FieldValidationError) as exc:
        return _render(
            request, project, access, item, instance, errors=_field_errors(exc), status=400
        )
    return redirect(item_url(project, item, instance))


@login_required
@require_POST
def item_correct(
    request: HttpRequest, code: str, item_code: str, instance: int = 1
) -> HttpResponse:
    """Start a correction: a new draft version with a required reason."""
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, instance)
    try:
        if workflow.current_version(project, item, instance) is None:
            raise ValidationError(
                _("此事项尚未公示，无需更正，直接填写即可。"), code="nothing_to_correct"
            )
        version, created = workflow.ensure_version(
            access, item, reason=request.POST.get("reason", ""), instance=instance
        )
    except ValidationError as exc:
        return _render(
            request, project, access, item, instance, errors=_field_errors(exc), status=400
        )
    if created:
        messages.success(request, _("已创建更正稿，修改后公示即发布新版本，原版本保留可查。"))
    return redirect(item_url(project, item, instance))


def _publish_with_reason(
    request, code: str, item_code: str, action, done: str, instance: int = 1
) -> HttpResponse:
    """Withdraw, or declare not applicable: a public version that is only its reason."""
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, instance)
    try:
        if action is workflow.withdraw:
            action(access, item, request.POST.get("reason", ""), instance=instance)
        else:
            action(access, item, request.POST.get("reason", ""))
    except ValidationError as exc:
        return _render(
            request, project, access, item, instance, errors=_field_errors(exc), status=400
        )
    messages.success(request, done)
    return redirect(item_url(project, item, instance))


@login_required
@require_POST
def item_withdraw(
    request: HttpRequest, code: str, item_code: str, instance: int = 1
) -> HttpResponse:
    return _publish_with_reason(
        request,
        code,
        item_code,
        workflow.withdraw,
        _("已撤回，撤回记录和原因向公众公开。"),
        instance,
    )


@login_required
@require_POST
def item_inapplicable(
    request: HttpRequest, code: str, item_code: str, instance: int = 1
) -> HttpResponse:
    return _publish_with_reason(
        request,
        code,
        item_code,
        workflow.declare_inapplicable,
        _("已声明不适用，声明和原因向公众公开。"),
        instance,
    )


@login_required
@require_POST
def item_discard(
    request: HttpRequest, code: str, item_code: str, instance: int = 1
) -> HttpResponse:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, instance)
    version = workflow.pending_version(project, item, instance)
    try:
        if version is None:
            raise ValidationError(_("没有可删除的草稿。"), code="no_draft")
        workflow.discard(access, version, lock_version=_lock(request))
    except ValidationError as exc:
        return _render(
            request, project, access, item, instance, errors=_field_errors(exc), status=400
        )
    messages.success(request, _("草稿已删除。"))
    return redirect(item_url(project, item, instance))
