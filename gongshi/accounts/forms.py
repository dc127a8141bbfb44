from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongshi.accounts.throttle import LoginThrottle, retry_message


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a username+address that failed too often."""

    # When the pair is locked out: the time it may try again (the view answers 429).
    retry_at = None

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        throttle = LoginThrottle.for_request(self.request, username)
        if retry_at := throttle.retry_at():
            self.retry_at = retry_at
            raise ValidationError(retry_message(retry_at), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record_failure()
            if retry_at := throttle.retry_at():
                self.retry_at = retry_at
                raise ValidationError(retry_message(retry_at), code="throttled") from None
            raise
        throttle.reset()
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6 位验证码"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": _("请输入身份验证器应用中显示的 6 位数字。"),
            "min_length": _("验证码是 6 位数字，请检查后重新输入。"),
            "max_length": _("验证码是 6 位数字，请检查后重新输入。"),
        },
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise ValidationError(_("验证码只含数字，请检查后重新输入。"), code="not_digits")
        return token
