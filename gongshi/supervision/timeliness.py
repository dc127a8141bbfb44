"""The timeliness threshold in force for a region, in Python and as a database expression."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When

from gongshi.supervision.models import TimelinessSetting


def _settings_by_prefix() -> list[tuple[str, int]]:
    """(region prefix, days), most specific first: county, then city, then province. One query."""
    rows = TimelinessSetting.objects.select_related("region")
    found = [(s.region.prefix, s.threshold_days) for s in rows]
    return sorted(found, key=lambda pair: -len(pair[0]))


def _pick(found: list[tuple[str, int]], region_code: str) -> int:
    for prefix, days in found:
        if region_code.startswith(prefix):
            return days
    return settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS


def threshold_for(region_code: str) -> int:
    return _pick(_settings_by_prefix(), region_code)


def thresholds_for(region_codes: set[str]) -> dict[str, int]:
    """The threshold of each of several regions (one query)."""
    found = _settings_by_prefix()
    return {code: _pick(found, code) for code in region_codes}


def threshold_expression(region_code_path: str) -> Case | Value:
    """A per-row threshold, where ``region_code_path`` leads to the row's project region code."""
    found = _settings_by_prefix()
    default = Value(settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS, output_field=IntegerField())
    if not found:
        return default
    return Case(
        *[
            When(**{f"{region_code_path}__startswith": prefix}, then=Value(days))
            for prefix, days in found
        ],
        default=default,
        output_field=IntegerField(),
    )
