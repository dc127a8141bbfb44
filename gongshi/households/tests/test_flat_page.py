"""The public flat page (/p/<code>/h/<flat>/): the archive exists for everyone; measured data
and photos once published; never the owner."""

import io

import pytest
import zxingcpp
from PIL import Image

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.households import archive as archive_rules
from gongshi.households.tests.conftest import (
    CONTRACT,
    OWNER_NAME,
    OWNER_PHONE,
    accepted_on,
    household_rows,
    measure,
    publish_households,
    publish_warranty,
)

pytestmark = pytest.mark.usefixtures("frozen_now")


def test_everyone_may_read_a_flat_page(world, estate):
    assert_matrix(world, "get", estate.flat_url, dict.fromkeys(ROLES, 200))


def test_an_unknown_flat_code_is_not_found(world, estate, client):
    assert client.get(f"/p/{world.project.code}/h/ZZZZZ/").status_code == 404
    other = world.other_project.code
    assert client.get(f"/p/{other}/h/{estate.archive.code}/").status_code == 404


def test_before_publication_it_says_the_archive_exists_but_shows_no_measured_data(
    world, estate, client
):
    html = client.get(estate.flat_url).content.decode()
    assert "1号楼 1单元 301室" in html
    assert "建设单位尚未公开实测实量数据" in html
    assert "2792" not in html


def test_it_shows_the_flats_household_acceptance_row_and_the_warranty_contacts(
    world, estate, client
):
    rows = household_rows()
    rows[4] = dict(rows[4], result="fail", rectification="卫生间地漏反坡，已返工")  # 1单元 301
    publish_households(world, rows)
    publish_warranty(world)
    html = client.get(estate.flat_url).content.decode()
    assert "不合格" in html
    assert "卫生间地漏反坡，已返工" in html
    assert accepted_on().isoformat() in html
    assert "客户服务中心维修部" in html
    assert "0451-87654321" in html


def test_published_measured_data_carries_each_pass_or_fail_mark(world, estate, client):
    archive_rules.publish(estate.archive, True)
    response = client.get(estate.flat_url)
    html = response.content.decode()
    assert "2792" in html and "主卧北墙" in html
    assert html.count("超出允许偏差") >= 2  # the summary and the one failing row
    assert "1 项超出允许偏差" in html
    assert "共 5 项实测，4 项在允许偏差内" in html
    assert [m.passed for m in response.context["measurements"]] == [
        True,
        True,
        True,
        False,
        True,
    ]


def test_the_owner_never_appears_on_the_page(world, estate, client):
    archive_rules.publish(estate.archive, True)
    html = client.get(estate.flat_url).content.decode()
    for secret in (OWNER_NAME, OWNER_PHONE, CONTRACT, OWNER_PHONE[-4:] + "<"):
        assert secret not in html


def test_its_qr_code_leads_to_the_page_itself(world, estate, client, settings):
    settings.SITE_URL = "https://gongshi.hlj.example.cn"
    response = client.get(estate.flat_url)
    data_uri = response.context["qr"]
    import base64

    image = Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])))
    [barcode] = zxingcpp.read_barcodes(image)
    assert barcode.text == "https://gongshi.hlj.example.cn" + estate.flat_url


def test_the_page_takes_the_same_queries_however_many_measurements(
    world, estate, client, django_assert_max_num_queries
):
    publish_households(world, household_rows())
    publish_warranty(world)
    archive_rules.publish(estate.archive, True)
    with django_assert_max_num_queries(8) as few:
        client.get(estate.flat_url)
    for _round in range(4):
        measure(estate.archive)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(estate.flat_url)
    assert len(response.context["measurements"]) == 25
