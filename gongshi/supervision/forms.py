from django import forms
from django.utils.translation import gettext_lazy as _

from gongshi.supervision.models import ActionKind, RecordEvent, ScoreWeights


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("措施类型"), choices=ActionKind.choices)
    subject = forms.ChoiceField(label=_("对象单位"))
    decided_on = forms.DateField(label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    credit_incentive = forms.CharField(label=_("信用激励措施（通报表扬时填写）"), required=False, max_length=300)
    inspection_interval_days = forms.IntegerField(
        label=_("检查频次，每隔多少天（重点监管时填写）"), required=False, min_value=1, max_value=365
    )

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects


class ChangeForm(forms.Form):
    event = forms.ChoiceField(
        label=_("操作"), choices=[(RecordEvent.CORRECTED, _("更正")), (RecordEvent.LIFTED, _("解除"))]
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    credit_incentive = forms.CharField(label=_("信用激励措施（更正时可修改）"), required=False, max_length=300)
    inspection_interval_days = forms.IntegerField(
        label=_("检查频次（更正重点监管时可修改）"), required=False, min_value=1, max_value=365
    )


class InspectionForm(forms.Form):
    performed_on = forms.DateField(label=_("实际检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label=_("检查发现"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


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
