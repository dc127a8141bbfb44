"""GET /api/v1/catalog/ — the disclosure catalogue as open data."""

from gongshi.catalogue.data.builtin import BUILTIN_ITEMS
from gongshi.catalogue.models import CatalogueItem
from gongshi.catalogue.tests.factories import make_item
from gongshi.core.testing import assert_matrix
from gongshi.regions.models import Region

EVERYONE = {
    "anonymous": 200,
    "outsider": 200,
    "unit": 200,
    "developer": 200,
    "other_regulator": 200,
    "regulator": 200,
    "admin": 200,
}


def test_everyone_reads_the_catalogue(world):
    assert_matrix(world, "GET", "/api/v1/catalog/", EVERYONE)
    assert_matrix(world, "GET", "/api/v1/catalog/procedure.planning_permit/", EVERYONE)


def test_it_lists_every_active_item_with_its_definitions(world, client):
    CatalogueItem.objects.filter(code="materials.other").update(active=False)
    body = client.get("/api/v1/catalog/").json()
    codes = [i["code"] for i in body]
    assert len(codes) == len(BUILTIN_ITEMS) - 1 and "materials.other" not in codes
    permit = next(i for i in body if i["code"] == "procedure.presale_permit")
    assert permit["title"] == "商品房预售许可证"
    assert permit["affordable_requirement"] == "optional"
    assert permit["scans"][0]["label"].startswith("证书原件")
    assert {f["key"] for f in permit["fields"]} >= {"certificate_number", "issue_date"}


def test_it_reads_one_item_by_its_dotted_code(world, client):
    body = client.get("/api/v1/catalog/acceptance.household_summary/").json()
    assert body["title"] == "分户验收汇总表"
    assert client.get("/api/v1/catalog/acceptance.nothing/").status_code == 404


def test_it_filters_by_category_and_by_region_of_local_items(world, client):
    make_item(code="harbin.site_photos", region=Region.objects.get(code="230100"))
    warranty = client.get("/api/v1/catalog/", {"category": "warranty"}).json()
    assert {i["category"] for i in warranty} == {"warranty"} and len(warranty) == 4
    local = client.get("/api/v1/catalog/", {"region": "230100"}).json()
    assert [(i["code"], i["region"]) for i in local] == [("harbin.site_photos", "230100")]


def test_it_costs_the_same_queries_however_many_items(world, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/api/v1/catalog/")
    for n in range(20):
        make_item(code=f"harbin.extra_{n}", region=Region.objects.get(code="230100"))
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/v1/catalog/").json()) == len(BUILTIN_ITEMS) + 20
