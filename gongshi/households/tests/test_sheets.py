"""Paper: the batch of archive sheets (one page per flat) and the sample flat's room labels —
real Chinese text, and QR codes that decode to each flat's or room's page."""

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from gongshi.core.testing import assert_matrix
from gongshi.households import samples
from gongshi.households.models import FlatArchive
from gongshi.households.tests.conftest import household_rows, publish_households, publish_warranty

pytestmark = pytest.mark.usefixtures("frozen_now")
SITE = "https://gongshi.hlj.example.cn"
DEVELOPER_ONLY = {
    "anonymous": 302,
    "outsider": 404,
    "unit": 403,
    "developer": 200,
    "other_regulator": 404,
    "regulator": 404,
    "admin": 404,
}


def decoded(pdf: bytes, page: int, scale: float = 2) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[page].render(scale=scale).to_pil()
    finally:
        document.close()
    return sorted(b.text for b in zxingcpp.read_barcodes(image))


def test_only_the_developer_prints_the_sheets_and_labels(world, estate):
    samples.create_sample(world.project, name="A户型样板间", rooms=["客厅"])
    base = f"/workspace/p/{world.project.code}/"
    assert_matrix(world, "get", base + "flats/sheets.pdf", DEVELOPER_ONLY)
    assert_matrix(world, "get", base + "samples/labels.pdf", DEVELOPER_ONLY)


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_one_sheet_per_flat_with_its_chinese_text_and_a_qr_code_to_its_page(
    world, estate, settings, size
):
    settings.SITE_URL = SITE
    publish_households(world, household_rows())
    publish_warranty(world)
    response = world.client("developer").get(
        f"/workspace/p/{world.project.code}/flats/sheets.pdf",
        {"building": estate.building.pk, "size": size},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    pdf = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 24
    archives = list(
        FlatArchive.objects.filter(flat__building=estate.building).order_by(
            "flat__unit", "flat__floor", "flat__number"
        )
    )
    index = archives.index(estate.archive)
    # Table cells wrap on A5: compare without line breaks and spaces.
    text = "".join(reader.pages[index].extract_text().split())
    for expected in [
        "1号楼 1单元 301室",
        "测试花园一期",
        "一户一档",
        "分户验收",
        "合格",
        "实测实量",
        "墙面垂直度",
        "超出允许偏差",
        "共 5 项实测，4 项在允许偏差内",
        "客户服务中心维修部",
        estate.archive.code,
    ]:
        assert "".join(expected.split()) in text, f"{expected} missing from page {index + 1}"
    width = float(reader.pages[0].mediabox.width)
    assert round(width) == (595 if size == "A4" else 420)
    assert decoded(pdf, index) == [f"{SITE}{estate.flat_url}"]
    first = archives[0]
    assert decoded(pdf, 0) == [f"{SITE}/p/{world.project.code}/h/{first.code}/"]


def test_a_big_batch_is_rendered_in_parts_joined_in_flat_order(
    world, estate, settings, monkeypatch
):
    from gongshi.households import sheets

    settings.SITE_URL = SITE
    monkeypatch.setattr(sheets, "SHEETS_PER_RENDER", 5)  # 24 flats: five parts
    response = world.client("developer").get(f"/workspace/p/{world.project.code}/flats/sheets.pdf")
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 24
    archives = list(sheets.archives_for_sheets(world.project))
    for page in (0, 4, 5, 12, 23):  # both sides of a join, and the last
        flat = archives[page]
        assert decoded(pdf, page) == [f"{SITE}/p/{world.project.code}/h/{flat.code}/"]
        assert flat.code in reader.pages[page].extract_text()


def test_more_flats_than_one_file_holds_are_refused_with_what_to_do(world, estate, monkeypatch):
    from gongshi.households import sheets

    monkeypatch.setattr(sheets, "MAX_SHEETS", 10)
    response = world.client("developer").get(f"/workspace/p/{world.project.code}/flats/sheets.pdf")
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "所选范围共 24 户，一次最多直接打印 10 户：请按楼栋分别打印，或在下方后台生成全部 24 户。"
        in page
    )
    assert "在后台生成全部 24 户" in page  # the offer, as a button
    assert "生成 PDF（每户一页）" in page  # the flats page, its form kept, to choose a building


def test_a_paper_size_other_than_a4_or_a5_is_refused(world, estate):
    response = world.client("developer").get(
        f"/workspace/p/{world.project.code}/flats/sheets.pdf", {"size": "A1"}
    )
    assert response.status_code == 400
    assert "A4 或 A5" in response.content.decode()


def test_room_labels_carry_the_room_and_a_qr_code_to_its_materials(world, settings):
    settings.SITE_URL = SITE
    sample = samples.create_sample(world.project, name="A户型样板间", rooms=["客厅", "厨房"])
    response = world.client("developer").get(
        f"/workspace/p/{world.project.code}/samples/labels.pdf"
    )
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "客厅" in text and "厨房" in text and "A户型样板间" in text
    expected = sorted(f"{SITE}/p/{world.project.code}/s/{r.code}/" for r in sample.rooms.all())
    assert decoded(response.content, 0) == expected


def test_the_flats_page_says_how_many_flats_one_file_holds(world, estate):
    page = world.client("developer").get(f"/workspace/p/{world.project.code}/flats/")
    assert (
        "一次最多直接打印 500 户；更多时可按楼栋分别打印，或在后台生成一个文件。"
        in page.content.decode()
    )
