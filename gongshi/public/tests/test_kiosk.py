from gongshi.core.testing import ROLES, assert_matrix


def test_everyone_may_use_the_kiosk(world, catalogue):
    assert_matrix(world, "get", "/kiosk/", dict.fromkeys(ROLES, 200))
    assert_matrix(world, "get", f"/kiosk/p/{world.project.code}/", dict.fromkeys(ROLES, 200))


def test_the_kiosk_searches_and_links_to_its_own_project_view(world, catalogue, client):
    html = client.get("/kiosk/", {"q": "hrb"}).content.decode()
    assert f'href="/kiosk/p/{world.project.code}/"' in html
    assert "大庆测试家园" not in html


def test_the_kiosk_returns_to_the_start_after_inactivity(world, catalogue, client):
    html = client.get(f"/kiosk/p/{world.project.code}/").content.decode()
    assert 'data-idle-seconds="90"' in html and 'data-start-url="/kiosk/"' in html
    assert "public/kiosk.js" in html


def test_the_kiosk_shows_table_rows_not_only_their_count(world, catalogue, client):
    from gongshi.public.tests.conftest import household_rows, publish_households

    rows = household_rows(units=1, floors=4, per_floor=4)
    publish_households(world, catalogue["households"], rows)
    html = client.get(f"/kiosk/p/{world.project.code}/").content.decode()
    assert f"共 {len(rows)} 行" in html
    assert f">{rows[0]['room']}<" in html  # the first household's row is on screen
    assert "此处显示前" in html


def test_the_kiosk_is_translated_and_has_the_large_text_switch(world, catalogue, client):
    html = client.get("/kiosk/", headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="en">' in html
    assert 'action="/elderly/"' in html and 'name="language" value="zh-hans"' in html
    client.cookies["elderly"] = "1"
    html = client.get("/kiosk/").content.decode()
    assert '<html lang="zh-Hans">' in html and 'class="kiosk elderly"' in html
