import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongshi.core.choices import Stage, UnitRole
from gongshi.core.testing import assert_matrix
from gongshi.organisations.credit_codes import make_credit_code
from gongshi.projects.models import Participation, Project

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

NEW_PROJECT = {
    "name": "松北新城二期",
    "address": "哈尔滨市松北区世纪大道9号",
    "region": "230109",
    "housing_type": "commercial",
    "delivery_standard": "fitted",
    "floor_area": "81234.50",
    "building_count": 9,
    "household_count": 720,
    "structure_type": "shear_wall",
    "contract_duration_days": 900,
    "leader_name": "赵刚",
}


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_it_checks_who_may_list_projects(world):
    assert_matrix(
        world,
        "get",
        reverse("api:workspace-projects"),
        dict.fromkeys(
            ["outsider", "unit", "developer", "other_regulator", "regulator", "admin"], 200
        )
        | {"anonymous": 401},
    )


def test_a_developer_registers_a_project_with_a_token(world):
    response = _token_client(world.users["developer"]).post(
        reverse("api:workspace-projects"), NEW_PROJECT, format="json"
    )
    assert response.status_code == 201, response.json()
    project = Project.objects.get(code=response.json()["code"])
    assert project.developer == world.project.developer
    assert project.stage == Stage.NOT_STARTED
    assert Participation.objects.get(project=project, role=UnitRole.DEVELOPER).leader_name == "赵刚"


def test_registration_errors_come_in_the_one_shape(world):
    response = _token_client(world.users["developer"]).post(
        reverse("api:workspace-projects"),
        {**NEW_PROJECT, "name": "", "floor_area": "-5"},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["name"] == ["请填写项目名称。"]
    assert "floor_area" in error["fields"]
    assert not Project.objects.filter(name="").exists()


def test_a_unit_cannot_register_a_project(world):
    response = _token_client(world.users["unit"]).post(
        reverse("api:workspace-projects"), NEW_PROJECT, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "developer_only"


def test_it_checks_who_may_read_and_update_a_project(world):
    url = reverse("api:workspace-project", args=[world.project.code])
    linked = {
        "anonymous": 401,
        "outsider": 404,
        "other_regulator": 404,
        "regulator": 404,
        "admin": 404,
    }
    assert_matrix(world, "get", url, {**linked, "unit": 200, "developer": 200})
    assert_matrix(
        world,
        "patch",
        url,
        {**linked, "unit": 403, "developer": 200},
        data=json.dumps({"name": "测试花园（一期）"}),
        content_type="application/json",
    )
    world.project.refresh_from_db()
    assert world.project.name == "测试花园（一期）"


def test_linking_a_unit_by_credit_code_checks_its_type(world):
    url = reverse("api:workspace-units", args=[world.project.code])
    design = world.units[UnitRole.DESIGN]
    client = _token_client(world.users["developer"])
    wrong = client.post(
        url,
        {"role": "contractor", "credit_code": design.credit_code, "leader_name": "钱"},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "wrong_kind"
    unknown = client.post(
        url,
        {"role": "design", "credit_code": make_credit_code("230103", 999_999), "leader_name": "钱"},
        format="json",
    )
    assert unknown.json()["error"]["code"] == "unknown_organisation"
    ok = client.post(
        url,
        {"role": "design", "credit_code": design.credit_code, "leader_name": "钱多多"},
        format="json",
    )
    assert ok.status_code == 201
    assert Participation.objects.get(project=world.project, role="design").leader_name == "钱多多"


def test_it_checks_who_may_link_units(world):
    design = world.units[UnitRole.DESIGN]
    assert_matrix(
        world,
        "post",
        reverse("api:workspace-units", args=[world.project.code]),
        {
            "anonymous": 401,
            "outsider": 404,
            "unit": 403,
            "developer": 201,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data=json.dumps({"role": "design", "credit_code": design.credit_code, "leader_name": "孙"}),
        content_type="application/json",
    )


def test_completion_needs_the_acceptance_date(world):
    url = reverse("api:workspace-stage", args=[world.project.code])
    client = _token_client(world.users["developer"])
    response = client.post(url, {"stage": "completed", "started_on": "2024-03-01"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["completion_accepted_on"] == [
        "项目进入“已竣工验收”或“已交付”阶段前，须填写竣工验收合格日期。"
    ]
    response = client.post(
        url,
        {"stage": "completed", "started_on": "2024-03-01", "completion_accepted_on": "2025-10-09"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "completed"
    back = client.post(url, {"stage": "under_construction"}, format="json")
    assert back.json()["error"]["code"] == "stage_backwards"


def test_it_checks_who_may_move_the_stage(world):
    assert_matrix(
        world,
        "post",
        reverse("api:workspace-stage", args=[world.project.code]),
        {
            "anonymous": 401,
            "outsider": 404,
            "unit": 403,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data=json.dumps({"stage": "under_construction", "started_on": "2024-03-01"}),
        content_type="application/json",
    )


def test_the_plan_is_saved_and_published(world):
    url = reverse("api:workspace-plan", args=[world.project.code])
    plan = {
        "responsible_person": "王建国",
        "responsible_title": "项目经理",
        "channels": ["sales_office", "site", "wechat"],
        "content": "指导意见第四条所列六类信息。",
        "method": "售楼处张贴原件扫描件，微信公众号同步发布。",
        "regime": "工程部牵头，监理、施工单位按阶段提交。",
        "procedure": "参建单位提交，建设单位审核后公示。",
        "time_limits": "信息形成后 7 日内公示。",
        "management_measures": "专人负责，每周核查。",
    }
    client = _token_client(world.users["developer"])
    assert client.get(url).status_code == 404
    response = client.put(url + "?publish=1", plan, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["published_at"]
    bad = client.put(url, {**plan, "channels": ["radio"]}, format="json")
    assert bad.status_code == 400
    assert "channels" in bad.json()["error"]["fields"]


def test_it_checks_who_may_read_the_plan(world):
    assert_matrix(
        world,
        "get",
        reverse("api:workspace-plan", args=[world.project.code]),
        {
            "anonymous": 401,
            "outsider": 404,
            "unit": 403,
            "developer": 404,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )
