"""``gongshi issue_token USERNAME`` prints the user's API token."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from gongshi.core.choices import OrganisationType
from gongshi.core.testing import make_org, make_user


def _issue(username: str) -> str:
    out = StringIO()
    call_command("issue_token", username, stdout=out)
    return out.getvalue().strip()


def test_it_creates_and_prints_a_token(db):
    user = make_user("liwei", make_org(OrganisationType.DEVELOPER))
    key = _issue("liwei")
    assert Token.objects.get(user=user).key == key
    assert len(key) == 40


def test_it_prints_the_same_token_the_second_time(db):
    make_user("liwei", make_org(OrganisationType.DEVELOPER))
    assert _issue("liwei") == _issue("liwei")
    assert Token.objects.count() == 1


def test_the_token_authenticates_api_requests(db, client):
    make_user("liwei", make_org(OrganisationType.DEVELOPER))
    key = _issue("liwei")
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/catalog/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert api.get("/api/v1/catalog/").status_code == 401


def test_it_explains_an_unknown_username(db):
    with pytest.raises(CommandError, match="找不到用户名为“nobody”的用户"):
        _issue("nobody")


def test_it_refuses_an_inactive_user(db):
    make_user("gone", is_active=False)
    with pytest.raises(CommandError, match="已停用"):
        _issue("gone")
