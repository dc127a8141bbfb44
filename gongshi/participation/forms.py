"""Forms: the shape of what people type. The rules live in the domain modules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongshi.participation.models import FindingResult, OpenDay, QuestionKind, SupervisorKind


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a domain error on the form field it names, or on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error.messages)
    else:
        form.add_error(None, exc.messages)


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("电子邮箱或手机号码"),
        max_length=254,
        help_text=_("用于接收验证码和答复提醒，不会公开。"),
        error_messages={"required": _("请填写电子邮箱或手机号码。")},
    )


class CodeForm(forms.Form):
    contact = forms.CharField(widget=forms.HiddenInput, max_length=254)
    code = forms.CharField(
        label=_("验证码"),
        max_length=6,
        min_length=6,
        error_messages={
            "required": _("请输入收到的 6 位验证码。"),
            "min_length": _("验证码是 6 位数字。"),
        },
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=QuestionKind.choices, initial=QuestionKind.QUESTION
    )
    body = forms.CharField(
        label=_("内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("内容会公开显示，请不要填写身份证号、手机号等个人信息。"),
        error_messages={
            "required": _("请填写问题内容。"),
            "max_length": _("内容最多 2000 个字，请精简后再提交。"),
        },
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("请填写答复内容。")},
    )


class ResolutionForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label=_("答复是否解决了您的问题？"),
        choices=[("yes", _("已解决")), ("no", _("未解决"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择“已解决”或“未解决”。")},
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("屏蔽原因（公开显示）"),
        max_length=200,
        error_messages={"required": _("请填写屏蔽原因，它会公开显示。")},
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("查看原因（记入审计日志）"),
        max_length=200,
        error_messages={"required": _("请填写查看原因，查看会被记录。")},
    )


class PersonalDataForm(forms.Form):
    """An administrator handles a person's request about their data."""

    contact = forms.CharField(
        label=_("申请人的手机号码或电子邮箱"),
        max_length=254,
        error_messages={"required": _("请填写申请人的手机号码或电子邮箱。")},
    )
    reason = forms.CharField(
        label=_("删除依据（如申请编号；删除时必填，记入审计日志）"), max_length=200, required=False
    )


class OpenDayForm(forms.ModelForm):
    class Meta:
        model = OpenDay
        fields = ["date", "start_time", "end_time", "place", "stage_of_work", "capacity", "showing"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
            "showing": forms.Textarea(attrs={"rows": 3}),
        }


class InviteForm(forms.Form):
    name = forms.CharField(
        label=_("受邀人姓名"), max_length=50, error_messages={"required": _("请填写受邀人姓名。")}
    )
    kind = forms.ChoiceField(label=_("身份"), choices=SupervisorKind.choices)


class ReportForm(forms.Form):
    attendance = forms.IntegerField(
        label=_("实到人数"),
        min_value=0,
        max_value=10000,
        error_messages={"required": _("请填写实到人数。"), "min_value": _("实到人数不能为负数。")},
    )
    summary = forms.CharField(
        label=_("报告摘要"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("回复（差异原因和整改情况）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("请填写回复内容：差异的原因和整改情况。")},
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=_("关闭说明"), required=False, max_length=2000)


class RegisterForm(forms.Form):
    name = forms.CharField(
        label=_("姓名"),
        max_length=50,
        error_messages={"required": _("请填写您的姓名，便于现场签到。")},
    )


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("登录用户名"), max_length=150, required=False)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class FindingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("核查结果"),
        choices=FindingResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择核查结果。")},
    )
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    photos = MultipleFileField(label=_("照片（JPG、PNG，最多 6 张）"), required=False)


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label=_("电子邮箱"), max_length=254, error_messages={"required": _("请填写电子邮箱。")}
    )


class DeadlineForm(forms.Form):
    working_days = forms.IntegerField(
        label=_("答复时限（工作日）"),
        min_value=1,
        max_value=30,
        error_messages={
            "required": _("请填写答复时限。"),
            "min_value": _("答复时限至少 1 个工作日。"),
            "max_value": _("答复时限最多 30 个工作日。"),
        },
    )
