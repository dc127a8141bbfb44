"""seed_demo gives 松北·悦澜湾二期's first building its household archive (issue 16)."""

from __future__ import annotations

from gongshi.demo.households import PROJECT, seed_households
from gongshi.households.models import (
    FlatArchive,
    InspectionProblem,
    ProblemAction,
    ProblemStatus,
    SampleRoom,
)

from .conftest import SEED_NOW


def test_the_first_building_has_its_flats_and_published_measured_data(demo):
    archives = FlatArchive.objects.filter(project__code=PROJECT)
    assert archives.count() == 72
    published = list(archives.published().prefetch_related("measurements", "photos"))
    assert len(published) == 4
    assert all(a.photos.count() == 1 for a in published)
    failing = [a for a in published if not all(m.passed for m in a.measurements.all())]
    assert [a.flat.number for a in failing] == ["1202"]


def test_an_owner_inspected_with_one_problem_accepted_and_one_answered(demo):
    problems = InspectionProblem.objects.filter(archive__project__code=PROJECT)
    assert sorted(problems.values_list("status", flat=True)) == sorted(
        [ProblemStatus.ACCEPTED, ProblemStatus.ANSWERED]
    )
    accepted = problems.get(status=ProblemStatus.ACCEPTED)
    assert list(accepted.events.values_list("action", flat=True)) == [
        ProblemAction.RECORDED,
        ProblemAction.ANSWERED,
        ProblemAction.ACCEPTED,
    ]
    assert accepted.photo is not None
    assert all(e.at <= SEED_NOW for e in accepted.events.all())
    assert accepted.archive.has_owner


def test_the_sample_flat_has_six_labelled_rooms(demo):
    assert SampleRoom.objects.filter(project__code=PROJECT).count() == 6


def test_seeding_again_adds_nothing(demo):
    assert seed_households(SEED_NOW.date()) == 0
