"""In a real browser at phone width: the developer adds and publishes the second batch's
pre-sale permit naming its building, the public reads the project per building and sees both
permits, the owner verifies and records a problem, the public reads the flat page (and never
the owner's data)."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from gongshi.catalogue.models import Category
from gongshi.catalogue.tests.factories import make_item, publish
from gongshi.core.testing import PASSWORD, build_world, scroll_width
from gongshi.disclosures.models import DisclosureVersion
from gongshi.disclosures.workflow import ProjectAccess, add_instance
from gongshi.files.testing import make_jpeg_bytes
from gongshi.households import archive as archive_rules
from gongshi.households.flats import generate_flats
from gongshi.households.models import FlatArchive, InspectionProblem
from gongshi.households.tests.conftest import CONTRACT, OWNER_NAME, OWNER_PHONE, measure
from gongshi.projects.models import Building

PERMIT = [{"key": "certificate_number", "label": "预售许可证号", "label_en": "Number",
           "type": "text", "required": True}]  # fmt: skip


def no_sideways_scroll(page, what: str) -> None:
    width = scroll_width(page)
    assert width <= 375, f"{what} scrolls sideways on a phone ({width} px)"


def test_the_owner_records_a_problem_and_the_public_reads_the_flat_page(make_page, tmp_path):
    world = build_world()
    building = Building.objects.create(project=world.project, name="1号楼", floors_above=6)
    second = Building.objects.create(project=world.project, name="2号楼", floors_above=6)
    generate_flats(building, floors_from=1, floors_to=6, per_floor=2)
    # The first batch's permit is public already; the developer adds the second on a phone.
    permit = make_item(code="t.presale", title="商品房预售许可证", category=Category.PROCEDURE,
                       fields=PERMIT, repeatable=True, covers_buildings=True)  # fmt: skip
    developer = world.users["developer"]
    access = ProjectAccess.for_user(world.project, developer)
    add_instance(access, permit, label="第一批（1号楼）", buildings=[building.pk])
    publish(world.project, permit, developer, values={"certificate_number": "哈预2026001"})

    desk = make_page(width=375, height=740)
    desk.goto("/accounts/login/?next=/workspace/")
    desk.get_by_label("用户名").fill("developer")
    desk.get_by_label("密码").fill(PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.get_by_role("link", name=world.project.name).click()
    # By its address: the built-in catalogue's own pre-sale permit has the same title and is
    # in the database when an earlier test of the worker loaded it.
    desk.locator(f'a[href="/workspace/p/{world.project.code}/items/{permit.code}/"]').first.click()
    desk.get_by_text("新增一份", exact=True).click()
    desk.get_by_label("名称（如“第二批（3号楼、4号楼）”）").fill("第二批（2号楼）")
    desk.get_by_role("checkbox", name="2号楼").check()
    desk.get_by_role("button", name="新增并填写").click()
    expect(desk.get_by_text("第二批（2号楼）").first).to_be_visible()
    desk.get_by_label("预售许可证号").fill("哈预2026002")
    information_date = timezone.localdate() - dt.timedelta(days=1)
    desk.get_by_label("信息形成日期").fill(information_date.isoformat())
    desk.get_by_role("button", name="保存并公示").click()
    expect(desk.get_by_text("已公示。")).to_be_visible()
    published = DisclosureVersion.objects.published().get(disclosure__instance=2)
    assert published.values == {"certificate_number": "哈预2026002"}
    assert published.disclosure.building_names() == ["2号楼"]
    no_sideways_scroll(desk, "the instance page")

    # The public reads the project per building on a phone: each permit under its building.
    reader = make_page(width=375, height=740)
    reader.goto(f"/p/{world.project.code}/")
    expect(reader.get_by_text("已公示 2 份，应公示 1 份")).to_be_visible()
    expect(reader.get_by_text("第一批（1号楼）").first).to_be_visible()
    expect(reader.get_by_text("第二批（2号楼）").first).to_be_visible()
    no_sideways_scroll(reader, "the project page")
    reader.locator(".building-tabs").get_by_role("link", name="2号楼").click()
    reader.wait_for_url(f"**/p/{world.project.code}/b/{second.pk}/")
    expect(reader.get_by_text("第二批（2号楼）").first).to_be_visible()
    assert reader.get_by_text("第一批（1号楼）").count() == 0
    no_sideways_scroll(reader, "the building page")
    reader.locator(".building-tabs").get_by_role("link", name="1号楼").click()
    reader.wait_for_url(f"**/p/{world.project.code}/b/{building.pk}/")
    expect(reader.get_by_text("第一批（1号楼）").first).to_be_visible()
    assert reader.get_by_text("第二批（2号楼）").count() == 0

    archive = FlatArchive.objects.get(flat__building=building, flat__number="301")
    archive_rules.set_owner(
        archive, owner_name=OWNER_NAME, owner_phone=OWNER_PHONE, contract_number=CONTRACT
    )
    measure(archive)
    archive_rules.publish(archive, True)
    flat_url = f"/p/{world.project.code}/h/{archive.code}/"
    photo = tmp_path / "crack.jpg"
    photo.write_bytes(make_jpeg_bytes())

    owner = make_page(width=375, height=740)
    owner.goto(flat_url)
    owner.get_by_role("link", name="我是业主，进入查验").click()
    owner.get_by_label("购房合同编号").fill(CONTRACT)
    owner.get_by_label("手机号码").first.fill(OWNER_PHONE)
    owner.get_by_role("button", name="验证并进入").click()
    expect(owner.get_by_role("heading", name="已登记的问题")).to_be_visible()
    owner.get_by_role("textbox", name="位置").fill("主卧窗台")
    owner.get_by_label("问题描述").fill("窗台石材有一条裂缝")
    owner.get_by_label("照片").set_input_files(str(photo))
    owner.get_by_role("button", name="提交问题").click()
    expect(owner.get_by_text("窗台石材有一条裂缝")).to_be_visible()
    expect(owner.get_by_text("待答复").first).to_be_visible()
    problem = InspectionProblem.objects.get()
    assert problem.photo is not None
    no_sideways_scroll(owner, "the inspection page")

    public = make_page(width=375, height=740)
    public.goto(flat_url)
    expect(public.get_by_role("heading", name="1号楼 1单元 301室")).to_be_visible()
    expect(public.get_by_text("1 项超出允许偏差")).to_be_visible()
    expect(public.get_by_text("主卧北墙")).to_be_visible()
    html = public.content()
    for secret in (OWNER_NAME, OWNER_PHONE, CONTRACT, "窗台石材有一条裂缝"):
        assert secret not in html
    no_sideways_scroll(public, "the flat page")
