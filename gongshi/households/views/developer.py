"""The developer's pages: flats, each flat's archive, the owners' problems, sample flats.

Every view answers 404 to people not linked to the project and 403 to its participating
units (:func:`gongshi.households.access.developer_project`).
"""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gongshi.catalogue.fields import FieldValidationError
from gongshi.households import archive as archive_rules
from gongshi.households import flats as flat_rules
from gongshi.households import owners, samples, sheets
from gongshi.households.access import archive_of, developer_project
from gongshi.households.forms import (
    AnswerForm,
    GenerateForm,
    ImportForm,
    MeasurementForm,
    OwnerForm,
    PhotoForm,
    RoomForm,
    SampleForm,
    SheetsForm,
    apply_errors,
)
from gongshi.households.models import (
    FlatArchive,
    InspectionProblem,
    ProblemStatus,
    SampleFlat,
    SheetsExport,
)
from gongshi.households.tasks import render_sheets_export
from gongshi.workspace.excel import XLSX_CONTENT_TYPE, error_report


def _flats_context(project) -> dict:
    archives = (
        FlatArchive.objects.filter(project=project)
        .select_related("flat__building")
        .annotate(
            measured=Count("measurements", distinct=True),
            waiting=Count(
                "problems",
                filter=Q(problems__status__in=[ProblemStatus.OPEN, ProblemStatus.REOPENED]),
                distinct=True,
            ),
        )
        .order_by(
            "flat__building__position",
            "flat__building_id",
            "flat__unit",
            "flat__floor",
            "flat__number",
        )
    )
    exports = SheetsExport.objects.filter(project=project).select_related("building")[:5]
    return {
        "project": project,
        "archives": archives,
        "buildings": project.buildings.all(),
        "exports": exports,
    }


