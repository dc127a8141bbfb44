"""The verifier checks the leaves of every instance's versions and of a regulator's stage-date
corrections like any other: an untouched world verifies; a changed value of the second
pre-sale permit, a changed correction record or a changed log entry fails, naming it."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongshi.catalogue.tests.factories import make_item, make_version
from gongshi.disclosures.models import Disclosure
from gongshi.disclosures.services import publish_version
from gongshi.integrity import keys, verifier
from gongshi.integrity.log import make_checkpoint
from gongshi.integrity.models import LogEntry
from gongshi.integrity.tests.helpers import raw_sql
from gongshi.integrity.tests.static_server import serve_directory
from gongshi.projects.models import Building

pytestmark = pytest.mark.usefixtures("django_db_serialized_rollback")


@pytest.fixture
def pubkey(tmp_path) -> Path:
    path = tmp_path / "gongshi-log.pub"
    path.write_text(keys.public_key().text + "\n", encoding="utf-8")
    return path


@pytest.fixture
def world_with_instances(live_server, world, frozen_now):
    """Two published pre-sale permits (instances 1 and 2) and one stage-date correction."""
    from gongshi.organisations.regulators import regulator_for
    from gongshi.supervision.stage_dates import correct_stage_dates

    developer = world.users["developer"]
    permit = make_item(code="t.presale", title="商品房预售许可证", repeatable=True,
                       covers_buildings=True)  # fmt: skip
    one = Building.objects.create(project=world.project, name="1号楼", floors_above=18)
    two = Building.objects.create(project=world.project, name="2号楼", floors_above=18)
    versions = []
    for number, building in ((1, one), (2, two)):
        disclosure = Disclosure.objects.create(
            project=world.project, item=permit, instance=number, label=f"第{number}批"
        )
        disclosure.buildings.set([building])
        version = make_version(
            world.project, permit, developer, values={"note": f"哈预202600{number}"},
            information_date=timezone.localdate() - dt.timedelta(days=2), instance=number,
        )  # fmt: skip
        versions.append(publish_version(version, developer))
    world.project.started_on = timezone.localdate() - dt.timedelta(days=90)
    world.project.save()
    correction = correct_stage_dates(
        regulator_for(world.users["regulator"]),
        world.users["regulator"],
        world.project,
        reason="核对施工许可和开工报告",
        started_on=timezone.localdate() - dt.timedelta(days=100),
    )
    make_checkpoint()
    return {"versions": versions, "correction": correction}


def run(live_server, pubkey, project) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = verifier.run(
        ["--url", live_server.url, "--pubkey", str(pubkey), "--project", project.code],
        out=out,
        err=err,
    )
    return code, out.getvalue(), err.getvalue()


def test_an_untouched_world_with_instances_and_a_correction_verifies(
    live_server, world, world_with_instances, pubkey
):
    code, out, err = run(live_server, pubkey, world.project)
    assert (code, err) == (0, "")
    assert "全部 2 个公示版本" in out
    assert "全部 1 次阶段日期更正均已核验" in out


def test_a_changed_value_of_the_second_instance_fails_naming_it(
    live_server, world, world_with_instances, pubkey
):
    second = world_with_instances["versions"][1]
    raw_sql(
        'UPDATE disclosures_disclosureversion SET "values" = %s WHERE id = %s',
        ['{"note": "伪造的证号"}', second.pk],
    )
    code, _, err = run(live_server, pubkey, world.project)
    assert code == verifier.EXIT_FAILED
    assert (
        f"t.presale #2 v1：站点现在的数据与日志第 {second.leaf_index} 条不一致，字段：values" in err
    )
    assert "t.presale #1" not in err  # the first permit is untouched


def test_a_changed_correction_record_fails_naming_the_field(
    live_server, world, world_with_instances, pubkey
):
    correction = world_with_instances["correction"]
    raw_sql(
        "UPDATE projects_stagecorrection SET reason = %s WHERE id = %s",
        ["开发单位申请", correction.pk],
    )
    code, _, err = run(live_server, pubkey, world.project)
    assert code == verifier.EXIT_FAILED
    assert "stage_correction" in err
    assert f"站点现在的数据与日志第 {correction.leaf_index} 条不一致，字段：reason" in err
    assert "包含证明不成立" in err


def test_changed_corrected_dates_fail(live_server, world, world_with_instances, pubkey):
    correction = world_with_instances["correction"]
    after = {**correction.after, "started_on": (timezone.localdate()).isoformat()}
    raw_sql(
        "UPDATE projects_stagecorrection SET after = %s WHERE id = %s",
        [json.dumps(after), correction.pk],
    )
    code, _, err = run(live_server, pubkey, world.project)
    assert code == verifier.EXIT_FAILED
    assert f"日志第 {correction.leaf_index} 条不一致，字段：after" in err


def test_a_changed_log_entry_of_a_correction_fails(
    live_server, world, world_with_instances, pubkey
):
    correction = world_with_instances["correction"]
    logged = bytes(LogEntry.objects.get(index=correction.leaf_index).entry)
    forged = logged.replace("核对施工许可和开工报告".encode(), "开发单位申请".encode())
    assert forged != logged
    raw_sql(
        'UPDATE integrity_logentry SET entry = %s WHERE "index" = %s',
        [forged, correction.leaf_index],
    )
    code, _, err = run(live_server, pubkey, world.project)
    assert code == verifier.EXIT_FAILED
    assert f"日志第 {correction.leaf_index} 条的内容与其叶哈希不符（条目被改动）" in err


def run_tiles(pubkey, project, tiles_url, site_url=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = ["--tiles", tiles_url, "--pubkey", str(pubkey), "--project", project.code]
    code = verifier.run([*args, *(["--url", site_url] if site_url else [])], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def export(tmp_path) -> Path:
    call_command("export_tiles", str(tmp_path / "tiles"), stdout=io.StringIO())
    return tmp_path / "tiles"


def test_tiles_only_checks_a_correction_and_catches_a_changed_one(
    world, world_with_instances, pubkey, tmp_path
):
    correction = world_with_instances["correction"]
    tiles = export(tmp_path)
    with serve_directory(tiles, tmp_path / "server") as (url, _kind):
        code, out, err = run_tiles(pubkey, world.project, url)
        assert (code, err) == (0, "")
        assert "全部 1 次阶段日期更正均在签名的日志树中" in out
        # The mirror's copy of the correction is changed (same length, so the bundle reads).
        real, forged = "核对施工许可和开工报告".encode(), "开发单位申请改开工日期".encode()
        assert len(real) == len(forged)
        changed = 0
        for bundle in (tiles / "tile" / "entries").rglob("*"):
            if bundle.is_file() and real in bundle.read_bytes():
                bundle.write_bytes(bundle.read_bytes().replace(real, forged))
                changed += 1
        assert changed
        code, out, err = run_tiles(pubkey, world.project, url)
    assert code == verifier.EXIT_FAILED
    assert "stage_correction" in err and f"第 {correction.leaf_index} 条不在签名的日志树中" in err
    assert "阶段日期更正均在签名的日志树中" not in out


def test_tiles_and_site_catch_a_changed_correction_record(
    live_server, world, world_with_instances, pubkey, tmp_path
):
    correction = world_with_instances["correction"]
    tiles = export(tmp_path)
    with serve_directory(tiles, tmp_path / "server") as (url, _kind):
        code, out, err = run_tiles(pubkey, world.project, url, live_server.url)
        assert (code, err) == (0, "")
        assert "全部 1 次阶段日期更正均已核验" in out
        raw_sql(
            "UPDATE projects_stagecorrection SET reason = %s WHERE id = %s",
            ["开发单位申请", correction.pk],
        )
        code, _, err = run_tiles(pubkey, world.project, url, live_server.url)
    assert code == verifier.EXIT_FAILED
    assert f"站点现在的数据与静态瓦片中日志第 {correction.leaf_index} 条不一致，字段：reason" in err
