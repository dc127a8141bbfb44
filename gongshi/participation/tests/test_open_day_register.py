"""Residents register for an open day with a verified contact, within capacity."""

from django.urls import reverse

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.participation.models import Registration
from gongshi.participation.tests.conftest import code_from_outbox


def _verified_client(world, contact):
    client = world.client("anonymous")
    code = world.project.code
    client.post(reverse("participation:verify", args=[code]), {"contact": contact})
    client.post(
        reverse("participation:verify_confirm", args=[code]),
        {"contact": contact, "code": code_from_outbox()},
    )
    return client


def test_registering_without_a_verified_contact_asks_for_one(world, open_day):
    url = reverse("participation:open_day", args=[world.project.code, open_day.pk])
    assert_matrix(world, "post", url, dict.fromkeys(ROLES, 200), data={"name": "张三"})
    assert not Registration.objects.exists()
    response = world.client("anonymous").post(url, {"name": "张三"})
    assert "获取验证码" in response.content.decode()


def test_a_resident_registers_and_the_last_place_goes_then_it_says_full(world, open_day):
    url = reverse("participation:open_day", args=[world.project.code, open_day.pk])
    resident = _verified_client(world, "a@example.com")
    first = resident.post(url, {"name": "张三"})
    assert first.status_code == 200 and "报名成功" in first.content.decode()
    again = resident.post(url, {"name": "张三"})
    assert again.status_code == 400 and "无需重复报名" in again.content.decode()
    second = _verified_client(world, "b@example.com").post(url, {"name": "李四"})
    assert second.status_code == 200
    third = _verified_client(world, "c@example.com").post(url, {"name": "王五"})
    assert third.status_code == 400
    assert "名额（2 人）已满" in third.content.decode()
    assert Registration.objects.count() == 2
    page = world.client("anonymous").get(url).content.decode()
    assert "名额已满" in page
    assert "a@example.com" not in page and "张三" not in page


def test_a_name_is_needed(world, open_day):
    url = reverse("participation:open_day", args=[world.project.code, open_day.pk])
    response = _verified_client(world, "a@example.com").post(url, {"name": ""})
    assert response.status_code == 400
    assert "请填写您的姓名" in response.content.decode()


def test_the_name_typed_before_verifying_is_kept(world, open_day):
    url = reverse("participation:open_day", args=[world.project.code, open_day.pk])
    client = world.client("anonymous")
    client.post(url, {"name": "李四"})  # asks for a verified contact first
    code = world.project.code
    client.post(reverse("participation:verify", args=[code]), {"contact": "lisi@example.com"})
    confirmed = client.post(
        reverse("participation:verify_confirm", args=[code]),
        {"contact": "lisi@example.com", "code": code_from_outbox(), "next": url},
    )
    assert confirmed["Location"] == url
    page = client.get(url).content.decode()
    assert 'value="李四"' in page
