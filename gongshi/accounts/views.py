"""Sign-in: password, then — for staff and regulators — a TOTP code (enrolled on first use).

An account that needs a second factor is *not* logged in after the password: the session
only remembers a pending sign-in for a few minutes, and ``auth.login`` runs once the code is
right. So every authenticated session of such an account carries a verified OTP device.
"""

from __future__ import annotations

import time
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongshi.accounts.forms import ThrottledAuthenticationForm, TokenForm
from gongshi.accounts.models import User
from gongshi.accounts.policy import requires_second_factor
from gongshi.accounts.throttle import otp_retry_message

PENDING_LOGIN_KEY = "gongshi_pending_login"
PENDING_LOGIN_SECONDS = 10 * 60


class LoginView(DjangoLoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_at is not None:
            # Locked out: the page still explains, and clients and proxies see 429.
            response.status_code = 429
            seconds = (form.retry_at - timezone.now()).total_seconds()
            response["Retry-After"] = str(max(1, int(seconds + 0.999)))
        return response

    def form_valid(self, form):
        user = form.get_user()
        if not requires_second_factor(user):
            return complete_login(self.request, user, self.get_success_url())
        self.request.session.cycle_key()
        self.request.session[PENDING_LOGIN_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,
            "since": time.time(),
            "next": self.get_success_url(),
        }
        if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
            return redirect("accounts:otp_verify")
        return redirect("accounts:otp_setup")


def complete_login(request: HttpRequest, user, next_url: str, device=None) -> HttpResponse:
    """Log the user in, bind the verified OTP device, and switch to their language."""
    request.session.pop(PENDING_LOGIN_KEY, None)
    auth_login(request, user, backend=getattr(user, "backend", None))
    if device is not None:
        otp_login(request, device)
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.preferred_language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _pending_login(request: HttpRequest) -> tuple[object | None, dict]:
    pending = request.session.get(PENDING_LOGIN_KEY)
    if not pending or time.time() - pending["since"] > PENDING_LOGIN_SECONDS:
        return None, {}
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user, pending


def _expired(request: HttpRequest) -> HttpResponse:
    request.session.pop(PENDING_LOGIN_KEY, None)
    messages.error(request, _("登录已超时，请重新输入用户名和密码。"))
    return redirect("accounts:login")


def _check_token(form: TokenForm, device: TOTPDevice) -> bool:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        form.add_error("token", otp_retry_message((info or {}).get("locked_until")))
        return False
    if device.verify_token(form.cleaned_data["token"]):
        return True
    form.add_error(
        "token",
        _("验证码不正确。请确认手机时间准确，并输入身份验证器中当前显示的 6 位数字。"),
    )
    return False


def otp_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in of an account that needs TOTP: scan the QR code, then enter a code."""
    user, pending = _pending_login(request)
    if user is None:
        return _expired(request)
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_token(form, device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return complete_login(request, user, pending["next"], device)

    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "pending_user": user,
    }
    return render(request, "accounts/otp_setup.html", context)


def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: the current code from the user's authenticator app."""
    user, pending = _pending_login(request)
    if user is None:
        return _expired(request)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_setup")

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_token(form, device):
        return complete_login(request, user, pending["next"], device)
    return render(request, "accounts/otp_verify.html", {"form": form, "pending_user": user})


def _passes_csrf(request: HttpRequest) -> bool:
    return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {}) is None


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher, also remembered on the account of a signed-in user.

    Switching the language cookie needs no CSRF token, so public pages can be served as the
    same bytes to every reader (``gongshi.public.page_cache``) with the switcher on them;
    writing the choice to an account does, and is skipped without one. The account's
    choice is applied again at every sign-in (see above).
    """
    response = django_set_language(request)
    language = request.POST.get("language")
    if (
        request.user.is_authenticated
        and _passes_csrf(request)
        and language in dict(User._meta.get_field("preferred_language").choices)
    ):
        User.objects.filter(pk=request.user.pk).update(preferred_language=language)
    return response
