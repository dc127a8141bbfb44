"""How long a project's online disclosure is guaranteed (guidance §5.2), derived from its dates.

Online disclosure lasts at least until six months after completion acceptance (竣工验收合格).
Warranty information is kept as long as the warranty it describes runs: each part of the
works has its period (:class:`gongshi.catalogue.models.WarrantyPart`, the statutory minimums
of 建设工程质量管理条例 第四十条 unless the administrator lengthened them), counted from the
handover date (交付, 商品房销售管理办法 第三十三条), and each warranty item stays online until
the latest end of the periods it follows. The foundation and main structure are warranted for
the design service life the project disclosed (``other.design_service_life``), else
:data:`DEFAULT_DESIGN_LIFE_YEARS`. Everything is derived at read time; nothing published is
ever removed from the archive: the dates say what is *guaranteed* online, not when pages vanish.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from gongshi.catalogue.models import WarrantyMeasure, WarrantyPart

ONLINE_MONTHS_AFTER_COMPLETION = 6
#: Ordinary buildings (GB 50068-2018 统一标准, 普通房屋和构筑物): used when the project has
#: not disclosed its design service life.
DEFAULT_DESIGN_LIFE_YEARS = 50
DESIGN_LIFE_ITEM = "other.design_service_life"
#: Heilongjiang's heating season (黑龙江省城市供热条例): 20 October to 20 April. A season
#: counts only if it starts on or after handover, so every season counted is a whole one.
HEATING_SEASON_STARTS = (10, 20)
HEATING_SEASON_ENDS = (4, 20)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def heating_seasons_end(start: dt.date, seasons: int) -> dt.date:
    """The last day of the ``seasons``-th whole heating season starting on or after ``start``."""
    first = start.year if start <= dt.date(start.year, *HEATING_SEASON_STARTS) else start.year + 1
    return dt.date(first + seasons, *HEATING_SEASON_ENDS)


@dataclass(frozen=True)
class WarrantyTerm:
    """One part's warranty for this project: its period and, once handed over, its end."""

    part: WarrantyPart
    #: the period in years (the design life for the structure) or heating seasons
    length: int
    #: the structure's design life was not disclosed: the default applies
    default_design_life: bool
    runs_until: dt.date | None  # None: not handed over yet
    item_ids: frozenset[int] = frozenset()
    item_codes: tuple[str, ...] = ()

    @property
    def measure(self) -> str:
        return self.part.measure

    @property
    def in_seasons(self) -> bool:
        return self.part.measure == WarrantyMeasure.HEATING_SEASONS


@dataclass(frozen=True)
class Retention:
    completion_accepted_on: dt.date | None
    online_until: dt.date | None  # None: completion acceptance has not happened yet
    today: dt.date
    handed_over_on: dt.date | None = None
    warranty: list[WarrantyTerm] = field(default_factory=list)
    #: the design service life the project disclosed (years), or None
    design_life_years: int | None = None

    @property
    def warranty_until(self) -> dt.date | None:
        """The end of the longest warranty period (None before handover)."""
        ends = [t.runs_until for t in self.warranty if t.runs_until is not None]
        return max(ends) if ends else None

    @property
    def default_years(self) -> int:
        return DEFAULT_DESIGN_LIFE_YEARS

    @property
    def default_design_life(self) -> bool:
        return any(t.default_design_life for t in self.warranty)

    @property
    def online_period_ended(self) -> bool:
        return self.online_until is not None and self.today > self.online_until

    @property
    def warranty_period_ended(self) -> bool:
        return self.warranty_until is not None and self.today > self.warranty_until

    def item_until(self, item_id: int) -> dt.date | None:
        """How long one item is guaranteed online: the latest end of the warranty periods it
        follows, or the general online period for any other item (never shorter than it)."""
        ends = [t.runs_until for t in self.warranty if item_id in t.item_ids and t.runs_until]
        if self.online_until is not None:
            ends.append(self.online_until)
        return max(ends) if ends else None

    def follows_warranty(self, item_id: int) -> bool:
        return any(item_id in t.item_ids for t in self.warranty)


def design_life_from(checklist) -> int | None:
    """The main structure's design service life (years) the project published, if any."""
    entry = checklist.entry(DESIGN_LIFE_ITEM) if checklist is not None else None
    current = entry.current if entry is not None else None
    if current is None or not isinstance(current.values, dict):
        return None  # not published, or a withdrawal / "does not apply"
    try:
        years = int(Decimal(str(current.values.get("structure_years"))))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return years if years > 0 else None


Parts = list[tuple[WarrantyPart, dict[int, str]]]


def warranty_parts() -> Parts:
    """Every part with the items following it, ``{id: code}`` (two queries)."""
    through = WarrantyPart.items.through
    items: dict[int, dict[int, str]] = {}
    for part_id, item_id, code in through.objects.values_list(
        "warrantypart_id", "catalogueitem_id", "catalogueitem__code"
    ):
        items.setdefault(part_id, {})[item_id] = code
    return [(p, items.get(p.pk, {})) for p in WarrantyPart.objects.all()]


def warranty_terms(
    handed_over_on: dt.date | None,
    parts: Parts,
    design_life_years: int | None,
) -> list[WarrantyTerm]:
    terms = []
    for part, items in parts:
        default = False
        if part.measure == WarrantyMeasure.DESIGN_LIFE:
            default = design_life_years is None
            length = design_life_years or DEFAULT_DESIGN_LIFE_YEARS
        else:
            length = part.length or 0
        until = None
        if handed_over_on is not None:
            if part.measure == WarrantyMeasure.HEATING_SEASONS:
                until = heating_seasons_end(handed_over_on, length)
            else:
                until = add_months(handed_over_on, 12 * length)
        terms.append(
            WarrantyTerm(
                part, length, default, until, frozenset(items), tuple(sorted(items.values()))
            )
        )
    return terms


def retention_for(
    project,
    today: dt.date | None = None,
    *,
    checklist=None,
    parts: Parts | None = None,
) -> Retention:
    """The project's retention; ``checklist`` (already loaded) gives its design life, and
    ``parts`` (default: read, two queries) the warranty periods in force."""
    accepted = project.completion_accepted_on
    handed_over = getattr(project, "handed_over_on", None)
    design_life = design_life_from(checklist)
    return Retention(
        completion_accepted_on=accepted,
        online_until=add_months(accepted, ONLINE_MONTHS_AFTER_COMPLETION) if accepted else None,
        today=today or timezone.localdate(),
        handed_over_on=handed_over,
        warranty=warranty_terms(
            handed_over, warranty_parts() if parts is None else parts, design_life
        ),
        design_life_years=design_life,
    )
