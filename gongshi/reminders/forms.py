from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email = forms.BooleanField(
        label=_("同时发送电子邮件"), required=False, help_text=_("发送到您账号登记的邮箱。")
    )
    sms = forms.BooleanField(label=_("同时发送短信"), required=False)
    mobile = forms.CharField(
        label=_("接收短信的手机号码"),
        required=False,
        max_length=20,
        help_text=_("仅用于发送提醒，不公开。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
