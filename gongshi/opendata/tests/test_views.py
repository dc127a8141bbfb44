"""``/open-data/``, the package's download (ETag, 304) and ``/api/v1/open-data/``."""

from __future__ import annotations

import hashlib

import pytest

from gongshi.catalogue.tests.factories import make_item, publish
from gongshi.core.testing import ROLES, assert_matrix
from gongshi.opendata import package


@pytest.fixture
def built(frozen_now, world):
    publish(world.project, make_item(title="预拌混凝土强度评定"), world.users["developer"])
    return package.build()


def test_before_the_first_run_the_page_explains_and_the_download_is_404(world, client):
    page = client.get("/open-data/")
    assert page.status_code == 404
    assert "开放数据包尚未生成" in page.content.decode()
    assert "export_open_data" in page.content.decode()
    assert client.get("/open-data/gongshi-open-data.zip").status_code == 404
    api = client.get("/api/v1/open-data/")
    assert api.status_code == 404
    assert api.json()["error"]["message"] == "开放数据包尚未生成。"


def test_everyone_may_read_the_page_download_and_metadata(built, world):
    for url in ["/open-data/", "/open-data/gongshi-open-data.zip", "/api/v1/open-data/"]:
        assert_matrix(world, "get", url, dict.fromkeys(ROLES, 200))
    assert_matrix(world, "post", "/open-data/", dict.fromkeys(ROLES, (403, 405)))


def test_the_page_shows_date_size_hash_and_each_file_in_no_query(
    built, client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/open-data/")
    html = response.content.decode()
    assert response.status_code == 200
    assert built["sha256"] in html
    assert f"{built['size']} 字节" in html
    assert 'href="/open-data/gongshi-open-data.zip"' in html
    rows = {r["name"]: r["rows"] for r in built["resources"]}
    assert rows["disclosure_versions"] == 1 and rows["projects"] == 2
    for resource in package.RESOURCES:
        assert resource.path in html
        assert str(resource.title) in html
    assert "CC-BY-4.0" in str(built["datapackage"]["licenses"])


def test_the_page_reads_in_english(built, client):
    html = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open-data package" in html and "Disclosure versions" in html
    assert "Open data" in html  # the footer link


def test_the_download_is_the_zip_with_etag_and_304(built, client):
    response = client.get("/open-data/gongshi-open-data.zip")
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/zip"
    assert hashlib.sha256(content).hexdigest() == built["sha256"]
    assert response["ETag"] == f'"{built["sha256"]}"'
    assert response["Content-Length"] == str(built["size"])
    assert "attachment" in response["Content-Disposition"]
    assert response["Last-Modified"]
    again = client.get("/open-data/gongshi-open-data.zip", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["ETag"] == response["ETag"]
    since = client.get(
        "/open-data/gongshi-open-data.zip", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
    )
    assert since.status_code == 304
    stale = client.get("/open-data/gongshi-open-data.zip", HTTP_IF_NONE_MATCH='"0000"')
    assert stale.status_code == 200


def test_the_api_gives_the_metadata_and_the_descriptor(built, client):
    data = client.get("/api/v1/open-data/").json()
    assert data["sha256"] == built["sha256"] and data["size"] == built["size"]
    assert data["download_url"].endswith("/open-data/gongshi-open-data.zip")
    assert data["datapackage"]["profile"] == "tabular-data-package"
    assert [r["name"] for r in data["resources"]] == [r.name for r in package.RESOURCES]


def test_the_schema_lists_the_endpoint(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/open-data/" in schema["paths"]


def test_the_footer_and_the_home_page_link_to_it(world, client):
    html = client.get("/").content.decode()
    assert html.count('href="/open-data/"') == 2


def test_a_process_that_cached_the_previous_package_serves_the_new_one(
    built, frozen_now, world, client
):
    import datetime as dt

    from django.core.cache import cache

    frozen_now.shift(dt.timedelta(days=1))
    publish(world.project, make_item(title="桩基检测报告"), world.users["developer"])
    newer = package.build()
    cache.set(package.CACHE_KEY, {"meta": built}, package.CACHE_SECONDS)  # as another process
    response = client.get("/open-data/gongshi-open-data.zip")
    assert response.status_code == 200
    assert response["ETag"] == f'"{newer["sha256"]}"'
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == newer["sha256"]
