"""Owners' names, phone numbers and contract numbers: encrypted at rest, never public."""

import pytest
from django.db import connection

from gongshi.core.testing import ROLES
from gongshi.households import archive as archive_rules
from gongshi.households.tests.conftest import CONTRACT, OWNER_NAME, OWNER_PHONE

pytestmark = pytest.mark.usefixtures("frozen_now")
SECRETS = (OWNER_NAME, OWNER_PHONE, CONTRACT)


def test_the_raw_table_holds_no_owner_data_in_clear(estate):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM households_flatarchive")
        dump = repr(cursor.fetchall())
    assert "gAAAAA" in dump
    for secret in SECRETS:
        assert secret not in dump


def test_no_public_page_shows_the_owner_to_anyone(world, estate):
    archive_rules.publish(estate.archive, True)
    pages = [
        estate.flat_url,
        estate.flat_url + "owner/",
        f"/p/{world.project.code}/",
        f"/api/v1/projects/{world.project.code}/flats/{estate.archive.code}/",
    ]
    for role in ROLES:
        client = world.client(role)
        for page in pages:
            body = client.get(page).content.decode()
            for secret in SECRETS:
                assert secret not in body, (role, page, secret)


def test_the_developer_sees_the_owner_in_the_workspace_only(world, estate):
    html = (
        world.client("developer")
        .get(f"/workspace/p/{world.project.code}/flats/{estate.archive.code}/")
        .content.decode()
    )
    assert OWNER_PHONE in html and CONTRACT in html
