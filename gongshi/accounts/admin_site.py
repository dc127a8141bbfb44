"""The admin site: staff only, and only with a verified TOTP device in the session."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class GongshiAdminSite(AdminSite):
    site_header = _("公示 Gongshi 管理")
    site_title = _("公示 Gongshi 管理")

    def has_permission(self, request: HttpRequest) -> bool:
        is_verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and bool(is_verified and is_verified())

    def login(self, request: HttpRequest, extra_context=None):
        # One sign-in for the whole platform (password + TOTP), not the admin's own form,
        # which would skip the second factor.
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"), reverse("accounts:login")
        )


class NamedWidgetsMixin:
    """Every input of a ModelAdmin's form has a name a screen reader announces.

    Django's split date/time widget has one ``<label>`` (for the date); the time input gets
    ``aria-label`` "<field>：时间", and the date input "<field>：日期" to match.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.contrib.admin.widgets import AdminSplitDateTime

        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, AdminSplitDateTime):
            label = formfield.label or db_field.verbose_name
            date, time = formfield.widget.widgets
            date.attrs["aria-label"] = _("%(field)s：日期") % {"field": label}
            time.attrs["aria-label"] = _("%(field)s：时间") % {"field": label}
        return formfield
