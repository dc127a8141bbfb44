import pytest
import yaml
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

from gongshi.core.testing import ROLES, assert_matrix

pytestmark = pytest.mark.one_database  # the schema is generated from code, not from data


def test_everyone_may_read_the_schema(world):
    assert_matrix(world, "get", "/api/schema/", dict.fromkeys(ROLES, 200))


def test_the_schema_is_valid_openapi_3(world, client):
    document = yaml.safe_load(client.get("/api/schema/").content)
    assert document["openapi"].startswith("3.")
    validate(document)


def test_the_public_endpoints_are_documented_with_their_filters(world, client):
    document = yaml.safe_load(client.get("/api/schema/").content)
    listing = document["paths"]["/api/v1/projects/"]["get"]
    params = {p["name"] for p in listing["parameters"]}
    assert {"q", "city", "stage", "housing_type", "delivery_standard", "page"} <= params
    assert "/api/v1/projects/{code}/" in document["paths"]


def test_our_endpoints_generate_without_warnings_or_errors(world):
    GENERATOR_STATS.reset()
    GENERATOR_STATS.silent = True
    try:
        SchemaGenerator(patterns=None).get_schema(request=None, public=True)
        messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    finally:
        GENERATOR_STATS.reset()
        del GENERATOR_STATS.silent  # back to the setting's value
    ours = [
        m
        for m in messages
        if "gongshi/public" in m
        or "ProjectViewSet" in m
        or "ProjectSummary" in m
        or "ProjectDetail" in m
    ]
    assert ours == []


def test_paged_lists_are_documented_as_pages(world, client):
    document = yaml.safe_load(client.get("/api/schema/").content)
    for path in ["/api/v1/projects/{code}/questions/", "/api/v1/projects/{code}/open-days/"]:
        schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        ref = schema["schema"]["$ref"].rsplit("/", 1)[-1]
        properties = document["components"]["schemas"][ref]["properties"]
        assert {"count", "next", "previous", "results"} <= set(properties), path
        body = client.get(path.replace("{code}", world.project.code)).json()
        assert set(body) == {"count", "next", "previous", "results"}, path
