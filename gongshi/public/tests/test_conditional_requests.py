import pytest

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.public.tests.conftest import publish_permit

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_a_project_page_sends_etag_and_last_modified(world, catalogue, client):
    response = client.get(f"/p/{world.project.code}/")
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"].endswith("GMT")


def test_a_repeated_request_with_the_etag_is_answered_not_modified(world, catalogue, client):
    url = f"/p/{world.project.code}/"
    etag = client.get(url).headers["ETag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag


def test_every_reader_gets_304_for_a_current_copy(world, catalogue):
    url = f"/p/{world.project.code}/"
    etags = {role: world.client(role).get(url).headers["ETag"] for role in ROLES}
    for role in ROLES:
        assert (
            world.client(role).get(url, headers={"If-None-Match": etags[role]}).status_code == 304
        )
    assert_matrix(
        world, "get", url, dict.fromkeys(ROLES, 200), headers={"If-None-Match": '"stale"'}
    )


def test_a_new_publication_changes_the_etag(world, catalogue, client):
    url = f"/p/{world.project.code}/"
    before = client.get(url).headers["ETag"]
    publish_permit(world, catalogue["planning"])
    response = client.get(url, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response.headers["ETag"] != before


def test_a_changed_project_fact_changes_the_etag(world, catalogue, client):
    url = f"/p/{world.project.code}/"
    before = client.get(url).headers["ETag"]
    world.project.address = "哈尔滨市南岗区新地址8号"
    world.project.save()
    assert client.get(url).headers["ETag"] != before


def test_if_modified_since_is_honoured(world, catalogue, client):
    url = f"/p/{world.project.code}/"
    last_modified = client.get(url).headers["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304


def test_a_conditional_request_costs_one_query(world, catalogue, client, django_assert_num_queries):
    url = f"/p/{world.project.code}/"
    etag = client.get(url).headers["ETag"]
    with django_assert_num_queries(1):
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_elderly_mode_gets_its_own_etag(world, catalogue, client):
    url = f"/p/{world.project.code}/"
    normal = client.get(url).headers["ETag"]
    client.cookies["elderly"] = "1"
    assert client.get(url).headers["ETag"] != normal


def test_a_cached_page_part_is_never_served_after_the_data_changed(world, catalogue, client):
    url = f"/p/{world.project.code}/"
    publish_permit(world, catalogue["planning"], number="第一版编号")
    assert "第一版编号" in client.get(url).content.decode()  # renders and caches the section
    publish_permit(world, catalogue["planning"], number="第二版编号", reason="更正")
    html = client.get(url).content.decode()
    assert "第二版编号" in html
    client.cookies["elderly"] = "1"
    assert "第二版编号" in client.get(url).content.decode()


def test_a_regulator_record_on_the_project_changes_the_etag(world, catalogue, client):
    import datetime as dt

    from gongshi.supervision.models import ActionKind
    from gongshi.supervision.services import make_action

    url = f"/p/{world.project.code}/"
    before = client.get(url).headers["ETag"]
    regulator = world.users["regulator"]
    make_action(
        kind=ActionKind.BAD_CONDUCT, project=world.project, subject=world.project.developer,
        regulator=regulator.organisations.get(), user=regulator, decided_on=dt.date(2026, 1, 5),
        reason="未按规定公示分户验收信息",
    )  # fmt: skip
    response = client.get(url, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert "未按规定公示分户验收信息" in response.content.decode()


def test_a_repeat_view_of_unchanged_data_is_built_from_the_cache(
    world, catalogue, client, django_assert_num_queries
):
    url = f"/p/{world.project.code}/"
    publish_permit(world, catalogue["planning"])
    client.get(url)  # builds the page and its sections once
    with django_assert_num_queries(1):  # the fingerprint; everything else comes from the cache
        html = client.get(url).content.decode()
    assert "建字第230103202500001号" in html
    assert "咨询与投诉" in html and "公示评分" in html


def test_new_score_weights_show_on_a_cached_page(world, catalogue, client):
    from gongshi.supervision.models import ScoreWeights

    url = f"/p/{world.project.code}/"
    publish_permit(world, catalogue["planning"])
    before = client.get(url).content.decode()
    current = ScoreWeights.current()
    ScoreWeights.objects.create(
        completeness=100, timeliness=0, responsiveness=0, complaints=0, discrepancies=0,
        complaint_cap=current.complaint_cap, discrepancy_cap=current.discrepancy_cap,
        set_by=world.users["admin"],
    )  # fmt: skip
    after = client.get(url).content.decode()
    assert before != after


def test_an_edited_catalogue_item_shows_at_once(world, catalogue, client):
    url = f"/p/{world.project.code}/"
    publish_permit(world, catalogue["planning"])
    before = client.get(url)
    item = catalogue["planning"]
    item.title = "建设工程规划许可证（含附图）"
    item.save()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "建设工程规划许可证（含附图）" in after.content.decode()


def test_a_local_requirement_changing_date_changes_the_etag(world, catalogue, client):
    import datetime as dt

    from gongshi.catalogue.models import LocalRequirement
    from gongshi.regions.models import Region

    url = f"/p/{world.project.code}/"
    local = LocalRequirement.objects.create(
        region=Region.objects.get(code="230100"),
        item=catalogue["planning"],
        requirement="required",
        effective_from=dt.date(2030, 1, 1),
    )
    before = client.get(url).headers["ETag"]
    local.effective_from = dt.date(2026, 1, 1)
    local.save()
    assert client.get(url).headers["ETag"] != before
