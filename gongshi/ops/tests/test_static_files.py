"""The static files `make run` serves: hashed names, compressed copies, cached for a year."""

import re

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # Gongshi's own files only: compressing the admin's and DRF's takes ~15 s of CPU, and the
    # stack test (make stack-test) collects and serves all of them.
    ignore = ["admin", "rest_framework", "drf_spectacular*", "django_extensions"]
    call_command("collectstatic", "--noinput", verbosity=0, ignore_patterns=ignore)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_pages_link_hashed_files_that_are_served_compressed_and_immutable(collected):
    client = Client()  # a new handler: whitenoise indexes STATIC_ROOT when it starts
    page = client.get("/").content.decode()
    css = re.search(r'href="(/static/gongshi/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert css, "the home page links no hashed stylesheet"
    assert (collected / css.group(1).removeprefix("/static/")).exists()

    response = client.get(css.group(1), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] in ("br", "gzip")
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert response["Vary"] == "Accept-Encoding"
