"""The developer's project pages: register, edit, units, stage, plan."""

import pytest
from django.urls import reverse

from gongshi.core.choices import Stage, UnitRole
from gongshi.core.testing import assert_matrix
from gongshi.projects.models import Participation, Project
from gongshi.workspace.models import DisclosurePlan

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

DEVELOPER_ONLY = {
    "anonymous": 302,
    "outsider": 404,
    "unit": 403,  # linked, so the project is no secret to it: it is simply not allowed
    "developer": 200,
    "other_regulator": 404,
    "regulator": 404,
    "admin": 404,
}
REGISTRATION = {
    "developer": "",
    "name": "松北新城二期",
    "address": "哈尔滨市松北区世纪大道9号",
    "region": "230109",
    "housing_type": "commercial",
    "delivery_standard": "fitted",
    "floor_area": "81234.50",
    "building_count": "9",
    "household_count": "720",
    "structure_type": "shear_wall",
    "contract_duration_days": "900",
    "leader_name": "赵刚",
    "leader_title": "项目经理",
}
PLAN = {
    "responsible_person": "王建国",
    "responsible_title": "项目经理",
    "channels": [
        "sales_office",
        "site",
        "website",
        "wechat",
        "display_screen",
        "kiosk",
        "show_flat",
    ],
    "content": "指导意见第四条所列六类信息。",
    "method": "售楼处张贴原件扫描件，企业网站和微信公众号同步发布。",
    "regime": "建设单位工程部牵头，监理、施工单位按阶段提交，法务审核后发布。",
    "procedure": "参建单位提交，建设单位审核后公示。",
    "time_limits": "信息形成后 7 日内公示。",
    "management_measures": "专人负责，每周核查。",
}


def test_index_lists_only_my_organisations_projects(world):
    assert_matrix(
        world,
        "get",
        reverse("workspace:index"),
        dict.fromkeys(["outsider", "unit", "developer"], 200)
        # Regulators and administrators have their own work area, and are sent there.
        | dict.fromkeys(["anonymous", "other_regulator", "regulator", "admin"], 302),
    )
    assert world.client("regulator").get(reverse("workspace:index"))["Location"] == "/supervision/"
    assert world.client("admin").get(reverse("workspace:index"))["Location"] == "/admin/"
    html = world.client("unit").get(reverse("workspace:index")).content.decode()
    assert world.project.name in html and world.other_project.name not in html
    html = world.client("outsider").get(reverse("workspace:index")).content.decode()
    assert world.other_project.name in html and world.project.name not in html


def test_it_checks_who_may_register_a_project(world):
    assert_matrix(
        world,
        "get",
        reverse("workspace:project_new"),
        {
            "anonymous": 302,
            "outsider": 200,
            "unit": 403,
            "developer": 200,
            "other_regulator": 403,
            "regulator": 403,
            "admin": 403,
        },
    )


def test_a_developer_registers_a_project_and_goes_on_to_link_units(world):
    data = {**REGISTRATION, "developer": world.project.developer.credit_code}
    response = world.client("developer").post(reverse("workspace:project_new"), data)
    project = Project.objects.get(name="松北新城二期")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:units", args=[project.code])
    assert project.stage == Stage.NOT_STARTED
    assert project.participations.get(role=UnitRole.DEVELOPER).leader_name == "赵刚"


