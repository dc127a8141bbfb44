import datetime as dt

import pytest

from gongshi.core.testing import FROZEN_NOW


@pytest.fixture
def now(frozen_now):
    return FROZEN_NOW  # Wednesday 2026-11-25, 10:00 in Shanghai


def start_project(project, started_on: dt.date) -> None:
    """An item due during construction falls due 7 days (the default threshold) after this."""
    project.started_on = started_on
    project.save(update_fields=["started_on"])
