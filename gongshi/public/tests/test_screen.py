import pytest

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.public.tests.conftest import publish_permit

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_everyone_may_open_the_display_screen(world, catalogue):
    assert_matrix(world, "get", f"/p/{world.project.code}/screen/", dict.fromkeys(ROLES, 200))


def test_the_screen_refreshes_itself_by_script_and_rotates_through_categories(
    world, catalogue, client
):
    publish_permit(world, catalogue["planning"])
    html = client.get(f"/p/{world.project.code}/screen/").content.decode()
    # No meta refresh (it cannot be paused, axe's meta-refresh): screen.js fetches the page.
    assert 'http-equiv="refresh"' not in html
    assert 'data-refresh-seconds="300"' in html
    assert 'data-slide-seconds="12"' in html and "public/screen.js" in html
    assert 'class="screen-pause"' in html
    # One overview slide, one per category, one of the latest updates.
    assert html.count('class="slide"') == 8
    assert "最新公示" in html and "建设工程规划许可证" in html


def test_the_screen_answers_conditional_requests(world, catalogue, client):
    url = f"/p/{world.project.code}/screen/"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_the_screen_is_translated_and_has_the_large_text_switch(world, catalogue, client):
    url = f"/p/{world.project.code}/screen/"
    html = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="en">' in html
    assert "Latest disclosures" in html
    assert 'action="/elderly/"' in html and 'name="language" value="zh-hans"' in html
    client.cookies["elderly"] = "1"
    html = client.get(url).content.decode()
    assert '<html lang="zh-Hans">' in html and 'class="screen elderly"' in html
