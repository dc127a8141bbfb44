"""Forms of registration and invitation; the API checks its input with the same forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongshi.core.choices import OrganisationType, UnitRole
from gongshi.organisations.validators import normalise_credit_code, validate_credit_code
from gongshi.regions.models import Region, RegionLevel

#: What a company may register as: a developer or one of the six participating unit types.
REGISTRABLE_KINDS = [(v, label) for v, label in OrganisationType.choices if v != "regulator"]


class CreditCodeField(forms.CharField):
    """A unified social credit code, normalised (spaces, lower case) and checked (GB 32100)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("统一社会信用代码"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("error_messages", {"required": _("请填写统一社会信用代码（18 位）。")})
        super().__init__(**kwargs)

    def clean(self, value):
        code = normalise_credit_code(super().clean(value))
        validate_credit_code(code)
        return code


class RegionField(forms.ModelChoiceField):
    """The district or county the company is registered in, by name or GB/T 2260 code."""

    def __init__(self, **kwargs):
        queryset = Region.objects.filter(level=RegionLevel.COUNTY).select_related("parent")
        kwargs.setdefault("label", _("注册地（区县）"))
        kwargs.setdefault("error_messages", {"required": _("请选择单位注册地所在区县。")})
        super().__init__(queryset=queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.parent.name if obj.parent else ''} {obj.name}".strip()


class ApplicationForm(forms.Form):
    """The company's particulars, its licence and its contact (a resubmission shows these)."""

    kind = forms.ChoiceField(label=_("单位类型"), choices=REGISTRABLE_KINDS)
    credit_code = CreditCodeField()
    name = forms.CharField(
        label=_("单位名称（与营业执照一致）"),
        max_length=200,
        error_messages={"required": _("请填写单位名称。")},
    )
    region = RegionField()
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    legal_representative = forms.CharField(
        label=_("法定代表人"),
        max_length=50,
        error_messages={"required": _("请填写法定代表人姓名。")},
    )
    licence = forms.FileField(
        label=_("营业执照扫描件（PDF、JPG 或 PNG）"),
        error_messages={"required": _("请上传营业执照扫描件（PDF、JPG 或 PNG）。")},
    )
    contact_name = forms.CharField(
        label=_("联系人"), max_length=50, error_messages={"required": _("请填写联系人姓名。")}
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=40, error_messages={"required": _("请填写联系电话。")}
    )
    contact_email = forms.EmailField(
        label=_("联系邮箱（审核结果发到此邮箱）"),
        error_messages={
            "required": _("请填写联系邮箱。"),
            "invalid": _("请填写有效的邮箱地址，例如 name@example.com。"),
        },
    )

    def __init__(self, *args, licence_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["licence"].required = licence_required
        self.fields["licence"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


class RegistrationForm(ApplicationForm):
    """A new company: its particulars and the account of the person registering it."""

    username = forms.CharField(
        label=_("登录用户名"),
        max_length=150,
        error_messages={"required": _("请设置登录用户名。")},
    )
    password = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": _("请设置密码。")},
    )
    password_again = forms.CharField(
        label=_("再次输入密码"),
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": _("请再次输入密码。")},
    )

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password and data.get("password_again") and password != data["password_again"]:
            self.add_error("password_again", _("两次输入的密码不一致，请重新输入。"))
        elif password:
            try:
                validate_password(password)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("approve", _("通过")), ("reject", _("不予通过"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择通过或不予通过。")},
    )
    reason = forms.CharField(
        label=_("审核意见（不予通过时必填，申请单位可见）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    @property
    def approved(self) -> bool:
        return self.cleaned_data["decision"] == "approve"

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("不予通过时请写明理由，申请单位将据此修改后重新提交。"))
        return data


class InvitationForm(forms.Form):
    role = forms.ChoiceField(
        label=_("责任主体类型"),
        choices=[(v, label) for v, label in UnitRole.choices if v != UnitRole.DEVELOPER],
    )
    credit_code = CreditCodeField(
        error_messages={"required": _("请填写该单位的统一社会信用代码。")}
    )
    name = forms.CharField(
        label=_("单位名称"), max_length=200, error_messages={"required": _("请填写单位名称。")}
    )
    leader_name = forms.CharField(
        label=_("项目负责人"), max_length=50, error_messages={"required": _("请填写项目负责人。")}
    )
    leader_title = forms.CharField(label=_("职务/职称"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("该单位的联系邮箱（注册链接发到此邮箱）"),
        error_messages={
            "required": _("请填写该单位的联系邮箱。"),
            "invalid": _("请填写有效的邮箱地址，例如 name@example.com。"),
        },
    )
