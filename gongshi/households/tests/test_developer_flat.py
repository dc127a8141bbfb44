"""The developer's page of one flat: measured data, photos, the owner, publishing."""

import pytest
from django.utils import timezone

from gongshi.core.testing import assert_matrix
from gongshi.files.testing import make_jpeg_bytes, make_pdf_bytes, uploaded
from gongshi.households.models import ArchivePhoto, Measurement

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(world, estate) -> str:
    return f"/workspace/p/{world.project.code}/flats/{estate.archive.code}/"


def test_only_the_developer_opens_a_flats_archive(world, estate):
    assert_matrix(
        world,
        "get",
        url(world, estate),
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 403,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )


def test_a_measurement_gets_the_usual_allowed_deviation_and_its_mark(world, estate):
    response = world.client("developer").post(
        url(world, estate),
        {
            "action": "measurement",
            "kind": "floor_flatness",
            "room": "次卧",
            "measured_value": "5",
            "measured_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get(room="次卧")
    assert (measurement.design_value, measurement.allowed_deviation) == (0, 4)
    assert not measurement.passed


def test_a_measurement_in_the_future_is_refused(world, estate):
    response = world.client("developer").post(
        url(world, estate),
        {
            "action": "measurement",
            "kind": "net_height",
            "room": "客厅",
            "design_value": "2800",
            "measured_value": "2800",
            "measured_on": "2099-01-01",
        },
    )
    assert response.status_code == 400
    assert "测量日期不能晚于今天" in response.content.decode()


def test_photos_go_through_the_file_store_and_become_public_with_the_archive(world, estate, client):
    developer = world.client("developer")
    photo = uploaded("living.jpg", make_jpeg_bytes(), "image/jpeg")
    response = developer.post(
        url(world, estate), {"action": "photo", "photo": photo, "caption": "客厅全景"}
    )
    assert response.status_code == 302
    stored = ArchivePhoto.objects.get().file
    assert len(stored.sha256) == 64 and stored.content_type == "image/jpeg"
    assert client.get(f"/files/{stored.sha256}/").status_code == 404
    developer.post(url(world, estate), {"action": "publish"})
    assert client.get(f"/files/{stored.sha256}/").status_code == 200
    assert "客厅全景" in client.get(estate.flat_url).content.decode()


def test_a_pdf_is_not_a_photo(world, estate):
    pdf = uploaded("scan.jpg", make_pdf_bytes(["x"]), "image/jpeg")
    response = world.client("developer").post(
        url(world, estate), {"action": "photo", "photo": pdf, "caption": "扫描件"}
    )
    assert response.status_code == 400
    assert "照片须为 JPEG 或 PNG 图片" in response.content.decode()
    assert not ArchivePhoto.objects.exists()


def test_an_owners_phone_must_be_a_mobile_number(world, estate):
    response = world.client("developer").post(
        url(world, estate),
        {
            "action": "owner",
            "owner_name": "钱业主",
            "owner_phone": "12345",
            "contract_number": "HT-1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写 11 位手机号码" in html


def test_publishing_needs_measured_data(world):
    from gongshi.households.flats import generate_flats
    from gongshi.households.models import FlatArchive
    from gongshi.projects.models import Building

    building = Building.objects.create(project=world.project, name="5号楼", floors_above=2)
    generate_flats(building, floors_from=1, floors_to=1, per_floor=1)
    archive = FlatArchive.objects.get(flat__building=building)
    client = world.client("developer")
    response = client.post(
        f"/workspace/p/{world.project.code}/flats/{archive.code}/",
        {"action": "publish"},
        follow=True,
    )
    assert "还没有实测实量数据" in response.content.decode()
    archive.refresh_from_db()
    assert archive.published_at is None
