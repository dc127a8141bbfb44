import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from gongshi.catalogue.models import CatalogueItem, WarrantyPart
from gongshi.public.retention import add_months, heating_seasons_end, retention_for

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.django_db]


def project_on(accepted=None, handed_over=None):
    return SimpleNamespace(completion_accepted_on=accepted, handed_over_on=handed_over)


def term(retention, code):
    return next(t for t in retention.warranty if t.part.code == code)


def published_design_life(years):
    current = SimpleNamespace(values={"structure_years": str(years)})
    return SimpleNamespace(entry=lambda code: SimpleNamespace(current=current))


def test_six_months_after_the_last_day_of_a_month_is_the_last_day_of_a_shorter_month():
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 3, 18), 6) == dt.date(2025, 9, 18)


def test_online_disclosure_is_guaranteed_until_six_months_after_completion_acceptance():
    project = project_on(dt.date(2025, 3, 18))
    retention = retention_for(project, today=dt.date(2025, 9, 18))
    assert retention.online_until == dt.date(2025, 9, 18)
    assert not retention.online_period_ended
    assert retention_for(project, today=dt.date(2025, 9, 19)).online_period_ended


def test_the_statutory_periods_are_loaded():
    periods = {p.code: (p.measure, p.length) for p in WarrantyPart.objects.all()}
    assert periods == {
        "structure": ("design_life", None),
        "waterproofing": ("years", 5),
        "heating_cooling": ("heating_seasons", 2),
        "installation": ("years", 2),
        "fitout": ("years", 2),
    }
    insurance = CatalogueItem.objects.get(code="warranty.latent_defect_insurance")
    assert {p.code for p in insurance.warranty_parts.all()} == {"structure", "waterproofing"}


def test_each_part_runs_its_own_period_from_the_handover_date():
    project = project_on(dt.date(2025, 3, 18), dt.date(2025, 6, 30))
    retention = retention_for(project, today=dt.date(2026, 1, 1))
    assert term(retention, "waterproofing").runs_until == dt.date(2030, 6, 30)
    assert term(retention, "installation").runs_until == dt.date(2027, 6, 30)
    assert term(retention, "fitout").runs_until == dt.date(2027, 6, 30)
    # Two whole heating seasons starting after handover: 2025/26 and 2026/27.
    assert term(retention, "heating_cooling").runs_until == dt.date(2027, 4, 20)
    structure = term(retention, "structure")
    assert structure.default_design_life and structure.length == 50
    assert structure.runs_until == dt.date(2075, 6, 30)
    assert retention.warranty_until == dt.date(2075, 6, 30)


def test_a_heating_season_already_begun_at_handover_does_not_count():
    assert heating_seasons_end(dt.date(2025, 10, 20), 2) == dt.date(2027, 4, 20)
    assert heating_seasons_end(dt.date(2025, 10, 21), 2) == dt.date(2028, 4, 20)
    assert heating_seasons_end(dt.date(2026, 2, 1), 2) == dt.date(2028, 4, 20)


def test_the_structure_follows_the_design_life_the_project_published():
    project = project_on(dt.date(2025, 3, 18), dt.date(2025, 6, 30))
    retention = retention_for(project, checklist=published_design_life(70))
    structure = term(retention, "structure")
    assert not structure.default_design_life and structure.length == 70
    assert structure.runs_until == dt.date(2095, 6, 30)


def test_before_handover_no_warranty_end_date_is_set():
    retention = retention_for(project_on(dt.date(2025, 3, 18)), today=dt.date(2026, 1, 1))
    assert retention.warranty_until is None
    assert all(t.runs_until is None for t in retention.warranty)
    assert not retention.warranty_period_ended


def test_before_completion_no_end_date_is_set():
    retention = retention_for(project_on(), today=dt.date(2026, 1, 1))
    assert retention.online_until is None and retention.warranty_until is None
    assert not retention.online_period_ended


def test_an_item_stays_online_until_the_latest_period_it_follows():
    project = project_on(dt.date(2025, 3, 18), dt.date(2025, 6, 30))
    WarrantyPart.objects.get(code="structure").items.clear()
    retention = retention_for(project, today=dt.date(2026, 1, 1))
    insurance = CatalogueItem.objects.get(code="warranty.latent_defect_insurance")
    service = CatalogueItem.objects.get(code="warranty.service")
    assert retention.item_until(insurance.pk) == dt.date(2030, 6, 30)  # waterproofing only
    assert retention.item_until(service.pk) == dt.date(2030, 6, 30)
    other = CatalogueItem.objects.get(code="other.promises")
    assert not retention.follows_warranty(other.pk)
    assert retention.item_until(other.pk) == dt.date(2025, 9, 18)  # the general six months


def test_a_lengthened_period_moves_the_end_date():
    part = WarrantyPart.objects.get(code="waterproofing")
    part.length = 8
    part.full_clean()
    part.save()
    retention = retention_for(project_on(dt.date(2025, 3, 18), dt.date(2025, 6, 30)))
    assert term(retention, "waterproofing").runs_until == dt.date(2033, 6, 30)


def test_a_period_cannot_be_shortened_below_the_law():
    part = WarrantyPart.objects.get(code="waterproofing")
    part.length = 3
    with pytest.raises(ValidationError) as caught:
        part.full_clean()
    assert "不能低于法定最低保修期限 5" in str(caught.value)


def test_the_structure_takes_no_length_of_its_own():
    part = WarrantyPart.objects.get(code="structure")
    part.length = 30
    with pytest.raises(ValidationError) as caught:
        part.full_clean()
    assert "设计使用年限保修" in str(caught.value)
