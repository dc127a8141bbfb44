"""The developer's side: answer questions, schedule open days, respond to discrepancies.

Every view 404s for anyone who is not a member of the project's developer.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gongshi.participation import opendays, questions
from gongshi.participation.access import developer_project, is_developer_member
from gongshi.participation.forms import (
    AnswerForm,
    InviteForm,
    OpenDayForm,
    ReportForm,
    RespondForm,
    RevealForm,
    apply_errors,
)
from gongshi.participation.models import Finding, OpenDay, Question


@login_required
def question_list(request: HttpRequest, code: str) -> HttpResponse:
    project = developer_project(request.user, code)
    states = questions.with_deadlines(Question.objects.filter(project=project))
    waiting = [s for s in states if not s.question.is_answered]
    waiting.sort(key=lambda s: s.deadline)
    return render(
        request,
        "participation/dev_questions.html",
        {
            "project": project,
            "waiting": waiting,
            "answered": [s for s in states if s.question.is_answered],
            "form": AnswerForm(),
        },
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("project"), pk=pk)
    if not is_developer_member(request.user, question.project):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            questions.answer_question(question, request.user, form.cleaned_data["answer"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(
                reverse("participation:dev_questions", args=[question.project.code])
                + f"#q{question.pk}"
            )
    return render(
        request,
        "participation/dev_answer.html",
        {
            "project": question.project,
            "state": questions.with_deadlines([question])[0],
            "form": form,
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def open_day_list(request: HttpRequest, code: str) -> HttpResponse:
    project = developer_project(request.user, code)
    form = OpenDayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            day = opendays.schedule(project, request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("participation:dev_open_day", pk=day.pk)
    return render(
        request,
        "participation/dev_open_days.html",
        {
            "project": project,
            "form": form,
            "open_days": opendays.with_counts(OpenDay.objects.filter(project=project)),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def open_day_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite supervisors, see registrations, publish the report, respond to discrepancies."""
    day = get_object_or_404(OpenDay.objects.select_related("project"), pk=pk)
    if not is_developer_member(request.user, day.project):
        raise Http404
    action = request.POST.get("action")
    invite_form = InviteForm(request.POST if action == "invite" else None)
    report_form = ReportForm(request.POST if action == "report" else None)
    reveal_form = RevealForm(request.POST if action == "reveal" else None)
    invitation_url = None
    revealed = None  # the full visitor list, once its reading is in the audit log
    if request.method == "POST":
        try:
            if action == "reveal" and reveal_form.is_valid():
                revealed = opendays.reveal_registrations(
                    day, request, reason=reveal_form.cleaned_data["reason"]
                )
            elif action == "invite" and invite_form.is_valid():
                _invitation, token = opendays.invite(day, request.user, **invite_form.cleaned_data)
                invitation_url = request.build_absolute_uri(
                    reverse("participation:invitation", args=[token])
                )
            elif action == "report" and report_form.is_valid():
                opendays.publish_report(
                    day,
                    request.user,
                    attendance=report_form.cleaned_data["attendance"],
                    summary=report_form.cleaned_data["summary"],
                )
                return redirect("participation:dev_open_day", pk=day.pk)
        except ValidationError as exc:
            forms = {"invite": invite_form, "reveal": reveal_form}
            apply_errors(forms.get(action, report_form), exc)
        day.refresh_from_db()
    failed = invite_form.errors or report_form.errors or reveal_form.errors
    return render(
        request,
        "participation/dev_open_day.html",
        {
            "project": day.project,
            "day": day,
            "invite_form": invite_form if not invitation_url else InviteForm(),
            "report_form": report_form,
            "invitation_url": invitation_url,
            "invitations": day.invitations.order_by("created_at"),
            "registrations": revealed if revealed is not None else day.registrations.all(),
            "revealed": revealed is not None,
            "reveal_form": reveal_form if revealed is None else RevealForm(),
            "registration_views": opendays.registration_views(day)[:20],
            "findings": day.findings.select_related("version__disclosure__item", "supervisor")
            .prefetch_related("photos__file")
            .order_by("pk"),
            "respond_form": RespondForm(),
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(Finding.objects.select_related("open_day__project"), pk=pk)
    if not is_developer_member(request.user, finding.open_day.project):
        raise Http404
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            opendays.respond(finding, request.user, form.cleaned_data["response"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("participation:dev_open_day", pk=finding.open_day_id)
    return render(
        request,
        "participation/form_error.html",
        {"project": finding.open_day.project, "form": form},
        status=400,
    )
