"""Everything the public reads about one project, loaded in a constant number of queries.

The project page, the item page, the household lookup, the board, the screen, the widget
and the API's project detail all start from :func:`load_project_page`; none of them adds
queries per item, version, file or table row:

1. the project with its region, city and developer;
2. its seven units;
3. its published disclosure plan;
   (and its buildings, after the checklist);
4–11. its checklist (:func:`gongshi.disclosures.checklist.project_checklist`: catalogue items,
   local requirements, disclosures, the buildings each covers, versions, attachments, files,
   current values).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404

from gongshi.catalogue.models import Category
from gongshi.core.choices import UnitRole
from gongshi.disclosures.checklist import (
    Checklist,
    ChecklistEntry,
    InstanceEntry,
    project_checklist,
)
from gongshi.disclosures.models import DisclosureVersion, VersionKind, VersionStatus
from gongshi.projects.models import Participation, Project
from gongshi.public.display import (
    TABLE_PREVIEW_ROWS,
    ScalarField,
    TablePage,
    scalar_fields,
    table_pages,
)
from gongshi.public.retention import Retention, retention_for
from gongshi.public.status import (
    Status,
    completeness_percent,
    entry_status,
    group_status,
    instance_public_version,
    instance_status,
    public_version,
)

UNIT_ORDER = [r.value for r in UnitRole]


def get_project(code: str) -> Project:
    """The project with this public code (case-insensitive), or 404."""
    return get_object_or_404(
        Project.objects.select_related("region__parent", "developer"), code=code.strip().upper()
    )


def _published(disclosure) -> list[DisclosureVersion]:
    if disclosure is None:
        return []
    versions = [v for v in disclosure.versions.all() if v.status == VersionStatus.PUBLISHED]
    return sorted(versions, key=lambda v: v.number)


def published_history(entry: ChecklistEntry) -> list[DisclosureVersion]:
    """An entry's published versions, oldest first (from the prefetched versions: no query).

    For a repeatable item: every instance's, by publication time.
    """
    if entry.item.repeatable:
        versions = [v for i in entry.instances for v in _published(i.disclosure)]
        return sorted(versions, key=lambda v: (v.published_at, v.pk))
    return _published(entry.disclosure)


@dataclass
class _ContentView:
    """What a reader sees of one disclosure: the public version's fields, tables and files."""

    version: DisclosureVersion | None  # what the public reads (None: nothing, or withdrawn)
    history: list[DisclosureVersion]
    fields: list[ScalarField] = field(default_factory=list)
    tables: list[TablePage] = field(default_factory=list)

    @property
    def files(self) -> list:
        return list(self.version.attachments.all()) if self.version else []

    @property
    def short_fields(self) -> list[ScalarField]:
        return [f for f in self.fields if not f.long]

    @property
    def long_fields(self) -> list[ScalarField]:
        return [f for f in self.fields if f.long]

    def _current(self):
        raise NotImplementedError

    @property
    def inapplicable_by(self) -> DisclosureVersion | None:
        """The declaration that the item does not apply to this project, if that is current."""
        current = self._current()
        return current if current is not None and current.kind == VersionKind.INAPPLICABLE else None

    @property
    def withdrawn_by(self) -> DisclosureVersion | None:
        current = self._current()
        if current is None or self.version is not None or current.kind != VersionKind.WITHDRAWAL:
            return None
        return current

    def _fill(self, item, *, table_rows: int, page: int) -> None:
        if self.version is not None:
            values = self.version.values or {}
            self.fields = scalar_fields(item.fields, values)
            self.tables = table_pages(item.fields, values, page=page, per_page=table_rows)


@dataclass
class InstanceView(_ContentView):
    """One instance of a repeatable item (第 n 份): its own content, history and buildings."""

    instance: InstanceEntry | None = None
    item: object = None
    status: Status | None = None
    #: the buildings it covers, read once from the prefetched buildings (the page asks for
    #: them per building and per instance: a 72-building estate asked 36,000 times)
    building_names: list[str] = field(default_factory=list)
    building_ids: set[int] = field(default_factory=set)

    def _current(self):
        return self.instance.current

    @property
    def number(self) -> int:
        return self.instance.number

    @property
    def title(self) -> str:
        return self.instance.title

    @property
    def anchor(self) -> str:
        return "item-" + self.item.code.replace(".", "-") + f"-{self.number}"


def instance_view(
    item, instance: InstanceEntry, *, table_rows: int = TABLE_PREVIEW_ROWS, page: int = 1
) -> InstanceView:
    view = InstanceView(
        version=instance_public_version(instance),
        history=_published(instance.disclosure),
        instance=instance,
        item=item,
        status=instance_status(instance),
        building_names=instance.building_names(),
        building_ids=instance.building_ids(),
    )
    view._fill(item, table_rows=table_rows, page=page)
    return view


@dataclass
class ItemView(_ContentView):
    entry: ChecklistEntry | None = None
    status: Status | None = None
    #: a repeatable item's published instances (withdrawn ones included), in order
    instances: list[InstanceView] = field(default_factory=list)
    #: a warranty item's guaranteed time online, from the periods it follows (else None)
    retained_until: dt.date | None = None
    number = None  # an item, not one of its instances (templates link to the item's page)

    def _current(self):
        return self.entry.current

    @property
    def item(self):
        return self.entry.item

    @property
    def anchor(self) -> str:
        return "item-" + self.entry.item.code.replace(".", "-")

    @property
    def public_count(self) -> int:
        return len(self.entry.public_instances)


