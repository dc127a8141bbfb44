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
