"""The owner's pre-handover inspection pages: prove ownership, record problems, decide.

The proof (a token, 24 hours) lives in the owner's session; it is for one flat only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gongshi.households import owners
from gongshi.households.access import public_archive
from gongshi.households.forms import (
    CodeForm,
    ContractForm,
    DecisionForm,
    PhoneForm,
    ProblemForm,
    apply_errors,
)
from gongshi.households.models import FlatArchive, InspectionProblem, ProblemStatus
from gongshi.participation.tokens import client_ip

SESSION_TOKEN = "households_owner_token"  # noqa: S105 (a session key, not a secret)


def _session(request: HttpRequest, archive: FlatArchive):
    session = owners.owner_session(request.session.get(SESSION_TOKEN))
    return session if session is not None and session.archive_id == archive.pk else None


def _inspection_url(archive: FlatArchive) -> str:
    return reverse("households:owner", args=[archive.project.code, archive.code])


def _verify_page(request, archive, *, contract=None, phone=None, code_form=None, status=200):
    return render(
        request,
        "households/owner_verify.html",
        {
            "project": archive.project,
            "archive": archive,
            "flat": archive.flat,
            "contract_form": contract or ContractForm(),
            "phone_form": phone or PhoneForm(),
            "code_form": code_form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def inspection(request: HttpRequest, code: str, flat: str) -> HttpResponse:
    """The owner's problems with their answers, and the form to record one more."""
    archive = public_archive(code, flat)
    if _session(request, archive) is None:
        if request.method == "POST":
            # The session ran out while the owner was typing: verify again, nothing is saved.
            return _verify_page(request, archive, status=403)
        return _verify_page(request, archive)
    form = ProblemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = owners.record_problem(
                archive,
                location=form.cleaned_data["location"],
                description=form.cleaned_data["description"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(_inspection_url(archive) + f"#problem-{problem.pk}")
    return _inspection_page(request, archive, form, status=400 if form.errors else 200)


def _inspection_page(request, archive, form, *, failed=None, status=200) -> HttpResponse:
    """The problems, each answered one with its accept/reopen form (``failed``: one with errors)."""
    entries = []
    for problem in archive.problems.select_related("photo").prefetch_related("events"):
        decision = None
        if problem.status == ProblemStatus.ANSWERED:
            decision = failed if failed is not None and failed.prefix == f"p{problem.pk}" else None
            decision = decision or DecisionForm(prefix=f"p{problem.pk}")
        entries.append((problem, decision))
    return render(
        request,
        "households/owner_inspection.html",
        {
            "project": archive.project,
            "archive": archive,
            "flat": archive.flat,
            "entries": entries,
            "form": form,
            "decision_errors": failed.non_field_errors() if failed is not None else [],
        },
        status=status,
    )


@require_POST
def verify_contract(request: HttpRequest, code: str, flat: str) -> HttpResponse:
    archive = public_archive(code, flat)
    form = ContractForm(request.POST)
    if form.is_valid():
        try:
            token = owners.verify_by_contract(
                archive, form.cleaned_data["contract_number"], form.cleaned_data["phone"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session[SESSION_TOKEN] = token
            return redirect(_inspection_url(archive))
    return _verify_page(request, archive, contract=form, status=400)


@require_POST
def send_code(request: HttpRequest, code: str, flat: str) -> HttpResponse:
    archive = public_archive(code, flat)
    form = PhoneForm(request.POST)
    if form.is_valid():
        try:
            owners.send_code(archive, form.cleaned_data["phone"], client_ip(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            code_form = CodeForm(initial={"phone": form.cleaned_data["phone"]})
            return _verify_page(request, archive, phone=form, code_form=code_form)
    return _verify_page(request, archive, phone=form, status=400)


@require_POST
def confirm_code(request: HttpRequest, code: str, flat: str) -> HttpResponse:
    archive = public_archive(code, flat)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            token = owners.verify_by_code(
                archive, form.cleaned_data["phone"], form.cleaned_data["code"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session[SESSION_TOKEN] = token
            return redirect(_inspection_url(archive))
    phone = PhoneForm(initial={"phone": request.POST.get("phone", "")})
    return _verify_page(request, archive, phone=phone, code_form=form, status=400)


def _owned_problem(request, code: str, flat: str, pk: int) -> tuple[FlatArchive, InspectionProblem]:
    archive = public_archive(code, flat)
    if _session(request, archive) is None:
        raise Http404
    return archive, get_object_or_404(InspectionProblem, archive=archive, pk=pk)


@require_POST
def decide(request: HttpRequest, code: str, flat: str, pk: int) -> HttpResponse:
    """The owner accepts the developer's fix or reopens the problem."""
    archive, problem = _owned_problem(request, code, flat, pk)
    form = DecisionForm(request.POST, prefix=f"p{problem.pk}")
    if form.is_valid():
        try:
            owners.owner_decides(
                problem, form.cleaned_data["decision"] == "accept", note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(_inspection_url(archive) + f"#problem-{problem.pk}")
    return _inspection_page(request, archive, ProblemForm(), failed=form, status=400)


@require_safe
def photo(request: HttpRequest, code: str, flat: str, pk: int) -> HttpResponse:
    """The photo the owner attached to a problem, for the owner only."""
    _archive, problem = _owned_problem(request, code, flat, pk)
    if problem.photo is None:
        raise Http404
    try:
        fh = default_storage.open(problem.photo.storage_name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(fh, content_type=problem.photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
