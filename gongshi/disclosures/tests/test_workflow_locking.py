"""Two people editing the same draft: the second save with a stale lock is refused."""

import pytest
from django.core.exceptions import ValidationError

from gongshi.disclosures import workflow
from gongshi.disclosures.models import DisclosureVersion
from gongshi.workspace.testing import access, household_rows


def test_a_save_with_a_stale_lock_version_is_refused_and_writes_nothing(world, item):
    unit = access(world, "unit")
    version = workflow.open_version(unit, item)
    read_by_both = version.lock_version
    first = workflow.save_draft(
        unit, version, lock_version=read_by_both, values={"households": household_rows(2)}
    )
    assert first.lock_version == read_by_both + 1
    second_copy = DisclosureVersion.objects.get(pk=version.pk)
    with pytest.raises(ValidationError) as caught:
        workflow.save_draft(
            unit, second_copy, lock_version=read_by_both, values={"households": household_rows(5)}
        )
    assert caught.value.code == "stale_version"
    assert "已被他人修改" in caught.value.messages[0]
    assert "请刷新页面" in caught.value.messages[0]
    stored = DisclosureVersion.objects.get(pk=version.pk)
    assert len(stored.values["households"]) == 2
    assert stored.lock_version == read_by_both + 1


def test_a_save_with_the_current_lock_version_goes_through(world, item):
    unit = access(world, "unit")
    version = workflow.open_version(unit, item)
    version = workflow.save_draft(unit, version, lock_version=version.lock_version, values={})
    version = workflow.save_draft(
        unit, version, lock_version=version.lock_version, values={"households": household_rows(1)}
    )
    assert version.lock_version == 3


def test_a_draft_with_a_badly_formatted_value_is_refused_but_blanks_are_fine(world, item):
    unit = access(world, "unit")
    version = workflow.open_version(unit, item)
    workflow.save_draft(
        unit, version, lock_version=version.lock_version, values={"households": [{"room": "0101"}]}
    )
    with pytest.raises(Exception) as caught:
        workflow.save_draft(
            unit,
            version,
            lock_version=version.lock_version,
            values={"households": [{"room": "0101", "date": "明天"}]},
        )
    assert "第 1 行：验收日期不是有效日期" in str(caught.value)
    version.refresh_from_db()
    assert version.values["households"][0]["date"] is None
