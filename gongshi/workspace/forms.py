"""Forms of the workspace; the API validates its input with the same forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from gongshi.core.choices import Stage, UnitRole
from gongshi.projects.models import Project
from gongshi.regions.models import Region, RegionLevel
from gongshi.workspace.models import PLAN_FIELDS, PLAN_TEXT_FIELDS, DisclosurePlan, PlanChannel
from gongshi.workspace.projects import PROJECT_FIELDS, developer_organisations


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegionChoiceField(forms.ModelChoiceField):
    """A county-level region, chosen by name in the browser or by GB/T 2260 code in the API."""

    def __init__(self, **kwargs):
        queryset = Region.objects.filter(level=RegionLevel.COUNTY).select_related("parent")
        super().__init__(queryset=queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.parent.name if obj.parent else ''} {obj.name}".strip()


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a domain ValidationError on a form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ProjectForm(forms.ModelForm):
    region = RegionChoiceField(label=_("所在区县"))

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        error_messages = {
            "name": {"required": _("请填写项目名称。")},
            "address": {"required": _("请填写项目地址。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("floor_area", "building_count", "household_count", "contract_duration_days"):
            self.fields[name].widget.attrs["min"] = "1"
            self.fields[name].validators.append(
                MinValueValidator(
                    1, message=_("%(field)s应大于 0，请核对。") % {"field": self.fields[name].label}
                )
            )


class RegisterProjectForm(ProjectForm):
    developer = forms.ModelChoiceField(
        label=_("建设单位"), queryset=None, empty_label=None, to_field_name="credit_code"
    )
    leader_name = forms.CharField(
        label=_("建设单位项目负责人"),
        max_length=50,
        error_messages={"required": _("请填写建设单位项目负责人。")},
    )
    leader_title = forms.CharField(label=_("职务/职称"), max_length=50, required=False)

    class Meta(ProjectForm.Meta):
        pass

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["developer"].queryset = developer_organisations(user)
        self.order_fields(["developer"])

    def project_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROJECT_FIELDS}


class UnitForm(forms.Form):
    role = forms.ChoiceField(label=_("责任主体类型"), choices=UnitRole.choices)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        error_messages={"required": _("请填写该单位的统一社会信用代码。")},
    )
    leader_name = forms.CharField(
        label=_("项目负责人"), max_length=50, error_messages={"required": _("请填写项目负责人。")}
    )
    leader_title = forms.CharField(label=_("职务/职称"), max_length=50, required=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("项目阶段"), choices=Stage.choices)
    started_on = forms.DateField(label=_("开工日期"), required=False, widget=DateInput())
    completion_accepted_on = forms.DateField(
        label=_("竣工验收合格日期"), required=False, widget=DateInput()
    )
    handed_over_on = forms.DateField(label=_("交付日期"), required=False, widget=DateInput())


class PlanForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("公示渠道"),
        choices=PlanChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个公示渠道。")},
    )

    class Meta:
        model = DisclosurePlan
        fields = list(PLAN_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in PLAN_TEXT_FIELDS}
        error_messages = {
            "responsible_person": {"required": _("请填写公示负责人。")},
            "content": {"required": _("请填写公示内容。")},
            "procedure": {"required": _("请填写公示程序。")},
            "time_limits": {"required": _("请填写公示时限。")},
            "management_measures": {"required": _("请填写管理措施。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Required for every plan written from now on (the model allows blank on old ones).
        self.fields["method"].required = True
        self.fields["method"].error_messages["required"] = _("请填写公示方式。")
        self.fields["regime"].required = True
        self.fields["regime"].error_messages["required"] = _("请填写公示制度。")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写原因。")},
    )
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class VersionMetaForm(forms.Form):
    """The parts of a version besides its field values."""

    information_date = forms.DateField(
        label=_("信息形成日期"),
        required=False,
        widget=DateInput(),
        help_text=_("该信息形成（如证书签发、验收完成）的日期，用于计算公示及时性。"),
        error_messages={"invalid": _("信息形成日期格式不正确，请按“2025-03-18”填写。")},
    )
    reason = forms.CharField(
        label=_("更正原因"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lock_version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("页面缺少编辑版本号，请刷新页面后重试。")},
    )


class UploadForm(forms.Form):
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ExcelImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        error_messages={"required": _("请选择要导入的 Excel 文件。")},
    )
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
