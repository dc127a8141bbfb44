import io

import zxingcpp
from PIL import Image

from gongshi.core.testing import ROLES, assert_matrix


def test_everyone_may_fetch_the_qr_code(world):
    assert_matrix(world, "get", f"/p/{world.project.code}/qr.png", dict.fromkeys(ROLES, 200))
    assert_matrix(world, "get", f"/p/{world.project.code}/qr.svg", dict.fromkeys(ROLES, 200))


def test_the_png_decodes_to_the_absolute_project_url(world, client, settings):
    settings.SITE_URL = "https://gongshi.hlj.example.cn"
    response = client.get(f"/p/{world.project.code}/qr.png")
    assert response["Content-Type"] == "image/png"
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert barcode.text == f"https://gongshi.hlj.example.cn/p/{world.project.code}/"


def test_the_svg_is_an_svg_image(world, client):
    response = client.get(f"/p/{world.project.code}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")


def test_an_unknown_project_has_no_qr_code(world, client):
    assert client.get("/p/ZZZZZZ/qr.png").status_code == 404
