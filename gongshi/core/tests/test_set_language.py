"""The language switcher: for everyone, and remembered on a signed-in user's account."""

from gongshi.accounts.models import User
from gongshi.core.testing import ROLES, assert_matrix


def test_everyone_can_switch_the_language(world):
    assert_matrix(
        world,
        "POST",
        "/i18n/setlang/",
        dict.fromkeys(ROLES, 302),
        data={"language": "en", "next": "/"},
    )


def test_it_remembers_the_choice_on_the_account(world):
    client = world.client("developer")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert User.objects.get(username="developer").preferred_language == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert User.objects.get(username="developer").preferred_language == "zh-hans"


def test_it_ignores_a_language_we_do_not_offer(world):
    client = world.client("developer")
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert User.objects.get(username="developer").preferred_language == "zh-hans"


def test_it_only_accepts_post(client, db):
    assert client.get("/i18n/setlang/").status_code == 405


def test_a_post_without_a_csrf_token_switches_the_cookie_but_not_the_account(world):
    from django.test import Client

    from gongshi.core.testing import login_client

    client = login_client(Client(enforce_csrf_checks=True), world.users["developer"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
    # A cross-site form could send this: the account's choice needs the token.
    assert User.objects.get(username="developer").preferred_language == "zh-hans"
