"""The statutory warranty periods (建设工程质量管理条例 第四十条) and how they are kept.

In normal use the minimum warranty periods are: the foundation and the main structure, the
reasonable service life the design documents set; roof waterproofing, rooms with waterproofing
requirements and external walls, 5 years; heating and cooling systems, 2 heating and cooling
seasons; electrical wiring, water supply and drainage pipes, equipment installation and
fit-out, 2 years. For a home the buyer's period runs from handover (商品房销售管理办法
第三十三条). The rows are created once after ``migrate``; from then on they are the
administrator's, who may lengthen a period but never shorten it below these minimums.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _

BASIS = "建设工程质量管理条例 第四十条"

#: (code, title, title_en, measure, statutory minimum length or None, items following it)
STATUTORY_PERIODS = [
    ("structure", "地基基础和主体结构", "Foundation and main structure", "design_life", None,
     ["warranty.service", "warranty.liability_successor", "warranty.guarantee_and_manual",
      "warranty.latent_defect_insurance"]),
    ("waterproofing", "屋面防水、有防水要求的卫生间、房间和外墙面的防渗漏",
     "Roof, wet-room and external-wall waterproofing", "years", 5,
     ["warranty.service", "warranty.liability_successor", "warranty.guarantee_and_manual",
      "warranty.latent_defect_insurance"]),
    ("heating_cooling", "供热与供冷系统", "Heating and cooling systems", "heating_seasons", 2,
     ["warranty.service", "warranty.liability_successor", "warranty.guarantee_and_manual"]),
    ("installation", "电气管线、给排水管道、设备安装", "Electrical, plumbing and equipment",
     "years", 2,
     ["warranty.service", "warranty.liability_successor", "warranty.guarantee_and_manual"]),
    ("fitout", "装修工程", "Fit-out", "years", 2,
     ["warranty.service", "warranty.liability_successor", "warranty.guarantee_and_manual"]),
]  # fmt: skip
MINIMUMS = {code: (measure, length) for code, _t, _e, measure, length, _i in STATUTORY_PERIODS}


def check_period(part) -> None:
    """Raise a ValidationError saying what to fix if ``part``'s period breaks the law."""
    measure, minimum = MINIMUMS.get(part.code, (part.measure, None))
    if measure == "design_life":
        if part.length is not None:
            raise ValidationError({"length": _("此部位按项目公示的设计使用年限保修，期限请留空。")})
        return
    if part.length is None:
        raise ValidationError({"length": _("请填写期限（年数或采暖期数）。")})
    if minimum is not None and part.length < minimum:
        raise ValidationError(
            {
                "length": _(
                    "不能低于法定最低保修期限 %(minimum)d（%(basis)s），请填写 %(minimum)d 或更长。"
                )
                % {"minimum": minimum, "basis": BASIS}
            }
        )


def ensure_warranty_parts(using: str = DEFAULT_DB_ALIAS, **kwargs) -> int:
    """Create the statutory periods that are missing (after ``migrate``); returns how many.

    Existing rows are left alone: they may carry the administrator's longer periods.
    """
    # Through the app registry: the models module imports this one (check_period).
    CatalogueItem = apps.get_model("catalogue", "CatalogueItem")  # noqa: N806
    WarrantyPart = apps.get_model("catalogue", "WarrantyPart")  # noqa: N806
    parts = WarrantyPart.objects.using(using)
    existing = set(parts.values_list("code", flat=True))
    missing = [row for row in STATUTORY_PERIODS if row[0] not in existing]
    if not missing:
        return 0
    items = dict(
        CatalogueItem.objects.using(using)
        .filter(code__in={c for row in missing for c in row[5]})
        .values_list("code", "pk")
    )
    with transaction.atomic(using=using):
        for position, (code, title, title_en, measure, length, codes) in enumerate(
            STATUTORY_PERIODS
        ):
            if code in existing:
                continue
            part = parts.create(
                code=code,
                title=title,
                title_en=title_en,
                measure=measure,
                length=length,
                basis=BASIS,
                sort_order=position,
            )
            part.items.set([items[c] for c in codes if c in items])
    return len(missing)
