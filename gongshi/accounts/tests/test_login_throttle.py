"""Too many wrong passwords for one username from one address lock that pair out for a while."""

import time

from django.contrib.auth import SESSION_KEY

from gongshi.core.choices import OrganisationType
from gongshi.core.testing import PASSWORD, make_org, make_user


def _fail(client, times, username="liwei", address="203.0.113.7"):
    for _ in range(times):
        response = client.post(
            "/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
    return response


def _login(client, username="liwei", address="203.0.113.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=address
    )


def _errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def test_it_still_lets_a_user_in_after_fewer_failures_than_the_limit(client, db, settings):
    make_user("liwei", make_org(OrganisationType.DEVELOPER))
    _fail(client, settings.GONGSHI_LOGIN_MAX_FAILURES - 1)
    assert _login(client).status_code == 302


def test_it_locks_out_the_username_and_address_after_the_limit(client, db, settings):
    make_user("liwei", make_org(OrganisationType.DEVELOPER))
    last_failure = _fail(client, settings.GONGSHI_LOGIN_MAX_FAILURES)
    assert "登录失败次数过多" in _errors(last_failure)

    response = _login(client)  # even the right password is refused now

    assert response.status_code == 429  # the page explains; clients and proxies see 429
    assert 890 <= int(response["Retry-After"]) <= 900
    assert SESSION_KEY not in client.session
    message = _errors(response)
    assert "请在 15 分钟后" in message
    assert "之后）再试" in message


def test_the_lockout_tells_the_time_in_english_too(client, db, settings):
    make_user("liwei", make_org(OrganisationType.DEVELOPER))
    _fail(client, settings.GONGSHI_LOGIN_MAX_FAILURES)
    response = client.post(
        "/accounts/login/",
        {"username": "liwei", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Too many failed sign-in attempts" in _errors(response)
    assert "15 minutes" in _errors(response)


def test_the_lockout_is_per_address(client, db, settings):
    make_user("liwei", make_org(OrganisationType.DEVELOPER))
    _fail(client, settings.GONGSHI_LOGIN_MAX_FAILURES, address="203.0.113.7")
    assert _login(client, address="198.51.100.2").status_code == 302


def test_the_lockout_is_per_username_ignoring_case(client, db, settings):
    org = make_org(OrganisationType.DEVELOPER)
    make_user("liwei", org)
    make_user("zhangmin", org)
    _fail(client, settings.GONGSHI_LOGIN_MAX_FAILURES, username="LiWei")
    assert "登录失败次数过多" in _errors(_login(client, username="liwei"))
    assert _login(client, username="zhangmin").status_code == 302


def test_a_successful_login_clears_earlier_failures(client, db, settings):
    make_user("liwei", make_org(OrganisationType.DEVELOPER))
    _fail(client, settings.GONGSHI_LOGIN_MAX_FAILURES - 1)
    assert _login(client).status_code == 302
    client.logout()
    _fail(client, settings.GONGSHI_LOGIN_MAX_FAILURES - 1)
    assert _login(client).status_code == 302


def test_the_lockout_ends_when_the_window_closes(client, db, settings):
    settings.GONGSHI_LOGIN_WINDOW_SECONDS = 1
    make_user("liwei", make_org(OrganisationType.DEVELOPER))
    _fail(client, settings.GONGSHI_LOGIN_MAX_FAILURES)
    assert _login(client).status_code == 429
    time.sleep(1.1)
    assert _login(client).status_code == 302
