"""Who may use the regulator's endpoints: a regulator's token, or its session with the second factor."""

from __future__ import annotations

from django import forms
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from gongshi.core.api import error_response
from gongshi.organisations.models import Organisation
from gongshi.supervision.access import regulator_for


def api_regulator(request: Request) -> Organisation:
    """The caller's regulator; 404 for everyone else (an endpoint's existence is not revealed).

    A token is issued by an administrator (``gongshi issue_token``); a session must carry the
    verified second factor (django-otp's middleware sets ``is_verified``).
    """
    regulator = regulator_for(request.user)
    verified = getattr(request.user, "is_verified", lambda: False)()
    if regulator is None or (request.auth is None and not verified):
        raise NotFound
    return regulator


def form_errors_response(form: forms.Form):
    """The HTML form's own errors as the API's error body (same messages on both doors)."""
    fields = {k: [str(m) for m in v] for k, v in form.errors.items()}
    message = "；".join(m for v in fields.values() for m in v)
    return error_response("invalid", message, 400, fields)
