"""The suite passes on any date: a test module that names a calendar date runs at the frozen
"now" (conftest.py ``frozen_now``), so it cannot compare that date with the real clock."""

from __future__ import annotations

import re
from pathlib import Path

import gongshi

# dt.date(2026, …), datetime(2026, …), at(2026, …), "2026-11-25"
CALENDAR_DATE = re.compile(r"\b(?:date|datetime|at)\(\s*20\d\d\s*,|[\"']20\d\d-\d\d-\d\d")
ROOT = Path(gongshi.__file__).parent


def test_every_test_module_naming_a_calendar_date_freezes_the_clock():
    unfrozen = []
    for path in sorted(ROOT.glob("*/tests/**/*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name == "conftest.py" or not path.name.startswith("test_"):
            continue
        if CALENDAR_DATE.search(text) and "frozen_now" not in text and "travel(" not in text:
            unfrozen.append(str(path.relative_to(ROOT)))
    assert unfrozen == [], (
        "These test modules name calendar dates but do not travel to the suite's fixed now; "
        'add `pytestmark = pytest.mark.usefixtures("frozen_now")`: ' + ", ".join(unfrozen)
    )


def test_the_pattern_finds_the_dates_it_is_meant_to():
    for sample in ("dt.date(2026, 11, 25)", "at(2026, 9, 30, 16)", '"2027-01-04"'):
        assert CALENDAR_DATE.search(sample), sample
    assert not CALENDAR_DATE.search('"建字第230103202500777号"')
