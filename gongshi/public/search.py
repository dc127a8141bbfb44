"""Finding projects: one FilterSet shared by the home page, the kiosk, the exports and the API.

``q`` matches the project's search text (name, address, developer, city and district, in
Chinese, full pinyin and pinyin initials — see :mod:`gongshi.projects.search_text`), every
word of it; a one-character Chinese query works like any other. Filters narrow by city or
district (GB/T 2260 code), stage, housing type and delivery standard.
"""

from __future__ import annotations

import django_filters
from django.db.models import (
    Case,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from gongshi.core.choices import DeliveryStandard, HousingType, Stage
from gongshi.disclosures.models import DisclosureVersion, VersionStatus
from gongshi.projects.models import Project
from gongshi.regions.models import Region, RegionLevel

MAX_QUERY_LENGTH = 100
ANY = _("不限")


class Sort:
    RELEVANCE = "relevance"
    UPDATED = "updated"
    NAME = "name"
    NEWEST = "newest"

    CHOICES = [
        (RELEVANCE, _("最相关")),
        (UPDATED, _("最近公示")),
        (NAME, _("项目名称")),
        (NEWEST, _("最新登记")),
    ]


def last_published_subquery() -> Subquery:
    """The time of a project's most recent publication (None if nothing is published yet)."""
    versions = (
        DisclosureVersion.objects.filter(
            disclosure__project=OuterRef("pk"), status=VersionStatus.PUBLISHED
        )
        .order_by()
        .values("disclosure__project")
        .annotate(last=Max("published_at"))
        .values("last")
    )
    return Subquery(versions)


def region_choices() -> list[tuple[str, str]]:
    """Cities and their districts for the filter, in code order (one query)."""
    regions = Region.objects.filter(
        level__in=[RegionLevel.PREFECTURE, RegionLevel.COUNTY]
    ).order_by("code")
    return [
        (r.code, r.name if r.level == RegionLevel.PREFECTURE else f"\u3000{r.name}")
        for r in regions
    ]


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        label=_("关键词"),
        help_text=_(
            "项目名称、地址、建设单位、城市或区县；可用拼音全拼或首字母，如 haerbin、hrb。"
        ),
    )
    city = django_filters.CharFilter(
        method="filter_city",
        label=_("城市或区县"),
        help_text=_("行政区划代码（GB/T 2260），如 230100 哈尔滨市、230103 南岗区。"),
    )
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("项目阶段"), empty_label=ANY)
    housing_type = django_filters.ChoiceFilter(
        choices=HousingType.choices, label=_("住房类型"), empty_label=ANY
    )
    delivery_standard = django_filters.ChoiceFilter(
        choices=DeliveryStandard.choices, label=_("交付标准"), empty_label=ANY
    )
    sort = django_filters.ChoiceFilter(
        choices=Sort.CHOICES, method="sort_by", label=_("排序"), empty_label=None
    )

    class Meta:
        model = Project
        fields = ["q", "city", "stage", "housing_type", "delivery_standard"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.matching(value)

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not (len(value) == 6 and value.isdigit()):
            return queryset.none()
        region = Region(code=value, level=_level_of(value))
        return queryset.filter(region__code__startswith=region.prefix)

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied in ``qs`` after every filter, see below

    @property
    def qs(self) -> QuerySet:
        queryset = super().qs.select_related("region__parent", "developer")
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        query = (data.get("q") or "").strip()
        sort = data.get("sort") or (Sort.RELEVANCE if query else Sort.UPDATED)
        return sort_projects(queryset, sort, query)


def _level_of(code: str) -> str:
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.PREFECTURE
    return RegionLevel.COUNTY


def sort_projects(queryset: QuerySet, sort: str, query: str = "") -> QuerySet:
    """Order search results; ``pk`` last so pages never overlap."""
    if sort == Sort.RELEVANCE and query:
        terms = query.split()
        # A project whose name contains the words comes before one that matched only by
        # address, developer or pinyin.
        name_hit = Q()
        for term in terms:
            name_hit &= Q(name__icontains=term)
        return queryset.annotate(
            relevance=Case(
                When(name_hit, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        ).order_by("relevance", "name", "pk")
    if sort == Sort.NAME:
        return queryset.order_by("name", "pk")
    if sort == Sort.NEWEST:
        return queryset.order_by("-created_at", "-pk")
    # Projects with nothing published yet go last on every database (PostgreSQL would put
    # NULL first in a descending sort).
    return queryset.annotate(last_published=last_published_subquery()).order_by(
        F("last_published").desc(nulls_last=True), "-pk"
    )
