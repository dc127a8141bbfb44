"""A developer invites a unit that is not registered yet; the e-mail carries a registration link."""

import re

from django.core import mail
from django.urls import reverse

from gongshi.core.testing import assert_matrix
from gongshi.organisations.credit_codes import make_credit_code
from gongshi.registrations.models import Invitation

CODE = make_credit_code("230102", 5151)


def _invite(**overrides):
    return {
        "action": "invite",
        "invite-role": "testing",
        "invite-credit_code": CODE,
        "invite-name": "哈尔滨新检测有限公司",
        "invite-leader_name": "周检",
        "invite-email": "lab@example.com",
        **overrides,
    }


def test_only_the_developer_invites(world):
    url = reverse("workspace:units", args=[world.project.code])
    expected = {
        "anonymous": 302,
        "outsider": 404,
        "unit": 403,
        "developer": 302,
        "other_regulator": 404,
        "regulator": 404,
        "admin": 404,
    }
    assert_matrix(world, "post", url, expected, data=_invite())
    assert Invitation.objects.get().invited_by == world.users["developer"]


def test_the_unit_gets_a_link_that_fills_in_the_registration(
    world, django_capture_on_commit_callbacks
):
    client = world.client("developer")
    url = reverse("workspace:units", args=[world.project.code])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _invite(), follow=True)
    assert "已向 lab@example.com 发送注册邀请" in response.content.decode()
    assert "哈尔滨新检测有限公司" in response.content.decode()  # listed as invited
    message = mail.outbox[-1]
    assert message.to == ["lab@example.com"]
    assert world.project.name in message.body
    path = re.search(r"https?://[^/\s]+(/register/\?invitation=\S+)", message.body).group(1)
    page = world.client("anonymous").get(path)
    body = page.content.decode()
    assert page.status_code == 200
    assert f'value="{CODE}"' in body
    assert "邀请贵单位作为“检测机构”参与项目" in body


def test_a_registered_unit_is_linked_not_invited(world):
    client = world.client("developer")
    url = reverse("workspace:units", args=[world.project.code])
    known = world.units["testing"].credit_code
    response = client.post(url, _invite(**{"invite-credit_code": known}))
    assert response.status_code == 200
    assert "已在平台登记，请在上方直接关联，无需邀请" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_unknown_code_on_the_link_form_points_to_the_invitation(world):
    client = world.client("developer")
    url = reverse("workspace:units", args=[world.project.code])
    response = client.post(url, {"role": "testing", "credit_code": CODE, "leader_name": "周检"})
    assert "或在下方邀请该单位注册" in response.content.decode()


def test_a_tampered_link_fills_in_nothing(world):
    page = world.client("anonymous").get(reverse("registrations:register") + "?invitation=x:y")
    assert page.status_code == 200
    assert "邀请贵单位" not in page.content.decode()
