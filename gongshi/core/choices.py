"""Choices shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitRole(models.TextChoices):
    """The seven responsible units of a project (参建责任主体, guidance §4.2)."""

    DEVELOPER = "developer", _("建设单位")
    SURVEY = "survey", _("勘察单位")
    DESIGN = "design", _("设计单位")
    CONTRACTOR = "contractor", _("施工单位")
    SUPERVISION = "supervision", _("监理单位")
    DRAWING_REVIEW = "drawing_review", _("施工图审查机构")
    TESTING = "testing", _("检测机构")


class OrganisationType(models.TextChoices):
    DEVELOPER = "developer", _("建设单位")
    SURVEY = "survey", _("勘察单位")
    DESIGN = "design", _("设计单位")
    CONTRACTOR = "contractor", _("施工单位")
    SUPERVISION = "supervision", _("监理单位")
    DRAWING_REVIEW = "drawing_review", _("施工图审查机构")
    TESTING = "testing", _("检测机构")
    REGULATOR = "regulator", _("住房和城乡建设主管部门")


class HousingType(models.TextChoices):
    COMMERCIAL = "commercial", _("商品住宅")
    AFFORDABLE = "affordable", _("保障性住房")


class DeliveryStandard(models.TextChoices):
    SHELL = "shell", _("毛坯")
    FITTED = "fitted", _("全装修")


class Stage(models.TextChoices):
    """Project stage. Order matters: a later stage includes everything due before it."""

    NOT_STARTED = "not_started", _("未开工")
    UNDER_CONSTRUCTION = "under_construction", _("在建")
    COMPLETED = "completed", _("已竣工验收")
    HANDED_OVER = "handed_over", _("已交付")


STAGE_ORDER = [s.value for s in Stage]