def test_registration_explains_every_mistake(world):
    data = {**REGISTRATION, "developer": world.project.developer.credit_code}
    data.update(name="", floor_area="0", region="999999", leader_name="")
    response = world.client("developer").post(reverse("workspace:project_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写项目名称。" in html
    assert "应大于 0" in html
    assert "请填写建设单位项目负责人。" in html
    assert not Project.objects.filter(address=REGISTRATION["address"]).exists()


def test_a_developer_cannot_register_for_another_developer(world):
    data = {**REGISTRATION, "developer": world.other_project.developer.credit_code}
    world.client("developer").post(reverse("workspace:project_new"), data)
    assert not Project.objects.filter(name="松北新城二期").exists()


def test_it_checks_who_may_edit_the_project(world):
    url = reverse("workspace:project_edit", args=[world.project.code])
    assert_matrix(world, "get", url, DEVELOPER_ONLY)


def test_units_page_links_an_organisation_by_credit_code(world):
    url = reverse("workspace:units", args=[world.project.code])
    assert_matrix(world, "get", url, DEVELOPER_ONLY)
    Participation.objects.filter(project=world.project, role=UnitRole.TESTING).delete()
    page = world.client("developer").get(url).content.decode()
    assert "尚未关联：检测机构" in page
    testing = world.units[UnitRole.TESTING]
    wrong = world.client("developer").post(
        url, {"role": "survey", "credit_code": testing.credit_code, "leader_name": "周"}
    )
    assert "不能作为“勘察单位”" in wrong.content.decode()
    ok = world.client("developer").post(
        url, {"role": "testing", "credit_code": testing.credit_code.lower(), "leader_name": "周"}
    )
    assert ok.status_code == 302
    assert (
        Participation.objects.get(project=world.project, role=UnitRole.TESTING).leader_name == "周"
    )


def test_a_mistyped_credit_code_is_explained(world):
    url = reverse("workspace:units", args=[world.project.code])
    code = world.units[UnitRole.TESTING].credit_code
    client = world.client("developer")
    wrong_check = code[:-1] + ("1" if code[-1] != "1" else "2")
    for typed, says in [
        (wrong_check, "校验位不正确"),
        (code[:17], "应为 18 位，当前为 17 位"),
    ]:
        page = client.post(url, {"role": "testing", "credit_code": typed, "leader_name": "周"})
        assert says in page.content.decode(), typed


def test_removing_a_unit_checks_access(world):
    participation = Participation.objects.get(project=world.project, role=UnitRole.SURVEY)
    url = reverse("workspace:unit_remove", args=[world.project.code, participation.pk])
    assert_matrix(world, "post", url, {**DEVELOPER_ONLY, "developer": 302})
    assert not Participation.objects.filter(pk=participation.pk).exists()


def test_stage_moves_need_the_acceptance_date(world):
    url = reverse("workspace:stage", args=[world.project.code])
    assert_matrix(world, "get", url, DEVELOPER_ONLY)
    client = world.client("developer")
    response = client.post(url, {"stage": "completed", "started_on": "2024-03-01"})
    assert "须填写竣工验收合格日期" in response.content.decode()
    response = client.post(
        url,
        {"stage": "completed", "started_on": "2024-03-01", "completion_accepted_on": "2025-09-30"},
    )
    assert response.status_code == 302
    world.project.refresh_from_db()
    assert world.project.stage == Stage.COMPLETED


def test_the_plan_is_written_then_published_and_a_new_edit_keeps_the_old_one(world):
    url = reverse("workspace:plan", args=[world.project.code])
    assert_matrix(world, "get", url, DEVELOPER_ONLY)
    client = world.client("developer")
    missing = client.post(url, {**PLAN, "channels": [], "action": "publish"})
    assert "请至少选择一个公示渠道。" in missing.content.decode()
    assert client.post(url, {**PLAN, "action": "publish"}).status_code == 302
    first = DisclosurePlan.objects.published().get()
    assert len(first.channel_labels()) == 7
    client.post(url, {**PLAN, "time_limits": "信息形成后 5 日内公示。", "action": "save"})
    first.refresh_from_db()
    assert first.time_limits == "信息形成后 7 日内公示。"
    assert DisclosurePlan.objects.drafts().get().time_limits == "信息形成后 5 日内公示。"


def test_a_plan_names_its_method_and_regime_and_posts_scans_offline(world, client):
    url = reverse("workspace:plan", args=[world.project.code])
    developer = world.client("developer")
    no_method = developer.post(url, {**PLAN, "method": "", "action": "publish"})
    assert "请填写公示方式。" in no_method.content.decode()
    online_only = developer.post(
        url, {**PLAN, "channels": ["website", "wechat"], "action": "publish"}
    )
    assert "请选择售楼处" in online_only.content.decode()
    assert not DisclosurePlan.objects.published().exists()
    assert developer.post(url, {**PLAN, "action": "publish"}).status_code == 302
    page = client.get(f"/p/{world.project.code}/").content.decode()
    assert PLAN["method"] in page and PLAN["regime"] in page


def test_a_plan_with_a_personal_mobile_is_not_published(world):
    url = reverse("workspace:plan", args=[world.project.code])
    response = world.client("developer").post(
        url, {**PLAN, "procedure": "有问题找王经理 13912345678", "action": "publish"}
    )
    assert "个人手机号码" in response.content.decode()
    assert not DisclosurePlan.objects.published().exists()
