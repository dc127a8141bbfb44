"""The public's side: verify a contact, ask, read answers, rate them, register, follow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from gongshi.participation import follow, opendays, questions
from gongshi.participation.forms import (
    CodeForm,
    ContactForm,
    QuestionForm,
    RegisterForm,
    ResolutionForm,
    SubscribeForm,
    apply_errors,
)
from gongshi.participation.models import FindingResult, OpenDay, Question
from gongshi.participation.tokens import client_ip
from gongshi.projects.models import Project

SESSION_TOKEN = "participation_contact_token"


def _project(code: str) -> Project:
    return get_object_or_404(Project.objects.select_related("region", "developer"), code=code)


def _verified(request: HttpRequest):
    return questions.verified_contact(request.session.get(SESSION_TOKEN))


def _verify_context(request: HttpRequest, project: Project, next_url: str) -> dict:
    return {
        "project": project,
        "contact_form": ContactForm(),
        "code_form": None,
        "next": next_url,
    }


def question_list(request: HttpRequest, code: str) -> HttpResponse:
    """Every question of a project with asked/answered times, deadline and status."""
    project = _project(code)
    page = Paginator(Question.objects.filter(project=project), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/question_list.html",
        {
            "project": project,
            "page": page,
            "questions": questions.with_deadlines(page.object_list),
            "rates": questions.rates(
                Question.objects.filter(project=project).only(
                    "asked_at", "answered_at", "resolution", "deadline_working_days"
                )
            ),
        },
    )


@require_POST
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: send a code to the contact."""
    project = _project(code)
    next_url = _safe_next(request, project)
    form = ContactForm(request.POST)
    context = {"project": project, "contact_form": form, "code_form": None, "next": next_url}
    if form.is_valid():
        try:
            verification = questions.send_verification_code(
                form.cleaned_data["contact"], client_ip(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            context["code_form"] = CodeForm(initial={"contact": verification.contact})
            context["sent_to_email"] = verification.contact_kind == "email"
    status = 200 if form.is_valid() and not form.errors else 400
    return render(request, "participation/verify.html", context, status=status)


@require_POST
def verify_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: check the code; the session then carries the proof for 24 hours."""
    project = _project(code)
    next_url = _safe_next(request, project)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            token = questions.confirm_code(form.cleaned_data["contact"], form.cleaned_data["code"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session[SESSION_TOKEN] = token
            return redirect(next_url)
    context = {
        "project": project,
        "contact_form": ContactForm(initial={"contact": request.POST.get("contact", "")}),
        "code_form": form,
        "next": next_url,
    }
    return render(request, "participation/verify.html", context, status=400)


def _safe_next(request: HttpRequest, project: Project) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = f"/participation/p/{project.code}/"
    if candidate.startswith(allowed) or candidate == f"/p/{project.code}/":
        return candidate
    return reverse("participation:ask", args=[project.code])


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, code: str) -> HttpResponse:
    """Ask a question or file a complaint; verifies the contact first if needed."""
    project = _project(code)
    verification = _verified(request)
    if verification is None:
        return render(
            request,
            "participation/verify.html",
            _verify_context(request, project, reverse("participation:ask", args=[code])),
        )
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            question, asker_token = questions.ask_question(
                project,
                request.session.get(SESSION_TOKEN),
                body=form.cleaned_data["body"],
                kind=form.cleaned_data["kind"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(
                request,
                "participation/asked.html",
                {
                    "project": project,
                    "question": question,
                    "state": questions.with_deadlines([question])[0],
                    "private_url": request.build_absolute_uri(
                        reverse("participation:asker", args=[asker_token])
                    ),
                },
                status=201,
            )
    return render(
        request,
        "participation/ask.html",
        {"project": project, "form": form, "verification": verification},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def asker(request: HttpRequest, token: str) -> HttpResponse:
    """The asker's private page (link given once when asking): rate the answer."""
    question = questions.question_for_asker(token)
    if question is None:
        raise Http404
    form = ResolutionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            questions.set_resolution(question, form.cleaned_data["resolved"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(request.path)
    return render(
        request,
        "participation/asker.html",
        {
            "project": question.project,
            "state": questions.with_deadlines([question])[0],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


SESSION_OPEN_DAY_NAME = "gongshi_open_day_name"


@require_http_methods(["GET", "POST"])
def open_day(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """An open day: its details, registration, and — once published — its report."""
    project = _project(code)
    day = get_object_or_404(opendays.with_counts(OpenDay.objects.filter(project=project)), pk=pk)
    verification = _verified(request)
    # The name typed before the contact was verified comes back filled in afterwards.
    typed = request.session.pop(SESSION_OPEN_DAY_NAME, "") if request.method == "GET" else ""
    form = RegisterForm(request.POST if request.method == "POST" else None, initial={"name": typed})
    registered = None
    if request.method == "POST":
        if verification is None:
            request.session[SESSION_OPEN_DAY_NAME] = request.POST.get("name", "")[:50]
            return render(
                request,
                "participation/verify.html",
                _verify_context(request, project, request.path),
            )
        if form.is_valid():
            try:
                registered = opendays.register(
                    day, request.session.get(SESSION_TOKEN), name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                day = opendays.with_counts(OpenDay.objects.filter(pk=day.pk)).get()
    findings = (
        day.findings.select_related("version__disclosure__item")
        .prefetch_related("photos__file")
        .order_by("version__disclosure__item__code", "pk")
    )
    return render(
        request,
        "participation/open_day.html",
        {
            "project": project,
            "day": day,
            "form": form,
            "verification": verification,
            "registered": registered,
            "findings": findings,
            "places_left": max(day.capacity - day.registered, 0),
            "results": FindingResult,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(code)
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            follow.subscribe_email(project, form.cleaned_data["email"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = True
    return render(
        request,
        "participation/follow.html",
        {"project": project, "form": form, "done": done},
        status=400 if form.errors else 200,
    )


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = follow.confirm_subscription(token)
    except ValidationError as exc:
        return render(
            request, "participation/message.html", {"message": exc.messages[0]}, status=400
        )
    return render(
        request,
        "participation/message.html",
        {
            "project": subscription.project,
            "message": _("订阅已确认。“%(project)s”有新公示、答复或开放日时，我们会发邮件给您。")
            % {"project": subscription.project.name},
        },
    )


@csrf_exempt  # the signed link is the credential; mail clients POST without a form
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button; POST (also the mail client's one-click, RFC 8058) unsubscribes."""
    try:
        subscription = follow.subscription_for_unsubscribe(token)
    except ValidationError as exc:
        return render(
            request, "participation/message.html", {"message": exc.messages[0]}, status=400
        )
    if request.method == "POST":
        follow.unsubscribe(subscription)
        return render(
            request,
            "participation/message.html",
            {
                "project": subscription.project,
                "message": _("已退订，您不会再收到“%(project)s”的邮件。")
                % {"project": subscription.project.name},
            },
        )
    return render(request, "participation/unsubscribe.html", {"subscription": subscription})
