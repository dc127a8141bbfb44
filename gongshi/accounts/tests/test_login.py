"""Signing in with a password (accounts without a second factor)."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY

from gongshi.core.choices import OrganisationType
from gongshi.core.testing import PASSWORD, make_org, make_user


def _developer(username="liwei", **extra):
    return make_user(username, make_org(OrganisationType.DEVELOPER), **extra)


def test_it_logs_a_developer_in_with_the_right_password(client, db):
    user = _developer()
    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"
    assert client.session[SESSION_KEY] == str(user.pk)


def test_it_follows_a_safe_next_url(client, db):
    _developer()
    response = client.post(
        "/accounts/login/?next=/workspace/",
        {"username": "liwei", "password": PASSWORD, "next": "/workspace/"},
    )
    assert response["Location"] == "/workspace/"


def test_it_ignores_a_next_url_on_another_site(client, db):
    _developer()
    response = client.post(
        "/accounts/login/",
        {"username": "liwei", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/workspace/"


def test_it_refuses_a_wrong_password_with_a_message(client, db):
    _developer()
    response = client.post("/accounts/login/", {"username": "liwei", "password": "wrong"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "用户名" in response.context["form"].non_field_errors()[0]


def test_it_switches_to_the_users_preferred_language(client, db):
    _developer(preferred_language="en")
    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/accounts/login/")
    assert page.headers["Content-Language"] == "en"
    assert "Sign in" in page.content.decode()


def test_the_login_page_is_open_to_everyone(world):
    from gongshi.core.testing import assert_matrix

    assert_matrix(
        world,
        "GET",
        "/accounts/login/",
        dict.fromkeys(
            ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"],
            200,
        ),
    )
