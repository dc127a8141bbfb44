from gongshi.core.testing import ROLES, assert_matrix


def test_everyone_may_load_the_widget_and_its_snippet(world, catalogue):
    assert_matrix(world, "get", f"/p/{world.project.code}/widget/", dict.fromkeys(ROLES, 200))
    assert_matrix(world, "get", f"/p/{world.project.code}/widget.js", dict.fromkeys(ROLES, 200))


def test_the_widget_may_be_framed_by_other_sites(world, catalogue, client):
    response = client.get(f"/p/{world.project.code}/widget/")
    assert "X-Frame-Options" not in response.headers
    assert "测试花园一期" in response.content.decode()


def test_other_public_pages_still_refuse_framing(world, catalogue, client):
    assert client.get(f"/p/{world.project.code}/").headers["X-Frame-Options"] == "DENY"


def test_the_snippet_inserts_an_iframe_of_the_widget(world, catalogue, client, settings):
    settings.SITE_URL = "https://gongshi.hlj.example.cn"
    response = client.get(f"/p/{world.project.code}/widget.js")
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert 'createElement("iframe")' in script
    assert f'f.src = "https://gongshi.hlj.example.cn/p/{world.project.code}/widget/";' in script


def test_the_project_page_offers_the_one_line_snippet(world, catalogue, client, settings):
    settings.SITE_URL = "https://gongshi.hlj.example.cn"
    html = client.get(f"/p/{world.project.code}/").content.decode()
    assert (
        f'&lt;script src="https://gongshi.hlj.example.cn/p/{world.project.code}/widget.js"&gt;&lt;/script&gt;'
        in html
    )
