"""/p/<code>/verify/: the public verification page (its browser checks: test_browser_verify)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gongshi.core.testing import assert_matrix
from gongshi.integrity import log
from gongshi.integrity.tests.helpers import publish_with_file

EVERYONE_OK = dict.fromkeys(
    ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"], 200
)


@pytest.fixture
def published(world):
    versions = [publish_with_file(world, note=f"第{n}项") for n in range(2)]
    log.make_checkpoint()
    return versions


def page_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="verify-data" type="application/json">') + len(
        '<script id="verify-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_everyone_may_open_the_verification_page(world, published):
    assert_matrix(world, "get", f"/p/{world.project.code}/verify/", EVERYONE_OK)


def test_an_unknown_project_is_a_404(db):
    assert Client().get("/p/NOPE/verify/").status_code == 404


def test_the_page_lists_each_version_and_hands_its_data_to_the_script(world, published):
    response = Client().get(f"/p/{world.project.code}/verify/?leaf=1")
    html = response.content.decode()
    data = page_data(response)
    assert [v["leaf_index"] for v in data["versions"]] == [0, 1]
    assert data["versions"][0]["published"]["values"] == {"note": "第0项"}
    assert data["server_signature_ok"] is True
    assert data["urls"]["entries"] == f"/api/v1/log/projects/{world.project.code}/entries"
    assert html.count("data-version-row=") == 2
    assert 'class="highlight"' in html
    assert "verify.js" in html
    assert log.latest_checkpoint().root_hex in html


def test_the_page_says_so_when_a_checkpoint_signature_is_bad(world, published):
    from gongshi.integrity.tests.helpers import raw_sql

    latest = log.latest_checkpoint()
    raw_sql(
        "UPDATE integrity_checkpoint SET signed_note = %s WHERE id = %s",
        [latest.signed_note.replace("\n2\n", "\n9\n"), latest.pk],
    )
    assert (
        page_data(Client().get(f"/p/{world.project.code}/verify/"))["server_signature_ok"] is False
    )


def test_the_page_is_in_english_when_english_is_chosen(world, published):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/p/{world.project.code}/verify/")
    assert "Check that the disclosure has not been tampered with" in response.content.decode()


def test_the_page_takes_a_constant_number_of_queries(world, published, django_assert_num_queries):
    url = f"/p/{world.project.code}/verify/"
    client = Client()
    # Enough leaves that proofs need stored inner nodes too; then more must cost nothing.
    for n in range(3):
        publish_with_file(world, note=f"又一项{n}")
    log.make_checkpoint()
    with django_assert_num_queries(8) as few:  # + the buildings each instance covers
        client.get(url)
    for n in range(4):
        publish_with_file(world, note=f"更多{n}")
    log.make_checkpoint()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_public_key_is_at_a_stable_url_in_two_forms(world, published):
    from gongshi.integrity import keys

    assert_matrix(world, "get", "/log/public-key", EVERYONE_OK)
    text = Client().get("/log/public-key").content.decode()
    assert text == keys.public_key().text + "\n"
    assert text.startswith("gongshi.test/log+")
    pem = Client().get("/log/public-key.pem").content.decode()
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
