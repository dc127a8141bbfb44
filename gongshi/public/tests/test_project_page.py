import datetime as dt

import pytest
from django.test import Client

from gongshi.catalogue.tests.factories import make_item, publish, withdraw
from gongshi.core.testing import ROLES, assert_matrix
from gongshi.public.tests.conftest import (
    household_rows,
    publish_households,
    publish_permit,
    publish_with_file,
)

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

ALL_OK = dict.fromkeys(ROLES, 200)


def url(world) -> str:
    return f"/p/{world.project.code}/"


def test_everyone_may_read_a_project_page(world, catalogue):
    assert_matrix(world, "get", url(world), ALL_OK)


def test_an_unknown_code_is_not_found(world):
    assert_matrix(world, "get", "/p/ZZZZZZ/", dict.fromkeys(ROLES, 404))


def test_a_lower_case_code_finds_the_project(world, catalogue, client):
    assert client.get(url(world).lower()).status_code == 200


def test_it_shows_facts_units_and_leaders(world, catalogue, client):
    html = client.get(url(world)).content.decode()
    assert "哈尔滨市南岗区测试路1号" in html
    assert "剪力墙结构" in html and "720 日历天" in html
    for role_label in [
        "建设单位",
        "勘察单位",
        "设计单位",
        "施工单位",
        "监理单位",
        "施工图审查机构",
        "检测机构",
    ]:
        assert role_label in html
    assert "王建国" in html and "李明" in html