@login_required
@require_http_methods(["GET", "POST"])
def flat_list(request: HttpRequest, code: str) -> HttpResponse:
    """The project's flats; generate a building's flats from units × floors × flats a floor."""
    project, _access = developer_project(request.user, code)
    form = GenerateForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            created = flat_rules.generate_flats(
                form.cleaned_data["building"],
                floors_from=form.cleaned_data["floors_from"],
                floors_to=form.cleaned_data["floors_to"],
                per_floor=form.cleaned_data["per_floor"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("已添加 %(n)d 户。", "已添加 %(n)d 户。", len(created))
                % {"n": len(created)},
            )
            return redirect("households:dev_flats", code)
    context = _flats_context(project)
    context.update(
        form=form,
        import_form=ImportForm(),
        sheets_form=SheetsForm(project=project),
        waiting=InspectionProblem.objects.filter(
            archive__project=project, status__in=[ProblemStatus.OPEN, ProblemStatus.REOPENED]
        ).count(),
    )
    return render(request, "households/dev_flats.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def flat_import(request: HttpRequest, code: str) -> HttpResponse:
    project, _access = developer_project(request.user, code)
    form = ImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        try:
            created = flat_rules.import_flats(project, form.cleaned_data["file"])
        except FieldValidationError as exc:
            errors = error_report(exc)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已导入 %(n)d 户。") % {"n": len(created)})
            return redirect("households:dev_flats", code)
    context = _flats_context(project)
    context.update(
        form=GenerateForm(project=project),
        import_form=form,
        import_errors=errors,
        sheets_form=SheetsForm(project=project),
    )
    return render(request, "households/dev_flats.html", context, status=400)


@login_required
@require_safe
def flat_template(request: HttpRequest, code: str) -> HttpResponse:
    developer_project(request.user, code)
    response = HttpResponse(flat_rules.import_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="flats.xlsx"'
    return response


@login_required
@require_safe
def flat_sheets(request: HttpRequest, code: str) -> HttpResponse:
    """The batch of archive sheets (one page per flat) for the handover folders."""
    project, _access = developer_project(request.user, code)
    form = SheetsForm({"size": "A4", **request.GET.dict()}, project=project)
    if not form.is_valid():
        return HttpResponse(
            _("请选择楼栋和纸张（A4 或 A5），例如 ?size=A5。"),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    archives = sheets.archives_for_sheets(project, form.cleaned_data["building"])
    count = archives.count()
    if count > sheets.MAX_SHEETS:
        # Back to the flats page with the form, what to do, and the offer to render the whole
        # selection in the background (the developer's browser shows a page, not an error).
        form.add_error(
            "building",
            _(
                "所选范围共 %(count)d 户，一次最多直接打印 %(max)d 户：请按楼栋分别打印，"
                "或在下方后台生成全部 %(count)d 户。"
            )
            % {"count": count, "max": sheets.MAX_SHEETS},
        )
        context = _flats_context(project)
        context.update(
            form=GenerateForm(project=project),
            import_form=ImportForm(),
            sheets_form=form,
            background={"count": count, **form.cleaned_data},
        )
        return render(request, "households/dev_flats.html", context, status=400)
    # Rendered part by part into a file on disk and streamed from there (a big batch is
    # never held in memory whole).
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    try:
        sheets.write_sheets_pdf(
            project, archives, out, form.cleaned_data["size"], limit=sheets.MAX_SHEETS
        )
        out.seek(0)
    except BaseException:
        out.close()
        raise
    response = FileResponse(
        out,
        content_type="application/pdf",
        filename=f"gongshi-{project.code}-flats-{form.cleaned_data['size']}.pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def flat_sheets_export(request: HttpRequest, code: str) -> HttpResponse:
    """Ask the task worker for the sheets of a selection of any size (one file when done)."""
    project, _access = developer_project(request.user, code)
    form = SheetsForm(request.POST, project=project)
    if not form.is_valid():
        return HttpResponse(
            _("请选择楼栋和纸张（A4 或 A5）后再生成。"),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    building, size = form.cleaned_data["building"], form.cleaned_data["size"]
    asked = SheetsExport.objects.filter(
        project=project, building=building, size=size, finished_at=None
    ).first()
    if asked is not None and asked.in_flight:
        messages.info(request, _("这批档案页已在后台生成中，完成后在此下载。"))
        return redirect(reverse("households:dev_flats", args=[project.code]) + "#exports")
    count = sheets.archives_for_sheets(project, building).count()
    if not count:
        return HttpResponse(
            _("所选楼栋还没有房屋：请先生成或导入房屋。"),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    with transaction.atomic():
        export = SheetsExport.objects.create(
            project=project,
            building=building,
            size=size,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            requested_by=request.user,
            flats=count,
        )
        transaction.on_commit(lambda: render_sheets_export.enqueue(export.pk))
    messages.success(
        request,
        ngettext(
            "已开始在后台生成 %(count)d 户的档案页，完成后在此下载。",
            "已开始在后台生成 %(count)d 户的档案页，完成后在此下载。",
            count,
        )
        % {"count": count},
    )
    return redirect(reverse("households:dev_flats", args=[project.code]) + "#exports")


@login_required
@require_safe
def flat_sheets_download(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A finished background export's PDF, streamed from storage."""
    project, _access = developer_project(request.user, code)
    export = get_object_or_404(SheetsExport, pk=pk, project=project)
    if export.state != "done":
        return redirect(reverse("households:dev_flats", args=[project.code]) + "#exports")
    response = FileResponse(
        default_storage.open(export.storage_name, "rb"),
        content_type="application/pdf",
        filename=f"gongshi-{project.code}-flats-{export.size}-{export.pk}.pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


FORMS = {
    "measurement": MeasurementForm,
    "photo": PhotoForm,
    "owner": OwnerForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def flat_detail(request: HttpRequest, code: str, flat: str) -> HttpResponse:
    """One flat's archive: measured data, photos, the owner, publishing, problems."""
    project, _access = developer_project(request.user, code)
    archive = archive_of(project, flat)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        "measurement": MeasurementForm(),
        "photo": PhotoForm(),
        "owner": OwnerForm(
            initial={
                "owner_name": archive.owner_name,
                "owner_phone": archive.owner_phone,
                "contract_number": archive.contract_number,
            }
        ),
    }
    if action in FORMS:
        form = forms[action] = FORMS[action](request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "measurement":
                    archive_rules.add_measurement(archive, **data)
                elif action == "photo":
                    archive_rules.add_photo(archive, data["photo"], data["caption"])
                else:
                    archive_rules.set_owner(archive, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("households:dev_flat", code, archive.code)
    elif action in ("publish", "unpublish"):
        try:
            archive_rules.publish(archive, action == "publish")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("已公开实测实量数据和照片。") if action == "publish" else _("已取消公开。"),
            )
        return redirect("households:dev_flat", code, archive.code)
    elif action == "remove_measurement":
        try:
            archive_rules.remove_measurement(archive, int(request.POST.get("pk") or 0))
        except (ValidationError, ValueError):
            messages.error(request, _("这条实测数据已不存在，请刷新页面。"))
        return redirect("households:dev_flat", code, archive.code)
    measurements = list(archive.measurements.all())
    return render(
        request,
        "households/dev_flat.html",
        {
            "project": project,
            "archive": archive,
            "flat": archive.flat,
            "measurements": measurements,
            "summary": archive_rules.summary_of(measurements),
            "photos": archive.photos.select_related("file"),
            "problems": archive.problems.select_related("photo").prefetch_related("events__user"),
            "answer_form": AnswerForm(),
            "forms": forms,
            "public_url": reverse("households:flat", args=[project.code, archive.code]),
        },
        status=400 if any(f.errors for f in forms.values()) else 200,
    )


@login_required
@require_POST
def answer(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The developer answers an owner's problem with a fix and a date."""
    project, access = developer_project(request.user, code)
    problem = get_object_or_404(
        InspectionProblem.objects.select_related("archive"), archive__project=project, pk=pk
    )
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            owners.answer_problem(problem, request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已答复，业主可在查验页面确认。"))
            return redirect(
                reverse("households:dev_flat", args=[code, problem.archive.code])
                + f"#problem-{problem.pk}"
            )
    archive = problem.archive
    measurements = list(archive.measurements.all())
    return render(
        request,
        "households/dev_flat.html",
        {
            "project": project,
            "archive": archive,
            "flat": archive.flat,
            "measurements": measurements,
            "summary": archive_rules.summary_of(measurements),
            "photos": archive.photos.select_related("file"),
            "problems": archive.problems.select_related("photo").prefetch_related("events__user"),
            "answer_form": form,
            "answer_problem": problem.pk,
            "forms": {"measurement": MeasurementForm(), "photo": PhotoForm(), "owner": OwnerForm()},
            "public_url": reverse("households:flat", args=[project.code, archive.code]),
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sample_list(request: HttpRequest, code: str) -> HttpResponse:
    """Sample flats and their rooms; a room can be added to a sample flat."""
    project, _access = developer_project(request.user, code)
    form = SampleForm(request.POST if request.POST.get("action") == "sample" else None)
    room_form = RoomForm(request.POST if request.POST.get("action") == "room" else None)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            samples.create_sample(project, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加样板间，可打印各房间标签。"))
            return redirect("households:dev_samples", code)
    if request.method == "POST" and room_form.is_bound and room_form.is_valid():
        sample = get_object_or_404(SampleFlat, project=project, pk=request.POST.get("sample") or 0)
        samples.add_room(sample, **room_form.cleaned_data)
        messages.success(request, _("已添加房间。"))
        return redirect("households:dev_samples", code)
    return render(
        request,
        "households/dev_samples.html",
        {
            "project": project,
            "samples": SampleFlat.objects.filter(project=project).prefetch_related("rooms"),
            "form": form,
            "room_form": room_form,
        },
        status=400 if form.errors or room_form.errors else 200,
    )


@login_required
@require_safe
def sample_labels(request: HttpRequest, code: str) -> HttpResponse:
    """Printable QR labels for every room of the project's sample flats."""
    project, _access = developer_project(request.user, code)
    rooms = [
        room
        for sample in SampleFlat.objects.filter(project=project).prefetch_related("rooms")
        for room in sample.rooms.all()
    ]
    if not rooms:
        return HttpResponse(
            _("还没有样板间房间：请先添加样板间。"),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(sheets.labels_pdf(project, rooms), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="gongshi-{project.code}-sample-labels.pdf"'
    response["Cache-Control"] = "no-store"
    return response
