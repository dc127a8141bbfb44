"""Forms: the shape of what people type. The rules live in the domain modules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongshi.households import sheets
from gongshi.households.models import MeasurementKind
from gongshi.households.sheets import SHEET_SIZES


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a domain error on the form field it names, or on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error.messages)
    else:
        form.add_error(None, exc.messages)


class GenerateForm(forms.Form):
    building = forms.ModelChoiceField(
        label=_("楼栋"), queryset=None, error_messages={"required": _("请选择楼栋。")}
    )
    floors_from = forms.IntegerField(label=_("起始楼层"), initial=1, min_value=1)
    floors_to = forms.IntegerField(label=_("结束楼层"), min_value=1)
    per_floor = forms.IntegerField(
        label=_("每单元每层户数"),
        initial=2,
        min_value=1,
        max_value=20,
        help_text=_("房号按“楼层 + 两位序号”生成，如 12 层第 1 户为 1201。"),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = project.buildings.all()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("房屋清单（Excel）"),
        help_text=_("列：楼栋、单元、楼层、房号、建筑面积；可先下载模板。"),
        error_messages={"required": _("请选择要导入的 .xlsx 文件。")},
    )


class SheetsForm(forms.Form):
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=None, required=False)
    size = forms.ChoiceField(label=_("纸张"), choices=[(s, s) for s in SHEET_SIZES], initial="A4")

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = project.buildings.all()
        self.fields["building"].empty_label = _("全部楼栋")
        self.fields["building"].help_text = _(
            "一次最多直接打印 %(max)d 户；更多时可按楼栋分别打印，或在后台生成一个文件。"
        ) % {"max": sheets.MAX_SHEETS}  # read when the form is made (tests lower it)


class MeasurementForm(forms.Form):
    kind = forms.ChoiceField(label=_("检查项目"), choices=MeasurementKind.choices)
    room = forms.CharField(label=_("房间/部位"), max_length=40)
    design_value = forms.DecimalField(
        label=_("设计值（mm）"),
        max_digits=8,
        decimal_places=1,
        required=False,
        help_text=_("平整度、垂直度不填（为 0）。"),
    )
    measured_value = forms.DecimalField(label=_("实测值（mm）"), max_digits=8, decimal_places=1)
    allowed_deviation = forms.DecimalField(
        label=_("允许偏差（±mm）"),
        max_digits=6,
        decimal_places=1,
        required=False,
        help_text=_("不填则用常用值：净高、开间、进深 15，平整度、垂直度 4，门窗洞口 10。"),
    )
    measured_on = forms.DateField(
        label=_("测量日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("照片"), help_text=_("JPEG 或 PNG。"))
    caption = forms.CharField(label=_("说明"), max_length=100)


class OwnerForm(forms.Form):
    owner_name = forms.CharField(label=_("业主姓名"), max_length=50, required=False)
    owner_phone = forms.CharField(label=_("业主手机号"), max_length=20, required=False)
    contract_number = forms.CharField(label=_("购房合同编号"), max_length=60, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    fix_by = forms.DateField(
        label=_("整改完成日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ContractForm(forms.Form):
    contract_number = forms.CharField(
        label=_("购房合同编号"),
        max_length=60,
        error_messages={"required": _("请填写购房合同编号。")},
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        error_messages={"required": _("请填写购房时登记的手机号码。")},
    )


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("购房时登记的手机号码。"),
        error_messages={"required": _("请填写购房时登记的手机号码。")},
    )


class CodeForm(forms.Form):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=20)
    code = forms.CharField(
        label=_("验证码"),
        max_length=6,
        min_length=6,
        error_messages={
            "required": _("请输入收到的 6 位验证码。"),
            "min_length": _("验证码是 6 位数字。"),
        },
    )


class ProblemForm(forms.Form):
    location = forms.CharField(
        label=_("位置"),
        max_length=60,
        help_text=_("如“主卧窗台”“卫生间地漏”。"),
        error_messages={"required": _("请写明问题位置，例如“主卧窗台”。")},
    )
    description = forms.CharField(
        label=_("问题描述"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("请不要填写身份证号、手机号等个人信息。"),
        error_messages={"required": _("请描述问题，例如“窗台石材有裂缝”。")},
    )
    photo = forms.FileField(label=_("照片"), required=False, help_text=_("可选，JPEG 或 PNG。"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("您的确认"),
        choices=[("accept", _("已整改，确认")), ("reopen", _("未整改好，重新提出"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class SampleForm(forms.Form):
    name = forms.CharField(label=_("样板间名称"), max_length=60)
    layout = forms.CharField(label=_("户型说明"), max_length=100, required=False)
    rooms = forms.CharField(
        label=_("房间"),
        max_length=300,
        initial="客厅、餐厅、主卧、次卧、厨房、卫生间",
        help_text=_("用顿号或逗号分隔，每个房间一张标签。"),
    )

    def clean_rooms(self) -> list[str]:
        raw = self.cleaned_data["rooms"].replace("，", ",").replace("、", ",")
        return [r.strip() for r in raw.split(",") if r.strip()]


class RoomForm(forms.Form):
    name = forms.CharField(label=_("房间"), max_length=30)
    locations = forms.CharField(
        label=_("对应使用部位"),
        max_length=200,
        required=False,
        help_text=_("材料清单“使用部位”中的词，用顿号分隔；不填则用房间名。"),
    )
