"""In a real browser at phone width: the owner verifies and records a problem, the public
reads the flat page (and never the owner's data)."""

from gongshi.core.testing import build_world
from gongshi.files.testing import make_jpeg_bytes
from gongshi.households import archive as archive_rules
from gongshi.households.flats import generate_flats
from gongshi.households.models import FlatArchive, InspectionProblem
from gongshi.households.tests.conftest import CONTRACT, OWNER_NAME, OWNER_PHONE, measure
from gongshi.projects.models import Building


def test_the_owner_records_a_problem_and_the_public_reads_the_flat_page(make_page, tmp_path):
    world = build_world()
    building = Building.objects.create(project=world.project, name="1号楼", floors_above=6)
    generate_flats(building, floors_from=1, floors_to=6, per_floor=2)
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
    assert owner.get_by_role("heading", name="已登记的问题").is_visible()
    owner.get_by_role("textbox", name="位置").fill("主卧窗台")
    owner.get_by_label("问题描述").fill("窗台石材有一条裂缝")
    owner.get_by_label("照片").set_input_files(str(photo))
    owner.get_by_role("button", name="提交问题").click()
    assert owner.get_by_text("窗台石材有一条裂缝").is_visible()
    assert owner.get_by_text("待答复").first.is_visible()
    problem = InspectionProblem.objects.get()
    assert problem.photo is not None
    width = owner.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the inspection page scrolls sideways on a phone ({width} px)"

    public = make_page(width=375, height=740)
    public.goto(flat_url)
    assert public.get_by_role("heading", name="1号楼 1单元 301室").is_visible()
    assert public.get_by_text("1 项超出允许偏差").is_visible()
    assert public.get_by_text("主卧北墙").is_visible()
    html = public.content()
    for secret in (OWNER_NAME, OWNER_PHONE, CONTRACT, "窗台石材有一条裂缝"):
        assert secret not in html
    width = public.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the flat page scrolls sideways on a phone ({width} px)"
