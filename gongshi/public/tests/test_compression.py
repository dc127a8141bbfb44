"""The application compresses its text responses (brotli or gzip) for the embedded server."""

import gzip

import brotli
import pytest

from gongshi.core.compression import accepted_encodings
from gongshi.public.tests.conftest import household_rows, publish_households, publish_permit

BOTH = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _body(response) -> bytes:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(raw)
    if encoding == "gzip":
        return gzip.decompress(raw)
    return raw


@pytest.fixture
def published(world, catalogue):
    publish_permit(world, catalogue["planning"])
    publish_households(world, catalogue["households"], household_rows(buildings=2, floors=6))
    return world


def test_a_public_page_is_brotli_compressed(published, client):
    response = client.get(f"/p/{published.project.code}/", **BOTH)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "测试花园一期" in _body(response).decode()
    assert int(response.headers["Content-Length"]) == len(response.content)


def test_a_page_with_a_csrf_token_is_gzipped_not_brotli(db, client):
    # The sign-in form carries a (masked) CSRF token: gzip with Django's random padding.
    response = client.get("/accounts/login/", **BOTH)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "csrfmiddlewaretoken" in _body(response).decode()


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/api/v1/projects/", "application/json"),
        ("/p/{code}/qr.svg", "image/svg+xml"),
        ("/p/{code}/disclosures.csv", "text/csv"),
        ("/p/{code}/feed.atom", "application/atom+xml"),
    ],
)
def test_json_svg_csv_and_feeds_are_brotli_when_accepted(published, client, path, content_type):
    response = client.get(path.format(code=published.project.code), **BOTH)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(content_type)
    assert response.headers["Content-Encoding"] == "br"
    body = _body(response)  # a streamed response can be read once
    assert body
    gzipped = client.get(path.format(code=published.project.code), HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert _body(gzipped) == body


def test_nothing_is_compressed_for_a_client_that_does_not_ask(published, client):
    response = client.get(f"/p/{published.project.code}/")
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]


def test_pdfs_and_images_are_left_as_they_are(published, client):
    for path in ("qr.png", "board.pdf"):
        response = client.get(f"/p/{published.project.code}/{path}", **BOTH)
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers, path


def test_a_compressed_page_still_answers_conditional_requests(published, client):
    url = f"/p/{published.project.code}/"
    etag = client.get(url, **BOTH).headers["ETag"]
    assert etag.startswith('W/"')
    assert client.get(url, headers={"If-None-Match": etag}, **BOTH).status_code == 304


def test_accept_encoding_is_read_with_its_quality_values():
    assert accepted_encodings("gzip, deflate, br") == {"gzip", "br"}
    assert accepted_encodings("br;q=0, gzip;q=0.8") == {"gzip"}
    assert accepted_encodings("identity") == set()
    assert accepted_encodings("") == set()
