"""Error pages speak the site's language and lead back to the search."""

from django.test import Client


def test_an_unknown_page_says_so_in_chinese_with_a_search(world):
    response = Client().get("/p/NOPE99/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到这个页面" in html and 'name="q"' in html
    assert "Not Found" not in html


def test_an_unknown_page_in_english(world):
    response = Client(headers={"accept-language": "en"}).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_favicon_is_served(world):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/gongshi/favicon.svg")


def test_a_server_error_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    assert "出错了" in render_to_string("500.html")
