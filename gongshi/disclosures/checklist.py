"""A project's disclosure checklist (公示清单): which items apply, which are due, their state.

Everything here is derived at read time from the catalogue, the project's stage and
delivery standard, the local requirements of its area and the disclosure versions — nothing
is stored, so a stage change, a new local item or a publication shows at once.

The number of queries is constant whatever the number of items, disclosures or versions:

* :func:`project_checklist` — one project, with the values, supplier and files of each
  entry's ``current`` and ``pending`` version loaded (for pages that show them);
* :func:`checklists_for` — many projects at once (lists, dashboards); version values are
  *deferred*: reading ``entry.current.values`` there costs a query per entry.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshi.catalogue.effective import LocalExemption, exemption
from gongshi.catalogue.models import (
    CATEGORY_ORDER,
    DUE_FROM_STAGE,
    Applicability,
    CatalogueItem,
    Category,
    LocalRequirement,
    RequirementLevel,
    stricter,
)
from gongshi.core.choices import STAGE_ORDER
from gongshi.disclosures.instances import (
    ONE_PER_BATCH_OR_BUILDING,
    PlanCounts,
    is_complete,
    plan_counts,
    required_for,
)
from gongshi.disclosures.models import (
    Disclosure,
    DisclosureVersion,
    VersionFile,
    VersionKind,
    VersionStatus,
)

# The regulator of each area may set its own threshold for late publication. Supervision owns
# those settings and tells the checklist how to read them at start-up (SupervisionConfig.ready)
# with set_thresholds_source; without one, every area has the platform's default.
ThresholdsSource = Callable[[set[str]], dict[str, int]]
_thresholds_source: ThresholdsSource | None = None


def set_thresholds_source(source: ThresholdsSource) -> None:
    global _thresholds_source
    _thresholds_source = source


def _thresholds_for(region_codes: set[str]) -> dict[str, int]:
    """The late-publication threshold (days) of each region code."""
    if _thresholds_source is None:
        return dict.fromkeys(region_codes, settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS)
    return _thresholds_source(region_codes)


class EntryState(TextChoices):
    """The state of one checklist entry, as the public and the regulator see it."""

    MISSING = "missing", _("未公示")
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    PUBLISHED = "published", _("已公示")
    LATE = "late", _("逾期公示")
    WITHDRAWN = "withdrawn", _("已撤回")
    INAPPLICABLE = "inapplicable", _("不适用")


# States in which the item is disclosed (late is still published; "does not apply", declared
# publicly with the reason, is the disclosure for an item that has no information).
PUBLISHED_STATES = frozenset({EntryState.PUBLISHED, EntryState.LATE, EntryState.INAPPLICABLE})

_PENDING_STATE = {
    VersionStatus.DRAFT: EntryState.DRAFT,
    VersionStatus.SUBMITTED: EntryState.SUBMITTED,
    VersionStatus.RETURNED: EntryState.RETURNED,
}


def region_codes(region_code: str) -> set[str]:
    """The codes whose local items and requirements apply to a region: itself, its city, its province."""
    return {region_code, region_code[:4] + "00", region_code[:2] + "0000"}


def is_due(item: CatalogueItem, stage: str) -> bool:
    """Whether an item is due at a project stage (a later stage includes everything before)."""
    return STAGE_ORDER.index(DUE_FROM_STAGE[item.due_stage]) <= STAGE_ORDER.index(stage)


def applies(item: CatalogueItem, project, today: dt.date) -> bool:
    """Whether an item is on a project's checklist at all (any stage).

    Mirrors :meth:`CatalogueItemQuerySet.for_project`, plus the effective date: a local item
    counts only from its ``effective_from``. Needs ``item.region`` and ``project.region`` loaded.
    """
    if not item.active:
        return False
    if item.applies_to not in (Applicability.BOTH, project.delivery_standard):
        return False
    if item.region_id is not None and item.region.code not in region_codes(project.region.code):
        return False
    return item.effective_from is None or item.effective_from <= today


def is_late(timeliness_days: int | None, threshold: int | None = None) -> bool:
    """Published more than ``threshold`` days (the region's; platform default) after the fact."""
    if threshold is None:
        threshold = settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS
    return timeliness_days is not None and timeliness_days > threshold


@dataclass
class InstanceEntry:
    """One instance of an item on a project (the only one, for most items)."""

    disclosure: Disclosure
    current: DisclosureVersion | None
    pending: DisclosureVersion | None
    first_published: DisclosureVersion | None
    state: EntryState

    @property
    def number(self) -> int:
        return self.disclosure.instance

    @property
    def title(self) -> str:
        return self.disclosure.instance_title

    @property
    def is_published(self) -> bool:
        return self.state in PUBLISHED_STATES

    @property
    def is_public(self) -> bool:
        """Published with content (not a withdrawal, not "does not apply")."""
        return self.state in (EntryState.PUBLISHED, EntryState.LATE)

    @property
    def has_history(self) -> bool:
        return self.current is not None

    def building_ids(self) -> set[int]:
        return {b.pk for b in self.disclosure.buildings.all()}

    def building_names(self) -> list[str]:
        return self.disclosure.building_names()


@dataclass
class ChecklistEntry:
    """One catalogue item on one project's checklist.

    ``disclosure``, ``current``, ``pending`` and ``first_published`` are those of the item's
    first instance; a repeatable item lists every instance in ``instances`` and its ``state``
    is the item's as a whole (published once ``required_instances`` are public).
    """

    item: CatalogueItem
    disclosure: Disclosure | None
    #: latest published version (may be a withdrawal), or None
    current: DisclosureVersion | None
    #: latest version not yet published (draft, submitted or returned), or None
    pending: DisclosureVersion | None
    #: first published version: its timeliness decides whether the item was disclosed late
    first_published: DisclosureVersion | None
    state: EntryState
    #: due at the project's current stage
    due: bool
    #: effective requirement level in the project's area
    requirement: RequirementLevel
    #: a local item (or raise) that took effect after the project passed its stage
    exemption: LocalExemption | None = None
    #: every instance, in order (empty when nothing has been started)
    instances: list[InstanceEntry] = field(default_factory=list)
    #: how many public instances complete the item (1 unless the plan declares more)
    required_instances: int = 1
    #: why, when the plan gives the number ("每个销售批次一份，共3个批次"); None when declared or 1
    required_reason: str | None = None

    @property
    def repeatable(self) -> bool:
        return self.item.repeatable

    @property
    def public_instances(self) -> list[InstanceEntry]:
        return [i for i in self.instances if i.is_public]

    @property
    def published_instances(self) -> list[InstanceEntry]:
        """Instances with a published version (withdrawn ones included): what the public reads."""
        return [i for i in self.instances if i.has_history]

    @property
    def is_published(self) -> bool:
        return self.state in PUBLISHED_STATES

    @property
    def is_required(self) -> bool:
        if self.exemption is not None and self.exemption.waives_item:
            return False  # see gongshi.catalogue.effective
        return self.requirement == RequirementLevel.REQUIRED

    @property
    def not_required_reason(self) -> str | None:
        return self.exemption.reason if self.exemption is not None else None

    @property
    def counts_toward_completeness(self) -> bool:
        return self.due and self.is_required

    @property
    def timeliness_days(self) -> int | None:
        """Days from the information date to its first publication."""
        return self.first_published.timeliness_days if self.first_published else None

    @property
    def is_missing_required(self) -> bool:
        """Due, required and not public: what a regulator's worklist chases."""
        return self.counts_toward_completeness and not self.is_published


@dataclass
class Checklist:
    project: object
    entries: list[ChecklistEntry] = field(default_factory=list)
    #: days after the information date beyond which a first publication is late (the area's)
    timeliness_threshold: int = 7

    def by_category(self) -> list[tuple[Category, list[ChecklistEntry]]]:
        """All six categories in guidance order, each with its entries (possibly none)."""
        grouped: dict[str, list[ChecklistEntry]] = defaultdict(list)
        for entry in self.entries:
            grouped[entry.item.category].append(entry)
        return [(Category(c), grouped[c]) for c in CATEGORY_ORDER]

    @staticmethod
    def _fraction(entries: Iterable[ChecklistEntry]) -> float:
        counted = [e for e in entries if e.counts_toward_completeness]
        if not counted:
            return 1.0  # nothing is required yet, so nothing is missing
        return sum(e.is_published for e in counted) / len(counted)

    @property
    def completeness(self) -> float:
        """Share of due, required items that are published (late counts; withdrawn does not)."""
        return self._fraction(self.entries)

    def category_completeness(self, category: str) -> float:
        return self._fraction(e for e in self.entries if e.item.category == category)

    @property
    def required_due(self) -> int:
        return sum(e.counts_toward_completeness for e in self.entries)

    @property
    def required_published(self) -> int:
        return sum(e.counts_toward_completeness and e.is_published for e in self.entries)

    @property
    def counts(self) -> dict[str, int]:
        """Entries per state (every state present, zero if none)."""
        counted = Counter(e.state for e in self.entries)
        return {state.value: counted.get(state, 0) for state in EntryState}

    @property
    def missing_required(self) -> list[ChecklistEntry]:
        return [e for e in self.entries if e.is_missing_required]

    @property
    def late(self) -> list[ChecklistEntry]:
        return [e for e in self.entries if e.state == EntryState.LATE]

    def entry(self, code: str) -> ChecklistEntry | None:
        return next((e for e in self.entries if e.item.code == code), None)


def _entry_state(current, pending, first_published, threshold: int) -> EntryState:
    if current is not None:
        if current.kind == VersionKind.WITHDRAWAL:
            return EntryState.WITHDRAWN
        if current.kind == VersionKind.INAPPLICABLE:
            return EntryState.INAPPLICABLE
        if first_published is not None and is_late(first_published.timeliness_days, threshold):
            return EntryState.LATE
        return EntryState.PUBLISHED
    if pending is not None:
        return _PENDING_STATE[pending.status]
    return EntryState.MISSING


def _item_state(instances: list[InstanceEntry], required: int) -> EntryState:
    """A repeatable item's state from its instances' (see :func:`.instances.is_complete`)."""
    states = [i.state for i in instances]
    if instances and instances[0].state == EntryState.INAPPLICABLE:
        return EntryState.INAPPLICABLE
    public = [s for s in states if s in (EntryState.PUBLISHED, EntryState.LATE)]
    if is_complete(len(public), required, inapplicable=False):
        return EntryState.LATE if EntryState.LATE in public else EntryState.PUBLISHED
    for state in (EntryState.RETURNED, EntryState.SUBMITTED, EntryState.DRAFT):
        if state in states:
            return state
    if EntryState.WITHDRAWN in states and not public:
        return EntryState.WITHDRAWN
    return EntryState.MISSING


def _split_versions(versions: list[DisclosureVersion]):
    """(current, pending, first published) from a disclosure's versions in creation order."""
    published = [v for v in versions if v.status == VersionStatus.PUBLISHED]
    published.sort(key=lambda v: v.number)
    unpublished = [v for v in versions if v.status != VersionStatus.PUBLISHED]
    current = published[-1] if published else None
    pending = unpublished[-1] if unpublished else None
    # After a withdrawal a later re-publication starts the item afresh.
    first = None
    for version in published:
        if version.kind in (VersionKind.WITHDRAWAL, VersionKind.INAPPLICABLE):
            first = None
        elif first is None:
            first = version
    return current, pending, first


def _build(
    projects: list,
    *,
    include_not_due: bool,
    today: dt.date,
    version_queryset,
    with_buildings: bool = False,
) -> dict[int, Checklist]:
    codes: set[str] = set()
    for project in projects:
        codes |= region_codes(project.region.code)
    items = list(
        CatalogueItem.objects.filter(Q(region__isnull=True) | Q(region__code__in=codes))
        .filter(active=True)
        .select_related("region")
    )
    # Local raises by item: [(region code, level, effective from)].
    raises: dict[int, list[tuple[str, str, dt.date]]] = defaultdict(list)
    raised: dict[tuple[str, int], str] = {}
    raised_from: dict[tuple[str, int], dt.date] = {}
    for local in LocalRequirement.objects.filter(
        region__code__in=codes, effective_from__lte=today
    ).select_related("region"):
        key = (local.region.code, local.item_id)
        raised[key] = stricter(local.requirement, raised.get(key, local.requirement))
        raised_from[key] = local.effective_from
    for (code, item_id), level in raised.items():
        raises[item_id].append((code, level, raised_from[(code, item_id)]))
    disclosures = Disclosure.objects.filter(project__in=[p.pk for p in projects]).prefetch_related(
        Prefetch("versions", queryset=version_queryset.order_by("created_at", "pk")),
        *(["buildings"] if with_buildings else []),
    )
    thresholds = _thresholds_for({p.region.code for p in projects})
    # The buildings' counts only matter to the items the plan counts (one query, or none).
    counted = (
        plan_counts(p.pk for p in projects)
        if any(i.repeatable and i.code in ONE_PER_BATCH_OR_BUILDING for i in items)
        else {}
    )
    no_counts = PlanCounts()
    by_project: dict[int, dict[int, list[Disclosure]]] = defaultdict(lambda: defaultdict(list))
    for disclosure in disclosures:
        by_project[disclosure.project_id][disclosure.item_id].append(disclosure)

    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    items.sort(key=lambda i: (order[i.category], i.sort_order, i.code))
    # What does not depend on the project, worked out once per item (20 projects × 40 items
    # on a search page: the loop below is most of the work).
    stage_index = {stage: i for i, stage in enumerate(STAGE_ORDER)}
    prepared = [
        (
            item,
            item.pk,
            item.applies_to,
            item.region.code if item.region_id is not None else None,
            item.effective_from,
            stage_index[DUE_FROM_STAGE[item.due_stage]],
            raises.get(item.pk, ()),
        )
        for item in items
    ]
    no_disclosures: dict[int, list[Disclosure]] = {}
    result: dict[int, Checklist] = {}
    for project in projects:
        area = region_codes(project.region.code)
        at_stage = stage_index[project.stage]
        threshold = thresholds[project.region.code]
        checklist = Checklist(project=project, timeliness_threshold=threshold)
        own = by_project.get(project.pk, no_disclosures)
        counts = counted.get(project.pk, no_counts)
        for item, item_pk, applies_to, item_region, effective_from, due_at, local in prepared:
            # applies(), with what it reads already at hand
            if applies_to != Applicability.BOTH and applies_to != project.delivery_standard:
                continue
            if item_region is not None and item_region not in area:
                continue
            if effective_from is not None and effective_from > today:
                continue
            instances = []
            found = own.get(item_pk)
            if found:
                for disclosure in sorted(found, key=lambda d: d.instance):
                    current, pending, first = _split_versions(list(disclosure.versions.all()))
                    state = _entry_state(current, pending, first, threshold)
                    instances.append(InstanceEntry(disclosure, current, pending, first, state))
            primary = instances[0] if instances and instances[0].number == 1 else None
            due = due_at <= at_stage
            if not (due or include_not_due or any(i.current for i in instances)):
                continue  # not due yet and nothing public: not on this stage's checklist
            requirement = item.requirement_for(project.housing_type)
            waived = (
                exemption(effective_from, item.due_stage, project)
                if item_region is not None
                else None
            )
            for code, level, level_from in local:
                if code not in area:
                    continue
                raise_waived = exemption(level_from, item.due_stage, project, waives_item=False)
                if raise_waived is None:
                    requirement = stricter(level, requirement)
                elif stricter(level, requirement) != requirement:
                    waived = waived or raise_waived
            required, required_reason = required_for(
                item, primary.disclosure if primary else None, counts
            )
            if not item.repeatable:
                state = primary.state if primary else EntryState.MISSING
            else:
                state = _item_state(instances, required)
            checklist.entries.append(
                ChecklistEntry(
                    item=item,
                    disclosure=primary.disclosure if primary else None,
                    current=primary.current if primary else None,
                    pending=primary.pending if primary else None,
                    first_published=primary.first_published if primary else None,
                    state=state,
                    due=due,
                    requirement=RequirementLevel(requirement),
                    exemption=waived,
                    instances=instances,
                    required_instances=required,
                    required_reason=required_reason,
                )
            )
        result[project.pk] = checklist
    return result


def project_checklist(
    project, *, include_not_due: bool = False, today: dt.date | None = None
) -> Checklist:
    """The checklist of one project; ``current`` and ``pending`` carry values, supplier, files.

    Not-due items appear only once published early, unless ``include_not_due``.
    """
    _load_regions([project])
    versions = (
        DisclosureVersion.objects.defer("values")
        .select_related("supplied_by", "approved_by")
        .prefetch_related(
            Prefetch("attachments", queryset=VersionFile.objects.select_related("file"))
        )
    )
    checklist = _build(
        [project],
        include_not_due=include_not_due,
        today=today or timezone.localdate(),
        version_queryset=versions,
        with_buildings=True,
    )[project.pk]
    # Values only of the versions shown (not the whole history): one query.
    shown = {
        v.pk: v
        for e in checklist.entries
        for i in e.instances
        for v in (i.current, i.pending)
        if v is not None
    }
    if shown:
        for pk, values in DisclosureVersion.objects.filter(pk__in=shown).values_list(
            "pk", "values"
        ):
            shown[pk].values = values
    return checklist


def _load_regions(projects: list) -> None:
    """Load every project's region in one query (none if already loaded)."""
    from gongshi.regions.models import Region

    missing = [p for p in projects if "region" not in p._state.fields_cache]
    if missing:
        regions = Region.objects.in_bulk({p.region_id for p in missing})
        for project in missing:
            project.region = regions[project.region_id]


def checklists_for(
    projects: Iterable, *, include_not_due: bool = False, today: dt.date | None = None
) -> dict[int, Checklist]:
    """Checklists of many projects by project pk, in a constant number of queries.

    Version ``values`` are deferred (a household table can be thousands of rows); states,
    dates and timeliness are all there.
    """
    if hasattr(projects, "select_related"):
        projects = projects.select_related("region")
    projects = list(projects)
    if not projects:
        return {}
    _load_regions(projects)
    return _build(
        projects,
        include_not_due=include_not_due,
        today=today or timezone.localdate(),
        version_queryset=DisclosureVersion.objects.defer("values"),
    )
