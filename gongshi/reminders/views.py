"""The signed-in user's notifications and channel choices; the developer's reminder history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongshi.core.choices import OrganisationType
from gongshi.organisations.models import Organisation
from gongshi.reminders import services
from gongshi.reminders.forms import PreferenceForm
from gongshi.reminders.models import Notification, ReminderDelivery, ReminderSent
from gongshi.reminders.sending import mask

PAGE_SIZE = 50


def _history(queryset):
    return queryset.select_related("project", "recipient").prefetch_related(
        Prefetch("deliveries", queryset=ReminderDelivery.objects.order_by("pk"))
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(recipient=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    sent = _history(ReminderSent.objects.filter(recipient=request.user))[:PAGE_SIZE]
    sent_rows = [(r, "") for r in sent]
    return render(
        request,
        "reminders/notifications.html",
        {
            "page": page,
            "sent_rows": sent_rows,
            "preference": services.preference_for(request.user),
            "query": "",
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = services.mark_read(request.user, pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if request.POST.get("open") and notification.link.startswith("/"):
        return redirect(notification.link)
    return redirect("reminders:notifications")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    n = services.mark_all_read(request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": n})
    return redirect("reminders:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    pref = services.preference_for(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.save_preference(request.user, **form.cleaned_data)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(name, error)
            else:
                messages.success(request, _("通知方式已保存。"))
                return redirect("reminders:preferences")
    else:
        form = PreferenceForm(
            initial={
                # Email is the default, for an account that has an address to send to.
                "email": pref.email and bool(request.user.email),
                "sms": pref.sms,
                "mobile": pref.mobile,
            }
        )
    return render(
        request,
        "reminders/preferences.html",
        {"form": form, "account_email": request.user.email},
        status=400 if form.errors else 200,
    )


@login_required
def workspace_history(request: HttpRequest) -> HttpResponse:
    """What was sent to whom, when and how, about the projects of the user's developer."""
    developers = list(
        Organisation.objects.filter(
            memberships__user=request.user, kind=OrganisationType.DEVELOPER
        ).values_list("pk", flat=True)
    )
    if not developers:
        raise Http404
    page = Paginator(
        _history(ReminderSent.objects.filter(project__developer__in=developers)), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [(r, mask(r)) for r in page]
    return render(
        request, "reminders/workspace_history.html", {"page": page, "rows": rows, "query": ""}
    )
