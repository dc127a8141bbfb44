"""``gongshi recount``: the derived counts checked against the versions, and repaired."""

import pytest
from django.core.management import call_command

from gongshi.catalogue.tests.factories import make_item, only_items, publish
from gongshi.disclosures import tallies
from gongshi.disclosures.models import Disclosure, PublicationTally


@pytest.fixture
def item(world):
    made = make_item()
    only_items(made)
    return made


def test_it_finds_and_repairs_drift(world, item, capsys):
    developer = world.users["developer"]
    publish(world.project, item, developer, days_after=2)
    PublicationTally.objects.update(count=5)
    Disclosure.objects.update(first_timeliness_days=40)

    with pytest.raises(SystemExit) as exit_info:
        call_command("recount")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "stored 5, versions say 1" in out
    assert "first_timeliness_days" in out

    call_command("recount", "--fix")
    assert tallies.differences() == []
    assert Disclosure.objects.get().first_timeliness_days == 2
    call_command("recount")  # agrees now: no exit
    assert "一致" in capsys.readouterr().out
