"""The verification page re-checks in a real browser and turns red on every kind of tampering."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from gongshi.integrity import log
from gongshi.integrity.tests.helpers import publish_with_file, raw_sql

pytestmark = pytest.mark.usefixtures("django_db_serialized_rollback")


@pytest.fixture
def published(live_server, world):
    return [publish_with_file(world, note=f"第{n}项") for n in range(3)]


def verdict(page, url: str) -> tuple[str, str]:
    page.goto(url)
    # Generous: the page downloads and hashes every file, and CI machines are shared.
    page.wait_for_selector(
        '#verify-result[data-state="ok"], #verify-result[data-state="failed"]', timeout=30_000
    )
    box = page.locator("#verify-result")
    return box.get_attribute("data-state"), box.inner_text()


def test_an_untouched_project_verifies_green_with_the_signature_checked_in_the_browser(
    page, world, published
):
    state, text = verdict(page, f"/p/{world.project.code}/verify/")
    assert state == "ok", text
    assert "已核验：本项目全部 3 个公示版本均在日志中" in text
    assert "检查点签名已在您的浏览器中核验（Ed25519）" in text
    assert page.locator(".verify-status.status-ok").count() == 3


def test_a_field_changed_in_the_database_turns_the_page_red(page, world, published):
    raw_sql(
        'UPDATE disclosures_disclosureversion SET "values" = %s WHERE id = %s',
        ['{"note": "伪造的内容"}', published[1].pk],
    )
    state, text = verdict(page, f"/p/{world.project.code}/verify/")
    assert state == "failed"
    assert "核验未通过" in text
    assert f"显示的内容与日志第 {published[1].leaf_index} 条不一致，字段：values" in text
    assert page.locator(".verify-status.status-bad").count() == 1


def test_a_file_changed_on_disk_turns_the_page_red(page, world, published):
    stored = published[2].attachments.get().file
    with default_storage.open(stored.storage_name, "rb") as fh:
        content = bytearray(fh.read())
    content[-20] ^= 0xFF  # same length, one byte different
    with default_storage.open(stored.storage_name, "wb") as fh:
        fh.write(bytes(content))
    state, text = verdict(page, f"/p/{world.project.code}/verify/")
    assert state == "failed"
    assert "文件「施工许可证.pdf」的内容已被改变，与公示时的 SHA-256 不符" in text


def test_a_deleted_leaf_turns_the_page_red(page, world, published):
    raw_sql('DELETE FROM integrity_logentry WHERE "index" = %s', [published[0].leaf_index])
    state, text = verdict(page, f"/p/{world.project.code}/verify/")
    assert state == "failed"
    assert f"日志中缺少第 {published[0].leaf_index} 条" in text


def test_reordered_leaves_turn_the_page_red(page, world, published):
    first, second = published[0].leaf_index, published[1].leaf_index
    raw_sql('UPDATE integrity_logentry SET "index" = %s WHERE "index" = %s', [10**12, first])
    raw_sql('UPDATE integrity_logentry SET "index" = %s WHERE "index" = %s', [first, second])
    raw_sql('UPDATE integrity_logentry SET "index" = %s WHERE "index" = %s', [second, 10**12])
    state, text = verdict(page, f"/p/{world.project.code}/verify/")
    assert state == "failed"
    assert f"与日志第 {first} 条不一致" in text
    assert f"与日志第 {second} 条不一致" in text


def test_a_rollback_after_a_visit_turns_the_page_red(page, world, published):
    url = f"/p/{world.project.code}/verify/"
    assert verdict(page, url)[0] == "ok"  # this browser now remembers the checkpoint
    latest = log.latest_checkpoint()
    raw_sql("DELETE FROM integrity_checkpoint WHERE id = %s", [latest.pk])
    state, text = verdict(page, url)
    assert state == "failed"
    assert f"日志被回滚：此前本浏览器见过大小为 {latest.tree_size} 的日志" in text
    assert f"日志序号 {published[2].leaf_index} 不在最新检查点" in text


def test_a_changed_stage_date_correction_turns_the_page_red(page, world, published, frozen_now):
    import datetime as dt

    from django.utils import timezone

    from gongshi.organisations.regulators import regulator_for
    from gongshi.supervision.stage_dates import correct_stage_dates

    world.project.started_on = timezone.localdate() - dt.timedelta(days=90)
    world.project.save()
    correction = correct_stage_dates(
        regulator_for(world.users["regulator"]), world.users["regulator"], world.project,
        reason="核对开工报告", started_on=timezone.localdate() - dt.timedelta(days=100),
    )  # fmt: skip
    log.make_checkpoint()
    state, text = verdict(page, f"/p/{world.project.code}/verify/")
    assert state == "ok", text
    assert "本项目 1 次阶段日期更正均在日志中，内容未改变" in text
    raw_sql(
        "UPDATE projects_stagecorrection SET reason = %s WHERE id = %s",
        ["开发单位申请", correction.pk],
    )
    state, text = verdict(page, f"/p/{world.project.code}/verify/")
    assert state == "failed"
    assert (
        f"监管部门的阶段日期更正：显示的内容与日志第 {correction.leaf_index} 条不一致，字段：reason"
        in text
    )
