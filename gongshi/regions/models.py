from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    PREFECTURE = "prefecture", _("地级市")
    COUNTY = "county", _("区县")


class RegionQuerySet(models.QuerySet):
    def within(self, region: "Region") -> "RegionQuerySet":
        """The region and every region below it (GB/T 2260 codes nest by prefix)."""
        return self.filter(code__startswith=region.prefix)

    def prefectures(self) -> "RegionQuerySet":
        return self.filter(level=RegionLevel.PREFECTURE)


class Region(models.Model):
    """An administrative division (行政区划) identified by its GB/T 2260 six-digit code."""

    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    level = models.CharField(_("级别"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """Code prefix shared by this region and all below it: 23, 2301, 230102."""
        if self.level == RegionLevel.PROVINCE:
            return self.code[:2]
        if self.level == RegionLevel.PREFECTURE:
            return self.code[:4]
        return self.code

    def contains(self, other: "Region") -> bool:
        return other.code.startswith(self.prefix)

    @property
    def city(self) -> "Region":
        """The prefecture-level division this region belongs to (itself if it is one).

        Costs a query unless ``parent`` was loaded with select_related.
        """
        if self.level == RegionLevel.COUNTY and self.parent_id:
            return self.parent
        return self
