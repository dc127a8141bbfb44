"""The holiday calendar (节假日安排) and each city's answer deadline, both held as data."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班日")


class CalendarDay(models.Model):
    """A date that departs from the Monday–Friday week: a public holiday or an adjusted
    working day (调休). Dates not listed follow the ordinary week."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=50, blank=True)
    from_package = models.BooleanField(
        _("来自 chinesecalendar"),
        default=False,
        help_text=_("由 chinesecalendar 软件包导入；管理员修改后即为人工维护。"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class DeadlineSetting(models.Model):
    """How many working days a developer has to answer a question in a city (答复时限)."""

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("地区"),
        on_delete=models.CASCADE,
        related_name="answer_deadline",
    )
    working_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"),
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("建设单位须在提问后多少个工作日内答复，1–30。"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("答复时限设置")
        verbose_name_plural = _("答复时限设置")

    def __str__(self) -> str:
        return f"{self.region}: {self.working_days}"
