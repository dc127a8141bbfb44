from django import forms
from django.utils.translation import gettext_lazy as _

from gongshi.catalogue.models import (
    Applicability,
    CatalogueItem,
    Category,
    DueStage,
    RequirementLevel,
)
from gongshi.core.choices import Stage, UnitRole
from gongshi.supervision.models import ActionKind, RecordEvent, ScoreWeights


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("措施类型"), choices=ActionKind.choices)
    subject = forms.ChoiceField(label=_("对象单位"))
    decided_on = forms.DateField(
        label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("事由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    credit_incentive = forms.CharField(
        label=_("信用激励措施（通报表扬时填写）"), required=False, max_length=300
    )
    inspection_interval_days = forms.IntegerField(
        label=_("检查频次，每隔多少天（重点监管时填写）"),
        required=False,
        min_value=1,
        max_value=365,
    )
    # Penalties and credit records (行政处罚、信用惩戒、通报批评、约谈、责令整改).
    decision_number = forms.CharField(
        label=_("决定书文号（行政处罚必填）"), required=False, max_length=100
    )
    issuing_authority = forms.CharField(
        label=_("作出机关（默认本部门）"), required=False, max_length=200
    )
    legal_basis = forms.CharField(
        label=_("法律依据（行政处罚必填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    content = forms.CharField(
        label=_("处罚或惩戒内容（行政处罚必填）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    amount = forms.DecimalField(
        label=_("罚款金额（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    rectify_by = forms.DateField(
        label=_("整改期限（责令整改必填）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects


class EnterpriseActionForm(forms.Form):
    """A decision on an enterprise as a whole: commendation or key supervision."""

    kind = forms.ChoiceField(
        label=_("措施类型"),
        choices=[
            (ActionKind.COMMENDATION, _("通报表扬（诚信激励）")),
            (ActionKind.KEY_SUPERVISION, _("重点监管")),
        ],
    )
    decided_on = forms.DateField(
        label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("事由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    credit_incentive = forms.CharField(
        label=_("信用激励措施（通报表扬时填写）"), required=False, max_length=300
    )
    inspection_interval_days = forms.IntegerField(
        label=_("检查频次，每隔多少天（重点监管时填写）"),
        required=False,
        min_value=1,
        max_value=365,
    )


class ChangeForm(forms.Form):
    event = forms.ChoiceField(
        label=_("操作"),
        choices=[
            (RecordEvent.CORRECTED, _("更正")),
            (RecordEvent.LIFTED, _("解除")),
            (RecordEvent.REVOKED, _("撤销（记录作出有误）")),
        ],
    )
    decided_on = forms.DateField(
        label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    credit_incentive = forms.CharField(
        label=_("信用激励措施（更正时可修改）"), required=False, max_length=300
    )
    inspection_interval_days = forms.IntegerField(
        label=_("检查频次（更正重点监管时可修改）"), required=False, min_value=1, max_value=365
    )
    rectify_by = forms.DateField(
        label=_("整改期限（更正处罚或信用记录时可修改）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RectificationForm(forms.Form):
    text = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class ReviewForm(RectificationForm):
    accepted = forms.TypedChoiceField(
        label=_("验收结论"),
        choices=[("1", _("验收通过")), ("0", _("验收不通过，退回重新整改"))],
        coerce=lambda value: value == "1",
    )


class InspectionForm(forms.Form):
    performed_on = forms.DateField(
        label=_("实际检查日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    findings = forms.CharField(
        label=_("检查发现"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class ScoreWeightsForm(forms.ModelForm):
    class Meta:
        model = ScoreWeights
        fields = [
            "completeness",
            "timeliness",
            "responsiveness",
            "complaints",
            "discrepancies",
            "complaint_cap",
            "discrepancy_cap",
        ]


class LocalItemForm(forms.Form):
    title = forms.CharField(label=_("事项名称"), max_length=200)
    title_en = forms.CharField(label=_("英文名称（可选）"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    due_stage = forms.ChoiceField(label=_("公示阶段"), choices=DueStage.choices)
    supplier = forms.ChoiceField(label=_("提供单位"), choices=UnitRole.choices)
    applies_to = forms.ChoiceField(label=_("适用交付标准"), choices=Applicability.choices)
    requirement = forms.ChoiceField(label=_("公示要求"), choices=RequirementLevel.choices)
    scan_required = forms.BooleanField(label=_("须上传原件扫描件"), required=False)
    field_lines = forms.CharField(
        label=_("字段（每行一个：名称 类型 [必填]，类型为 文本、长文本、日期 或 数字）"),
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "检测单位 文本 必填\n检测日期 日期 必填\n结论 长文本"}
        ),
    )
    effective_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class RaiseRequirementForm(forms.Form):
    item = forms.ModelChoiceField(label=_("公示事项"), queryset=None)
    requirement = forms.ChoiceField(
        label=_("本地要求"),
        choices=[
            (RequirementLevel.REQUIRED, RequirementLevel.REQUIRED.label),
            (RequirementLevel.OPTIONAL, RequirementLevel.OPTIONAL.label),
        ],
    )
    effective_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    basis = forms.CharField(label=_("依据（可选）"), max_length=200, required=False)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = CatalogueItem.objects.filter(region__isnull=True, active=True).exclude(
            requirement=RequirementLevel.REQUIRED,
            affordable_requirement__in=["", RequirementLevel.REQUIRED],
        )
        if region is not None:  # nothing left to raise where the area already requires it
            items = items.exclude(
                local_requirements__region=region,
                local_requirements__requirement=RequirementLevel.REQUIRED,
            )
        self.fields["item"].queryset = items


class TimelinessForm(forms.Form):
    threshold_days = forms.IntegerField(
        label=_("及时公示期限（信息形成后多少天内公示）"), min_value=0, max_value=90
    )


class StageDatesForm(forms.Form):
    """A regulator's correction of a project's stage and stage dates (supervision.stage_dates)."""

    stage = forms.ChoiceField(label=_("项目阶段"), choices=Stage.choices)
    started_on = forms.DateField(
        label=_("开工日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    completion_accepted_on = forms.DateField(
        label=_("竣工验收合格日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    handed_over_on = forms.DateField(
        label=_("交付日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("更正原因（公开）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明更正原因（将与更正一起公开）。")},
    )
