from gongshi.core.choices import UnitRole
from gongshi.projects.models import Project


def test_the_world_has_a_project_with_seven_units(world):
    roles = set(world.project.participations.values_list("role", flat=True))
    assert roles == {r.value for r in UnitRole}


def test_a_regulator_area_contains_its_districts_projects(world):
    harbin = world.users["regulator"].organisations.get().region
    assert list(Project.objects.within(harbin)) == [world.project]