@dataclass
class CategoryView:
    category: Category
    items: list[ItemView]
    status: Status
    percent: int
    last_published_at: dt.datetime | None

    @property
    def anchor(self) -> str:
        return f"cat-{self.category.value}"


@dataclass
class ProjectPage:
    project: Project
    participations: list[Participation]
    plan: object | None
    checklist: Checklist
    categories: list[CategoryView]
    retention: Retention
    #: regulators' corrections of the stage dates, newest first (public history)
    stage_corrections: list = field(default_factory=list)
    buildings: list[BuildingView] = field(default_factory=list)

    @property
    def status(self) -> Status:
        return group_status(self.checklist.entries)

    @property
    def percent(self) -> int:
        return completeness_percent(self.checklist)

    @property
    def items(self) -> list[ItemView]:
        return [i for c in self.categories for i in c.items]

    @property
    def last_published_at(self) -> dt.datetime | None:
        dates = [c.last_published_at for c in self.categories if c.last_published_at]
        return max(dates) if dates else None

    def latest_updates(self, limit: int = 8) -> list[tuple[ItemView, DisclosureVersion]]:
        """The most recent publications (corrections and withdrawals included), newest first."""
        pairs = [(i, v) for i in self.items for v in i.history]
        pairs.sort(key=lambda p: p[1].published_at, reverse=True)
        return pairs[:limit]

    def permits(self) -> list[ItemView]:
        return [
            i
            for i in self.items
            if i.item.category == Category.PROCEDURE and (i.version or i.instances)
        ]

    def building(self, pk: int) -> BuildingView | None:
        return next((b for b in self.buildings if b.building.pk == pk), None)


def item_view(
    entry: ChecklistEntry, *, table_rows: int = TABLE_PREVIEW_ROWS, page: int = 1
) -> ItemView:
    view = ItemView(
        version=public_version(entry) if not entry.item.repeatable else None,
        history=published_history(entry),
        entry=entry,
        status=entry_status(entry),
    )
    if entry.item.repeatable:
        view.instances = [
            instance_view(entry.item, i, table_rows=table_rows, page=page)
            for i in entry.published_instances
        ]
    else:
        view._fill(entry.item, table_rows=table_rows, page=page)
    return view


@dataclass
class BuildingView:
    """One building as the public reads it: the instances that cover it, item by item."""

    building: object
    #: (item view, the instances covering this building) for every building-tied item
    rows: list[tuple[ItemView, list[InstanceView]]]

    @property
    def anchor(self) -> str:
        return f"building-{self.building.pk}"

    @property
    def instances(self) -> list[tuple[ItemView, InstanceView]]:
        return [(view, i) for view, covering in self.rows for i in covering]


def building_views(project: Project, items: list[ItemView]) -> list[BuildingView]:
    """Every building of the project with the building-tied items' instances (one query)."""
    tied = [v for v in items if v.item.covers_buildings]
    # Each instance filed under the buildings it covers, in one pass (not buildings ×
    # instances): {(item view index, building pk): [instances, in order]}.
    covering: dict[tuple[int, int], list[InstanceView]] = defaultdict(list)
    for index, view in enumerate(tied):
        for instance in view.instances:
            for pk in instance.building_ids:
                covering[(index, pk)].append(instance)
    return [
        BuildingView(
            building=building,
            rows=[(v, covering.get((index, building.pk), [])) for index, v in enumerate(tied)],
        )
        for building in project.buildings.all()
    ]


def _ordered_participations(project: Project) -> list[Participation]:
    order = Case(
        *[When(role=r, then=Value(i)) for i, r in enumerate(UNIT_ORDER)],
        output_field=IntegerField(),
    )
    return list(
        project.participations.select_related("organisation").annotate(o=order).order_by("o", "pk")
    )


#: How long a built page stays in the cache; a change of data changes the key anyway.
PAGE_CACHE_SECONDS = 86400


def cached_project_page(code: str, content_key: str) -> ProjectPage:
    """:func:`load_project_page`, kept in the cache under the data fingerprint's content key.

    The key (:func:`gongshi.public.conditional.project_fingerprint`) changes with anything
    the page shows and with the date, and the page holds nothing reader-specific, so every
    reader of the same data and language shares one build: the checklist, the six
    categories and the history are built once per change, not once per request.
    """
    key = f"public:project-page:{content_key}"
    page = cache.get(key)
    if page is None:
        page = load_project_page(get_project(code))
        cache.set(key, page, PAGE_CACHE_SECONDS)
    return page


def load_project_page(project: Project, *, today: dt.date | None = None) -> ProjectPage:
    from gongshi.workspace.models import current_plan

    checklist = project_checklist(project, today=today)
    categories = []
    for category, entries in checklist.by_category():
        items = [item_view(e) for e in entries]
        published = [v.published_at for i in items for v in i.history]
        categories.append(
            CategoryView(
                category=category,
                items=items,
                status=group_status(entries),
                percent=completeness_percent(checklist, category.value),
                last_published_at=max(published) if published else None,
            )
        )
    retention = retention_for(project, today, checklist=checklist)
    for category in categories:
        for view in category.items:
            if retention.follows_warranty(view.item.pk):
                view.retained_until = retention.item_until(view.item.pk)
    page = ProjectPage(
        project=project,
        participations=_ordered_participations(project),
        plan=current_plan(project),
        checklist=checklist,
        categories=categories,
        retention=retention,
        stage_corrections=list(project.stage_corrections.select_related("regulator")),
    )
    page.buildings = building_views(project, page.items)
    return page
