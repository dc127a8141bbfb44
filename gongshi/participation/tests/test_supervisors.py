"""Social supervisors: an invitation link creates the account and the role for one open day."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.participation import opendays
from gongshi.participation.models import Supervisor


def _invite(world, open_day) -> str:
    response = world.client("developer").post(
        reverse("participation:dev_open_day", args=[open_day.pk]),
        {"action": "invite", "name": "钱专家", "kind": "expert"},
    )
    assert response.status_code == 200
    return re.search(r"(/participation/invitations/[^/<\s]+/)", response.content.decode()).group(1)


def test_only_the_developer_invites(world, open_day):
    url = reverse("participation:dev_open_day", args=[open_day.pk])
    assert_matrix(
        world,
        "post",
        url,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 404,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data={"action": "invite", "name": "钱专家", "kind": "expert"},
    )


def test_the_link_creates_an_account_and_the_supervisor_role(world, open_day):
    link = _invite(world, open_day)
    client = world.client("anonymous")
    assert client.get(link).status_code == 200
    response = client.post(link, {"username": "qian", "password": "a-long-enough-password-42"})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="qian")
    assert user.display_name == "钱专家"
    assert Supervisor.objects.get(user=user).open_day == open_day
    assert client.get(reverse("participation:supervise", args=[open_day.pk])).status_code == 200
    # The link works once.
    assert world.client("anonymous").get(link).status_code == 404


def test_a_weak_password_is_refused_with_reasons(world, open_day):
    link = _invite(world, open_day)
    response = world.client("anonymous").post(link, {"username": "qian", "password": "123"})
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="qian").exists()


def test_a_taken_username_is_refused(world, open_day):
    link = _invite(world, open_day)
    response = world.client("anonymous").post(
        link, {"username": "developer", "password": "a-long-enough-password-42"}
    )
    assert response.status_code == 400
    assert "已被使用" in response.content.decode()


def test_a_signed_in_person_accepts_with_their_account(world, open_day):
    link = _invite(world, open_day)
    response = world.client("regulator").post(link, {})
    assert response.status_code == 302
    assert opendays.is_supervisor(world.users["regulator"], open_day)


def test_an_unknown_invitation_is_404_for_everyone(world):
    assert_matrix(world, "get", "/participation/invitations/guess/", dict.fromkeys(ROLES, 404))


def test_the_supervision_page_is_for_the_open_days_supervisors_only(world, open_day, supervisor):
    url = reverse("participation:supervise", args=[open_day.pk])
    assert_matrix(
        world,
        "get",
        url,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 404,
            "developer": 404,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )


def test_an_invitation_needs_a_name(world, open_day):
    with pytest.raises(Exception) as excinfo:
        opendays.invite(open_day, world.users["developer"], name=" ", kind="expert")
    assert "请填写受邀人姓名" in str(excinfo.value)


def test_a_withdrawn_item_is_not_offered_for_checking(world, open_day, supervisor, disclosed):
    from gongshi.catalogue.tests.factories import withdraw

    item = disclosed.disclosure.item
    client = world.client("anonymous")
    client.force_login(supervisor)
    url = f"/participation/supervise/{open_day.pk}/"
    assert item.title in client.get(url).content.decode()
    withdraw(world.project, item, world.users["developer"])
    assert item.title not in client.get(url).content.decode()


def test_a_supervisor_finds_the_open_day_in_the_workspace(world, open_day, supervisor):
    client = world.client("anonymous")
    client.force_login(supervisor)
    html = client.get("/workspace/").content.decode()
    assert "我受邀监督的工地开放日" in html
    assert f"/participation/supervise/{open_day.pk}/" in html
    assert "还没有关联任何项目" not in html
