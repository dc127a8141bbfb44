"""Finding projects: one FilterSet shared by the home page, the kiosk, the exports and the API.

``q`` matches the project's search text (name, address, developer, city and district, in
Chinese, full pinyin and pinyin initials — see :mod:`gongshi.projects.search_text`), every
word of it; a one-character Chinese query works like any other. Filters narrow by city or
district (GB/T 2260 code), stage, housing type and delivery standard.
"""

from __future__ import annotations

import django_filters
from django.db import connections
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from gongshi.core.choices import DeliveryStandard, HousingType, Stage
from gongshi.projects.models import Project
from gongshi.projects.search_index import Filters, FtsSearch, name_tier
from gongshi.projects.search_text import query_terms
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

    def results(self) -> QuerySet | RankedResults:
        """What the home page and the API page through: the search of :attr:`qs`.

        A search by words in relevance order on SQLite is answered from the FTS index
        alone (:class:`RankedResults`): counting and ordering thousands of hits never reads
        their rows. Everything else pages :attr:`qs`.
        """
        queryset = self.qs
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else None
        if not data or connection_vendor(queryset) != "sqlite":
            return queryset
        terms = query_terms(data.get("q") or "")
        if not terms or (data.get("sort") or Sort.RELEVANCE) != Sort.RELEVANCE:
            return queryset
        city = (data.get("city") or "").strip()
        filters = Filters(
            region_prefix=Region(code=city, level=_level_of(city)).prefix if city else "",
            stage=data.get("stage") or "",
            housing_type=data.get("housing_type") or "",
            delivery_standard=data.get("delivery_standard") or "",
        )
        return RankedResults(FtsSearch(terms, filters, using=queryset.db), queryset)

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


def connection_vendor(queryset: QuerySet) -> str:
    return connections[queryset.db].vendor


class RankedResults:
    """A search in relevance order, paged from the SQLite FTS index (a Paginator's object list).

    The same order as :func:`sort_projects` gives :attr:`ProjectFilterSet.qs` (tested):
    projects whose name holds every word, then the rest, newest first within each.
    """

    def __init__(self, search: FtsSearch, queryset: QuerySet) -> None:
        self.search = search
        self.queryset = queryset
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.search.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(self.count())
        if stop <= start:
            return []
        ids = self.search.page(start, stop - start)
        found = self.queryset.model.objects.select_related("region__parent", "developer").in_bulk(
            ids
        )
        return [found[pk] for pk in ids if pk in found]


def sort_projects(queryset: QuerySet, sort: str, query: str = "") -> QuerySet:
    """Order search results; ``pk`` last so pages never overlap."""
    terms = query_terms(query)
    if sort == Sort.RELEVANCE and terms:
        # A project whose name contains the words comes before one that matched only by
        # address, developer or pinyin; the newest first within each (the order the
        # search index keeps, see RankedResults).
        tier = name_tier(terms, connection_vendor(queryset))
        return queryset.annotate(
            relevance=Case(When(tier, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("relevance", "-pk")
    if sort == Sort.NAME:
        return queryset.order_by("name", "pk")
    if sort == Sort.NEWEST:
        return queryset.order_by("-created_at", "-pk")
    # Projects with nothing published yet go last on every database (PostgreSQL would put
    # NULL first in a descending sort). The column is kept by publish_version; the index
    # ``project_last_published`` read backwards gives this order without a sort.
    return queryset.order_by(F("last_published_at").desc(nulls_last=True), "-pk")
