import datetime as dt
from types import SimpleNamespace

import pytest

from gongshi.public.retention import add_months, retention_for

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_six_months_after_the_last_day_of_a_month_is_the_last_day_of_a_shorter_month():
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 3, 18), 6) == dt.date(2025, 9, 18)


def test_online_disclosure_is_guaranteed_until_six_months_after_completion_acceptance():
    project = SimpleNamespace(completion_accepted_on=dt.date(2025, 3, 18))
    retention = retention_for(project, today=dt.date(2025, 9, 18))
    assert retention.online_until == dt.date(2025, 9, 18)
    assert not retention.online_period_ended
    assert retention_for(project, today=dt.date(2025, 9, 19)).online_period_ended


def test_warranty_information_is_kept_five_years_after_completion_acceptance():
    project = SimpleNamespace(completion_accepted_on=dt.date(2025, 3, 18))
    retention = retention_for(project, today=dt.date(2026, 1, 1))
    assert retention.warranty_until == dt.date(2030, 3, 18)
    assert not retention.warranty_period_ended


def test_before_completion_no_end_date_is_set():
    retention = retention_for(
        SimpleNamespace(completion_accepted_on=None), today=dt.date(2026, 1, 1)
    )
    assert retention.online_until is None and retention.warranty_until is None
    assert not retention.online_period_ended
