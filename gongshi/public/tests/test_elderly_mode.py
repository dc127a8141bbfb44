from gongshi.core.testing import ROLES, assert_matrix


def test_anyone_may_switch_elderly_mode(world):
    assert_matrix(world, "post", "/elderly/", dict.fromkeys(ROLES, 302), data={"next": "/"})
    assert_matrix(world, "get", "/elderly/", dict.fromkeys(ROLES, 405))


def test_one_tap_switches_it_on_and_it_is_remembered(world, catalogue, client):
    url = f"/p/{world.project.code}/"
    response = client.post("/elderly/", {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert client.cookies["elderly"].value == "1"
    html = client.get(url).content.decode()
    assert 'class="elderly ' in html and "标准字体" in html


def test_a_second_tap_switches_it_off(world, client):
    client.post("/elderly/", {"next": "/"})
    client.post("/elderly/", {"next": "/"})
    assert client.cookies["elderly"].value == ""
    assert "长辈模式" in client.get("/").content.decode()


def test_it_never_redirects_to_another_site(world, client):
    assert client.post("/elderly/", {"next": "https://evil.example.com/"})["Location"] == "/"
