"""The developer schedules an open day; followers hear of it; the public sees it."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.participation.models import Event, OpenDay

DEV_ONLY = {
    "anonymous": 302,
    "outsider": 404,
    "unit": 404,
    "developer": 200,
    "other_regulator": 404,
    "regulator": 404,
    "admin": 404,
}


def _form(**overrides):
    data = {
        "date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "place": "项目东门",
        "stage_of_work": "主体结构封顶",
        "capacity": "30",
        "showing": "屋面防水、外墙保温样板",
    }
    data.update(overrides)
    return data


def test_only_the_developer_opens_the_scheduling_page(world):
    url = reverse("participation:dev_open_days", args=[world.project.code])
    assert_matrix(world, "get", url, DEV_ONLY)


def test_only_the_developer_schedules(world):
    url = reverse("participation:dev_open_days", args=[world.project.code])
    assert_matrix(world, "post", url, {**DEV_ONLY, "developer": 302}, data=_form())
    day = OpenDay.objects.get()
    assert day.capacity == 30 and day.scheduled_by == world.users["developer"]
    assert Event.objects.filter(kind="open_day.scheduled").count() == 1


def test_a_past_date_is_refused_with_a_sentence(world):
    url = reverse("participation:dev_open_days", args=[world.project.code])
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = world.client("developer").post(url, _form(date=yesterday))
    assert response.status_code == 400
    assert "开放日日期不能早于今天。" in response.content.decode()


def test_an_end_before_the_start_is_refused(world):
    url = reverse("participation:dev_open_days", args=[world.project.code])
    response = world.client("developer").post(url, _form(start_time="11:00", end_time="10:00"))
    assert response.status_code == 400
    assert "结束时间须晚于开始时间。" in response.content.decode()
    assert not OpenDay.objects.exists()


def test_the_open_day_page_is_public(world, open_day):
    url = reverse("participation:open_day", args=[world.project.code, open_day.pk])
    assert_matrix(world, "get", url, dict.fromkeys(ROLES, 200))
    other = reverse("participation:open_day", args=[world.other_project.code, open_day.pk])
    assert world.client("anonymous").get(other).status_code == 404


def test_the_developer_detail_page_is_the_developers_only(world, open_day):
    url = reverse("participation:dev_open_day", args=[open_day.pk])
    assert_matrix(world, "get", url, DEV_ONLY)


def test_the_open_days_api_is_public(world, open_day):
    url = f"/api/v1/projects/{world.project.code}/open-days/"
    assert_matrix(world, "get", url, dict.fromkeys(ROLES, 200))
    body = world.client("anonymous").get(url).json()
    assert body["results"][0]["capacity"] == 2 and body["results"][0]["registered"] == 0