def test_it_shows_the_six_categories_with_a_status_word(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    response = client.get(url(world))
    html = response.content.decode()
    for anchor in [
        "cat-procedure",
        "cat-parties",
        "cat-materials",
        "cat-acceptance",
        "cat-warranty",
        "cat-other",
    ]:
        assert f'id="{anchor}"' in html
    categories = {c.category.value: c for c in response.context["page"].categories}
    assert categories["procedure"].status.word == "缺 1 项"
    assert categories["procedure"].status.tone == "bad"
    assert categories["procedure"].percent == 50
    assert categories["warranty"].status.word == "暂无应公示事项"


def test_it_shows_every_field_of_a_published_item_with_its_dates(world, catalogue, client):
    version = publish_permit(world, catalogue["planning"], number="建字第230103202500042号")
    html = client.get(url(world)).content.decode()
    assert "建字第230103202500042号" in html
    assert "哈尔滨市自然资源和规划局" in html
    assert "信息形成日期" in html and version.information_date.isoformat() in html
    assert "第 1 版" in html


def test_it_shows_the_leaf_index_of_a_logged_version(world, catalogue, client):
    version = publish_permit(world, catalogue["planning"])
    version.refresh_from_db()
    html = client.get(url(world)).content.decode()
    if version.leaf_index is None:
        # The log records publications (integrity app); without it, no index is claimed.
        assert "日志序号" not in html
    else:
        assert f"#{version.leaf_index}" in html


def test_a_choice_value_reads_as_its_label(world, catalogue, client):
    publish_households(
        world, catalogue["households"], household_rows(units=1, floors=1, per_floor=1)
    )
    html = client.get(url(world)).content.decode()
    assert "合格" in html and ">pass<" not in html


def test_a_big_table_is_paged_on_the_project_page(world, catalogue, client):
    publish_households(
        world, catalogue["households"], household_rows(buildings=3, units=2, floors=10, per_floor=4)
    )
    response = client.get(url(world))
    html = response.content.decode()
    table = next(i for i in response.context["page"].items if i.tables).tables[0]
    assert table.total == 240 and len(table.rows) == 10
    assert "查看全部 240 行" in html


def test_files_show_an_inline_preview_and_a_download_link(world, catalogue, client):
    version = publish_with_file(
        world, catalogue["planning"], {"certificate_number": "X-1"}, name="规划许可证.pdf"
    )
    sha = version.attachments.get().file.sha256
    html = client.get(url(world)).content.decode()
    assert f"/files/{sha}/preview.png?page=1&amp;width=480" in html
    assert f'href="/files/{sha}/"' in html
    assert "规划许可证.pdf" in html


def test_a_withdrawn_item_says_so_with_its_reason(world, catalogue, client):
    publish_permit(world, catalogue["planning"], number="作废号码")
    withdraw(
        world.project, catalogue["planning"], world.users["developer"], reason="证书信息录入错误"
    )
    html = client.get(url(world)).content.decode()
    assert "证书信息录入错误" in html
    assert "已撤回" in html


def test_history_lists_every_version_with_its_reason(world, catalogue, client):
    publish_permit(world, catalogue["planning"], number="旧号码")
    publish_permit(world, catalogue["planning"], number="新号码", reason="证书编号录入有误，更正")
    html = client.get(url(world)).content.decode()
    assert "公示记录（2 个版本）" in html
    assert "证书编号录入有误，更正" in html
    assert "新号码" in html


def test_drafts_never_reach_the_public(world, catalogue, client):
    from gongshi.catalogue.tests.factories import make_version

    make_version(
        world.project,
        catalogue["planning"],
        world.users["developer"],
        values={"certificate_number": "草稿里的号码"},
    )
    html = client.get(url(world)).content.decode()
    assert "草稿里的号码" not in html


def test_it_links_to_the_verification_page(world, catalogue, client):
    assert f'href="/p/{world.project.code}/verify/"' in client.get(url(world)).content.decode()


def test_it_carries_share_metadata_with_the_qr_image(world, catalogue, client, settings):
    settings.SITE_URL = "https://gongshi.example.cn"
    html = client.get(url(world)).content.decode()
    assert 'property="og:title" content="测试花园一期 · 住宅工程质量信息公示"' in html
    assert (
        f'property="og:image" content="https://gongshi.example.cn/p/{world.project.code}/qr.png"'
        in html
    )
    assert 'property="og:description" content="哈尔滨市南岗区 · 在建 · 信息公示完整度' in html


def test_it_shows_the_retention_statement_before_completion(world, catalogue, client):
    html = client.get(url(world)).content.decode()
    assert "竣工验收合格后 6 个月" in html


def test_it_shows_retention_dates_after_completion(world, catalogue, client):
    project = world.project
    project.stage = "completed"
    project.completion_accepted_on = dt.date(2025, 8, 31)
    project.save()
    html = client.get(url(world)).content.decode()
    assert "2026-02-28" in html  # six months after 31 August: the end of February
    assert "保修期自交付之日起计算，交付后显示各部位保修到期日" in html


def test_it_shows_each_warranty_part_with_its_period_and_end(world, catalogue, client):
    project = world.project
    project.stage = "handed_over"
    project.completion_accepted_on = dt.date(2025, 8, 31)
    project.handed_over_on = dt.date(2025, 9, 30)
    project.save()
    html = client.get(url(world)).content.decode()
    assert "保修期自交付之日（2025-09-30）起计算" in html
    assert "屋面防水" in html and "5 年" in html and "2030-09-30" in html
    assert "2 个采暖期、供冷期" in html and "2027-04-20" in html
    assert "设计使用年限 50 年" in html and "2075-09-30" in html
    assert "项目尚未公示设计使用年限，暂按普通房屋 50 年计" in html


def test_a_lengthened_period_shows_at_once(world, catalogue, client):
    from gongshi.catalogue.models import WarrantyPart

    project = world.project
    project.stage = "handed_over"
    project.completion_accepted_on = dt.date(2025, 8, 31)
    project.handed_over_on = dt.date(2025, 9, 30)
    project.save()
    assert "2030-09-30" in client.get(url(world)).content.decode()
    part = WarrantyPart.objects.get(code="waterproofing")
    part.length = 10
    part.save()
    assert "2035-09-30" in client.get(url(world)).content.decode()


def test_the_number_of_queries_is_the_same_for_small_and_large_projects(
    world, catalogue, django_assert_max_num_queries
):
    client = Client()
    publish_with_file(world, catalogue["planning"], {"certificate_number": "S"})
    with django_assert_max_num_queries(30) as small:
        client.get(url(world))
    # Grow the project: many items, versions, files and a big household table.
    for i in range(12):
        item = make_item(code=f"t.extra_{i}")
        publish(world.project, item, world.users["developer"])
        publish(world.project, item, world.users["developer"], reason="更正")
    publish_with_file(world, catalogue["planning"], {"certificate_number": "A"}, reason="换发新证")
    publish_with_file(world, catalogue["construction"], {"certificate_number": "B"}, name="b.pdf")
    publish_households(
        world, catalogue["households"], household_rows(buildings=4, units=3, floors=18, per_floor=4)
    )
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(url(world))
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_it_prints_cleanly(world, catalogue, client):
    html = client.get(url(world)).content.decode()
    assert 'class="share no-print"' in html
    assert 'class="print-only"' in html


def test_it_reads_in_english_when_english_is_chosen(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    html = client.get(url(world), headers={"Accept-Language": "en"}).content.decode()
    assert "The six categories at a glance" in html
    assert "Planning permit" in html  # the catalogue's English title
    assert "1 item missing" in html


def test_it_shows_the_published_disclosure_plan_and_never_a_draft(world, catalogue, client):
    from django.utils import timezone

    from gongshi.workspace.models import DisclosurePlan

    plan = {
        "project": world.project, "responsible_person": "赵公示", "channels": ["sales_office", "wechat"],
        "content": "六类信息全部公示", "procedure": "参建单位提交，建设单位审核后公示",
        "time_limits": "信息形成后 7 日内", "management_measures": "专人负责，每周检查",
        "created_by": world.users["developer"],
    }  # fmt: skip
    DisclosurePlan.objects.create(**plan, published_at=timezone.now())
    DisclosurePlan.objects.create(**{**plan, "responsible_person": "草稿里的负责人"})
    html = client.get(url(world)).content.decode()
    assert "赵公示" in html and "售楼处、微信公众号" in html and "信息形成后 7 日内" in html
    assert "草稿里的负责人" not in html


def test_a_project_without_a_published_plan_says_so(world, catalogue, client):
    html = client.get(f"/p/{world.project.code}/").content.decode()
    assert "建设单位尚未发布公示方案" in html
