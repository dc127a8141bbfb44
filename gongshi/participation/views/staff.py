"""Regulators (the city's answer deadline, its area's figures) and administrators (hide a
question, read an asker's contact — every reading audit-logged)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from gongshi.core.crypto import mask_contact
from gongshi.organisations.regulators import regulator_for
from gongshi.participation import personal_data, questions
from gongshi.participation.access import require_admin
from gongshi.participation.forms import (
    DeadlineForm,
    HideForm,
    PersonalDataForm,
    RevealForm,
    apply_errors,
)
from gongshi.participation.models import DeadlineSetting, Finding, Question
from gongshi.participation.workdays import answer_deadline_working_days


@login_required
@require_http_methods(["GET", "POST"])
def regulator(request: HttpRequest) -> HttpResponse:
    """The area's questions (answered / resolved / overdue) and open discrepancies, and the
    answer deadline in working days for the regulator's own region."""
    authority = regulator_for(request.user)
    if authority is None:
        raise Http404
    region = authority.region
    current = answer_deadline_working_days(region)
    form = DeadlineForm(
        request.POST if request.method == "POST" else None, initial={"working_days": current}
    )
    if request.method == "POST" and form.is_valid():
        DeadlineSetting.objects.update_or_create(
            region=region,
            defaults={
                "working_days": form.cleaned_data["working_days"],
                "updated_by": request.user,
            },
        )
        return redirect("participation:regulator")
    # Questions an administrator hid (advertising, abuse) count nowhere, as on the dashboard.
    visible = Question.objects.visible().within(region)
    area_questions = visible.only("asked_at", "answered_at", "resolution", "deadline_working_days")
    states = questions.with_deadlines(visible.unanswered().select_related("project"))
    return render(
        request,
        "participation/regulator.html",
        {
            "authority": authority,
            "region": region,
            "form": form,
            "current": current,
            "rates": questions.rates(area_questions),
            "overdue": [s for s in states if s.is_overdue],
            "open_discrepancies": Finding.objects.open_discrepancies()
            .within(region)
            .select_related("open_day__project", "version__disclosure__item"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def admin_question(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator hides a question with a reason, or reads the asker's contact."""
    require_admin(request.user)
    question = get_object_or_404(Question.objects.select_related("project"), pk=pk)
    action = request.POST.get("action")
    hide_form = HideForm(request.POST if action == "hide" else None)
    reveal_form = RevealForm(request.POST if action == "reveal" else None)
    contact = None
    if action == "hide" and hide_form.is_valid():
        try:
            questions.hide_question(question, request.user, hide_form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(hide_form, exc)
        else:
            return redirect("participation:admin_question", pk=pk)
    elif action == "reveal" and reveal_form.is_valid():
        contact = questions.reveal_contact(
            question,
            request,
            where="admin_question_page",
            reason=reveal_form.cleaned_data["reason"],
        )
    return render(
        request,
        "participation/admin_question.html",
        {
            "project": question.project,
            "state": questions.with_deadlines([question])[0],
            "hide_form": hide_form,
            "reveal_form": reveal_form,
            "contact": contact,
            "masked": mask_contact(question.contact) if question.contact else "",
            "accesses": questions.contact_views(question)[:20],
        },
        status=400 if hide_form.errors or reveal_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def personal_data_request(request: HttpRequest) -> HttpResponse:
    """An administrator exports (a JSON download) or erases what is stored for a contact."""
    require_admin(request.user)
    form = PersonalDataForm(request.POST if request.method == "POST" else None)
    action = request.POST.get("action")
    erased = None
    if request.method == "POST" and form.is_valid():
        try:
            person = personal_data.find(form.cleaned_data["contact"])
            if action == "export":
                return personal_data.as_download(personal_data.export(person, request))
            if action == "erase":
                erased = personal_data.erase(person, request, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(
        request,
        "participation/personal_data.html",
        {
            "form": form if erased is None else PersonalDataForm(),
            "erased": erased,
            "erased_more": [(s.label, erased[s.section]) for s in personal_data.SOURCES]
            if erased
            else [],
        },
        status=400 if form.errors else 200,
    )
