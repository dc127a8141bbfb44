"""The public reads every instance of a repeatable item, each at its own stable address, and
reads the project per building."""

import pytest
from django.test import Client

from gongshi.catalogue.tests.factories import publish
from gongshi.core.testing import ROLES, assert_matrix
from gongshi.disclosures.models import Disclosure
from gongshi.projects.models import Building

pytestmark = pytest.mark.usefixtures("frozen_now")


def add_buildings(project, n: int) -> list[Building]:
    return [
        Building.objects.create(project=project, name=f"{i}号楼", position=i, floors_above=18)
        for i in range(1, n + 1)
    ]


def publish_batch(world, item, instance: int, buildings, number: str, **kwargs):
    disclosure, _ = Disclosure.objects.get_or_create(
        project=world.project, item=item, instance=instance, defaults={"label": f"第{instance}批"}
    )
    disclosure.buildings.set(buildings)
    return publish(
        world.project,
        item,
        world.users["developer"],
        values={"certificate_number": number, "issued_on": "2025-03-01", "authority": "哈尔滨市"},
        instance=instance,
        **kwargs,
    )


def test_the_project_page_shows_every_instance_with_its_buildings(world, presale):
    b = add_buildings(world.project, 4)
    publish_batch(world, presale, 1, b[:2], "哈预2025001")
    publish_batch(world, presale, 2, b[2:], "哈预2025002")
    html = Client().get(f"/p/{world.project.code}/").content.decode()
    assert "哈预2025001" in html and "哈预2025002" in html
    assert "涵盖楼栋：3号楼、4号楼" in html
    assert f'href="/p/{world.project.code}/i/t.presale_permit/2/"' in html
    assert f'href="/p/{world.project.code}/b/{b[0].pk}/"' in html


def test_everyone_reads_an_instance_page_and_the_item_page_lists_the_instances(world, presale):
    publish_batch(world, presale, 1, [], "哈预2025001")
    publish_batch(world, presale, 2, [], "哈预2025002")
    code = world.project.code
    assert_matrix(world, "get", f"/p/{code}/i/t.presale_permit/2/", dict.fromkeys(ROLES, 200))
    html = Client().get(f"/p/{code}/i/t.presale_permit/2/").content.decode()
    assert "哈预2025002" in html and "哈预2025001" not in html
    listing = Client().get(f"/p/{code}/i/t.presale_permit/").content.decode()
    assert "哈预2025001" in listing and "哈预2025002" in listing


def test_an_unpublished_or_unknown_instance_is_not_found(world, presale, catalogue):
    publish_batch(world, presale, 1, [], "哈预2025001")
    Disclosure.objects.create(project=world.project, item=presale, instance=2, label="第二批")
    code = world.project.code
    assert Client().get(f"/p/{code}/i/t.presale_permit/2/").status_code == 404
    assert Client().get(f"/p/{code}/i/t.presale_permit/9/").status_code == 404
    # A non-repeatable item has no instance pages; its item page stays where it was.
    publish(
        world.project,
        catalogue["planning"],
        world.users["developer"],
        values={"certificate_number": "S", "issued_on": "2025-03-01", "authority": "哈尔滨市"},
    )
    assert Client().get(f"/p/{code}/i/t.planning_permit/1/").status_code == 404
    assert Client().get(f"/p/{code}/i/t.planning_permit/").status_code == 200


def test_a_building_page_shows_the_instances_that_cover_it(world, presale):
    b = add_buildings(world.project, 3)
    publish_batch(world, presale, 1, b[:2], "哈预2025001")
    publish_batch(world, presale, 2, b[2:], "哈预2025002")
    url = f"/p/{world.project.code}/b/{b[2].pk}/"
    assert_matrix(world, "get", url, dict.fromkeys(ROLES, 200))
    html = Client().get(url).content.decode()
    assert "哈预2025002" in html and "哈预2025001" not in html
    assert 'aria-current="page">3号楼' in html


def test_a_building_of_another_project_is_not_found(world, presale):
    elsewhere = add_buildings(world.other_project, 1)[0]
    assert Client().get(f"/p/{world.project.code}/b/{elsewhere.pk}/").status_code == 404


def test_queries_stay_constant_with_many_instances_and_buildings(
    world, presale, django_assert_max_num_queries
):
    client = Client()
    b = add_buildings(world.project, 2)
    publish_batch(world, presale, 1, b, "哈预2025001")
    with django_assert_max_num_queries(40) as small:
        assert client.get(f"/p/{world.project.code}/").status_code == 200
    more = [
        Building.objects.create(project=world.project, name=f"{i}栋", position=i, floors_above=9)
        for i in range(10, 30)
    ]
    for n in range(2, 12):
        publish_batch(world, presale, n, more[n : n + 3], f"哈预2025{n:03d}")
        publish_batch(world, presale, n, more[n : n + 3], f"哈预2025{n:03d}A", reason="更正证号")
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(f"/p/{world.project.code}/")
    assert response.status_code == 200
    assert "哈预2025011A" in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/p/{world.project.code}/b/{more[5].pk}/").status_code == 200
