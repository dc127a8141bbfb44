"""files:download — the stored bytes, to whoever may see them, with cache headers."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from gongshi.core.choices import UnitRole
from gongshi.core.testing import assert_matrix
from gongshi.disclosures.attachments import attach
from gongshi.files.ingest import ingest_upload
from gongshi.files.testing import make_jpeg_bytes, make_pdf_bytes, make_png_bytes, uploaded

from .conftest import version_with_file

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

EVERYONE = dict.fromkeys(
    ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"], 200
)


def url(stored, **query) -> str:
    base = reverse("files:download", args=[stored.sha256])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_file_of_a_published_version_is_public(world):
    _version, stored, _attachment = version_with_file(world, publish=True)
    assert_matrix(world, "get", url(stored), EVERYONE)


def test_an_unpublished_file_is_seen_only_by_those_working_on_it(world):
    _version, stored, _attachment = version_with_file(world, supplier=UnitRole.CONTRACTOR)
    assert_matrix(
        world,
        "get",
        url(stored),
        {
            "anonymous": 404,
            "outsider": 404,
            "unit": 200,  # the contractor supplied this version
            "developer": 200,
            "other_regulator": 404,
            "regulator": 200,
            "admin": 200,
        },
    )


def test_a_unit_does_not_see_another_suppliers_unpublished_file(world):
    _version, stored, _attachment = version_with_file(world, supplier=UnitRole.DEVELOPER)
    assert_matrix(
        world,
        "get",
        url(stored),
        {
            "anonymous": 404,
            "outsider": 404,
            "unit": 404,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 200,
            "admin": 200,
        },
    )


def test_a_file_attached_to_nothing_is_seen_only_by_admins(world):
    stored = ingest_upload(uploaded("a.png", make_png_bytes(), "image/png"))
    assert_matrix(
        world,
        "get",
        url(stored),
        {
            "anonymous": 404,
            "outsider": 404,
            "unit": 404,
            "developer": 404,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 200,
        },
    )


def test_an_unknown_hash_is_not_found(world):
    assert world.client("admin").get(f"/files/{'0' * 64}/").status_code == 404
    assert world.client("admin").get("/files/not-a-hash/").status_code == 404


def test_it_streams_the_exact_bytes_with_their_content_type(world):
    data = make_pdf_bytes(["下载测试"], pages=2)
    _version, stored, _attachment = version_with_file(world, data=data, publish=True)
    response = world.client("anonymous").get(url(stored))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(data))
    assert body(response) == data
    assert hashlib.sha256(data).hexdigest() == stored.sha256


@pytest.mark.parametrize(
    ("data", "content_type"), [(make_png_bytes(), "image/png"), (make_jpeg_bytes(), "image/jpeg")]
)
def test_images_are_served_with_their_own_type(world, data, content_type):
    version, _stored, _attachment = version_with_file(world)
    stored = ingest_upload(uploaded("photo", data, content_type))
    attach(version, stored, "photo")
    response = world.client("developer").get(url(stored))
    assert response["Content-Type"] == content_type
    assert body(response) == data


def test_a_public_file_is_cached_publicly_for_a_year_under_its_hash(world):
    _version, stored, _attachment = version_with_file(world, publish=True)
    response = world.client("anonymous").get(url(stored))
    assert response["ETag"] == f'"{stored.sha256}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_an_unpublished_file_is_only_cached_privately(world):
    _version, stored, _attachment = version_with_file(world)
    response = world.client("developer").get(url(stored))
    assert response["Cache-Control"].startswith("private, ")
    assert "Cookie" in response["Vary"]


def test_a_matching_etag_answers_not_modified(world):
    _version, stored, _attachment = version_with_file(world, publish=True)
    response = world.client("anonymous").get(url(stored), HTTP_IF_NONE_MATCH=f'"{stored.sha256}"')
    assert response.status_code == 304
    assert response["ETag"] == f'"{stored.sha256}"'


def test_a_conditional_request_does_not_reveal_an_unpublished_file(world):
    _version, stored, _attachment = version_with_file(world)
    response = world.client("anonymous").get(url(stored), HTTP_IF_NONE_MATCH=f'"{stored.sha256}"')
    assert response.status_code == 404


def test_it_names_the_download_after_the_attachment_when_asked(world):
    _version, stored, attachment = version_with_file(world, publish=True)
    response = world.client("anonymous").get(stored.download_url(attachment.name))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    # RFC 6266: a non-ASCII name travels percent-encoded as UTF-8.
    assert "filename*=utf-8''%E6%96%BD%E5%B7%A5%E8%AE%B8%E5%8F%AF%E8%AF%81" in disposition


def test_without_a_matching_name_it_uses_the_first_attachments_name(world):
    _version, stored, _attachment = version_with_file(world, publish=True)
    for query in ({}, {"name": "evil.html"}):
        disposition = world.client("anonymous").get(url(stored, **query))["Content-Disposition"]
        assert "evil" not in disposition
        assert "%E6%96%BD%E5%B7%A5%E8%AE%B8%E5%8F%AF%E8%AF%81" in disposition  # 施工许可证


def test_a_name_on_an_unpublished_version_does_not_leak_to_the_public(world):
    _version, stored, _attachment = version_with_file(world, publish=True)
    # The same bytes, attached to a draft of another item under a name not yet public.
    draft, _other, _a = version_with_file(world)
    attach(draft, stored, "内部草稿.pdf")
    public = world.client("anonymous").get(url(stored, name="内部草稿.pdf"))
    assert "%E5%86%85%E9%83%A8" not in public["Content-Disposition"]  # 内部
    developer = world.client("developer").get(url(stored, name="内部草稿.pdf"))
    assert "%E5%86%85%E9%83%A8" in developer["Content-Disposition"]


def test_a_file_attached_nowhere_is_named_by_its_hash(world):
    stored = ingest_upload(uploaded("a.png", make_png_bytes(), "image/png"))
    response = world.client("admin").get(url(stored))
    assert f'filename="{stored.sha256[:12]}.png"' in response["Content-Disposition"]


def test_it_asks_the_browser_to_save_when_download_is_requested(world):
    _version, stored, attachment = version_with_file(world, publish=True)
    response = world.client("anonymous").get(
        stored.download_url(attachment.name, as_attachment=True)
    )
    assert response["Content-Disposition"].startswith("attachment; ")


def test_it_refuses_to_change_anything(world):
    _version, stored, _attachment = version_with_file(world, publish=True)
    assert world.client("admin").post(url(stored)).status_code == 405


def test_the_provincial_department_sees_unpublished_files_of_every_city(world):
    from django.test import Client

    from gongshi.core.choices import OrganisationType
    from gongshi.core.testing import make_org, make_user

    province = make_org(OrganisationType.REGULATOR, "230000", name="黑龙江省住房和城乡建设厅")
    client = Client()
    client.force_login(make_user("province", province))
    _version, stored, _attachment = version_with_file(world)
    assert client.get(url(stored)).status_code == 200


def test_a_photo_from_a_site_open_day_is_public(world):
    import datetime as dt

    from gongshi.participation.models import Finding, FindingPhoto, FindingResult, OpenDay

    version, _stored, _attachment = version_with_file(world, publish=True)
    open_day = OpenDay.objects.create(
        project=world.project,
        date=dt.date(2026, 5, 16),
        start_time=dt.time(9),
        end_time=dt.time(11),
        place="项目南门",
        stage_of_work="主体结构施工至 12 层",
        capacity=30,
        showing="钢筋、混凝土试块",
        scheduled_by=world.users["developer"],
    )
    finding = Finding.objects.create(
        open_day=open_day,
        supervisor=world.users["outsider"],
        version=version,
        result=FindingResult.VERIFIED,
    )
    photo = ingest_upload(uploaded("现场.jpg", make_jpeg_bytes(), "image/jpeg"))
    FindingPhoto.objects.create(finding=finding, file=photo, name="现场.jpg")
    assert_matrix(world, "get", url(photo), EVERYONE)
