import datetime as dt

import pytest

from gongshi.supervision import services
from gongshi.supervision.models import ActionKind


@pytest.fixture
def harbin_regulator(world):
    return world.users["regulator"].organisations.get()


@pytest.fixture
def key_supervision(world, harbin_regulator):
    return services.make_action(
        kind=ActionKind.KEY_SUPERVISION,
        project=world.project,
        subject=world.project.developer,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 9, 1),
        reason="多次被投诉公示信息更新不及时",
        inspection_interval_days=14,
    )
