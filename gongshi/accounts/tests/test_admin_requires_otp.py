"""The admin is for staff with a verified TOTP device in their session."""

from django.test import Client

from gongshi.core.testing import assert_matrix, make_user


def test_only_the_verified_administrator_reaches_the_admin(world):
    assert_matrix(
        world,
        "GET",
        "/admin/",
        {
            "anonymous": 302,
            "outsider": 302,
            "unit": 302,
            "developer": 302,
            "other_regulator": 302,
            "regulator": 302,
            "admin": 200,
        },
    )


def test_a_staff_session_without_a_verified_code_is_sent_to_sign_in(db):
    make_user("ops", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(make_user("ops2", is_staff=True, is_superuser=True))

    response = client.get("/admin/regions/region/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    login = client.get(response["Location"])
    assert login["Location"] == "/accounts/login/?next=/admin/regions/region/"


def test_the_admin_speaks_english_when_the_browser_asks(world):
    response = world.client("admin").get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Site administration" in response.content.decode()
    chinese = world.client("admin").get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "站点管理" in chinese.content.decode()
