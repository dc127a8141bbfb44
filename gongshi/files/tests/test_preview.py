"""files:preview — a PNG of a PDF page or a scaled-down image, rendered once and cached."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from gongshi.core.choices import UnitRole
from gongshi.core.testing import assert_matrix
from gongshi.disclosures.attachments import attach
from gongshi.files import previews
from gongshi.files.ingest import ingest_upload
from gongshi.files.testing import make_jpeg_bytes, make_png_bytes, uploaded

from .conftest import version_with_file


def png(response) -> Image.Image:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_a_preview_of_a_published_file_is_public(world):
    _version, stored, _attachment = version_with_file(world, publish=True)
    assert_matrix(
        world,
        "get",
        stored.preview_url(width=160),
        dict.fromkeys(
            ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"],
            200,
        ),
    )


def test_a_preview_of_an_unpublished_file_follows_the_files_access(world):
    _version, stored, _attachment = version_with_file(world, supplier=UnitRole.CONTRACTOR)
    assert_matrix(
        world,
        "get",
        stored.preview_url(width=160),
        {
            "anonymous": 404,
            "outsider": 404,
            "unit": 200,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 200,
            "admin": 200,
        },
    )


def test_it_renders_the_asked_pdf_page_at_a_snapped_width(world):
    _version, stored, _attachment = version_with_file(world, publish=True)
    client = world.client("anonymous")
    first = png(client.get(stored.preview_url(page=1, width=300)))
    second = png(client.get(stored.preview_url(page=2, width=300)))
    assert first.width == 320  # 300 snaps up to the 320 step
    assert first.height == pytest.approx(320 * 842 / 595, abs=2)  # A4 proportions
    assert first.tobytes() != second.tobytes()  # "Page 1 / 2" and "Page 2 / 2" differ
    # Something was drawn: the page is not one flat colour.
    low, high = first.convert("L").getextrema()
    assert low < high


def test_an_image_is_scaled_down_but_never_up(world):
    version, _stored, _attachment = version_with_file(world)
    big = ingest_upload(uploaded("big.jpg", make_jpeg_bytes(2000, 1000), "image/jpeg"))
    small = ingest_upload(uploaded("small.png", make_png_bytes(40, 30), "image/png"))
    attach(version, big, "big.jpg")
    attach(version, small, "small.png")
    client = world.client("developer")
    assert png(client.get(big.preview_url(width=320))).size == (320, 160)
    assert png(client.get(small.preview_url(width=960))).size == (40, 30)


def test_a_phone_photo_is_turned_upright(world):
    version, _stored, _attachment = version_with_file(world)
    sideways = Image.new("RGB", (80, 40), "white")
    exif = sideways.getexif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    out = io.BytesIO()
    sideways.save(out, "JPEG", exif=exif.tobytes())
    stored = ingest_upload(uploaded("photo.jpg", out.getvalue(), "image/jpeg"))
    attach(version, stored, "photo.jpg")
    assert png(world.client("developer").get(stored.preview_url(width=960))).size == (40, 80)


def test_the_second_request_serves_the_stored_preview_without_rendering(world, monkeypatch):
    _version, stored, _attachment = version_with_file(world, publish=True)
    client = world.client("anonymous")
    first = client.get(stored.preview_url(page=2, width=480))
    first_bytes = b"".join(first.streaming_content)
    assert default_storage.exists(previews.preview_name(stored, 2, 480))

    def must_not_render(*args, **kwargs):
        raise AssertionError("the preview was rendered a second time")

    monkeypatch.setattr(previews, "render_preview", must_not_render)
    second = client.get(stored.preview_url(page=2, width=480))
    assert b"".join(second.streaming_content) == first_bytes


def test_a_preview_carries_its_own_etag_and_answers_not_modified(world):
    _version, stored, _attachment = version_with_file(world, publish=True)
    client = world.client("anonymous")
    response = client.get(stored.preview_url(page=1, width=160))
    etag = f'"{stored.sha256}-p1-w160"'
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert (
        client.get(stored.preview_url(page=1, width=160), HTTP_IF_NONE_MATCH=etag).status_code
        == 304
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?page=3", "页码超出范围：此文件共 2 页"),
        ("?page=0", "页码超出范围"),
        ("?page=abc", "页码和宽度必须是整数"),
        ("?width=-5", "宽度必须是正整数"),
    ],
)
def test_a_bad_page_or_width_is_explained(world, query, message):
    _version, stored, _attachment = version_with_file(world, publish=True)
    response = world.client("anonymous").get(f"/files/{stored.sha256}/preview.png{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_bad_page_on_an_unpublished_file_reveals_nothing(world):
    _version, stored, _attachment = version_with_file(world)
    response = world.client("anonymous").get(f"/files/{stored.sha256}/preview.png?page=99")
    assert response.status_code == 404


def test_widths_snap_to_a_few_steps():
    assert [previews.snap_width(w) for w in (1, 160, 161, 959, 960, 5000)] == [
        160,
        160,
        320,
        960,
        960,
        1600,
    ]


def test_a_file_the_renderer_cannot_draw_is_explained_and_not_cached(world, monkeypatch):
    import pypdfium2

    _version, stored, _attachment = version_with_file(world, publish=True)

    def refuse(*args, **kwargs):
        raise pypdfium2.PdfiumError("Failed to load document (PDFium: Data format error).")

    monkeypatch.setattr(previews, "_render_pdf_page", refuse)
    response = world.client("anonymous").get(stored.preview_url(width=160))
    assert response.status_code == 404
    assert response.content.decode() == "此文件无法生成预览，请下载原文件查看。"
    assert not default_storage.exists(previews.preview_name(stored, 1, 160))
