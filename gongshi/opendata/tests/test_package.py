"""The bulk open-data package: a Frictionless tabular data package of what the public sees."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongshi.catalogue.tests.factories import make_item, make_version, publish
from gongshi.disclosures.models import VersionStatus
from gongshi.households import archive as archive_rules
from gongshi.households.flats import generate_flats
from gongshi.households.models import FlatArchive
from gongshi.opendata import package, tables
from gongshi.projects.models import Building, Project
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind
from gongshi.supervision.rectification import report_rectification

OWNER_PHONE = "13912345678"
OWNER_NAME = "赵业主"
ASKER = "asker-secret@example.com"
QUESTION = "请问地下室防水用的是什么材料？"
DRAFT_TEXT = "草稿里的保密内容"
PUBLISHED_TEXT = "已经公示的内容"

TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "object"}


def parses(kind: str, text: str) -> bool:
    """Whether ``text`` is a value of the Table Schema type in its default format."""
    try:
        if kind == "integer":
            return str(int(text)) == text
        if kind == "number":
            Decimal(text)
            return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None
        if kind == "boolean":
            return text in {"true", "false"}
        if kind == "date":
            return dt.date.fromisoformat(text).isoformat() == text
        if kind == "datetime":
            dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
            return True
        if kind == "object":
            return isinstance(json.loads(text), dict)
        return True
    except ValueError:
        return False


def validate(archive: zipfile.ZipFile) -> tuple[dict, dict[str, list[dict]]]:
    """Check the package against the Data Package / Tabular Data Package / Table Schema rules;
    return its descriptor and each resource's rows (dicts of text)."""
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    assert re.fullmatch(r"[a-z0-9._-]+", descriptor["name"])
    assert dt.datetime.strptime(descriptor["created"], "%Y-%m-%dT%H:%M:%SZ")
    assert all(licence.get("name") or licence.get("path") for licence in descriptor["licenses"])
    assert all(source["title"] for source in descriptor["sources"])
    names = [r["name"] for r in descriptor["resources"]]
    assert len(names) == len(set(names)) and names
    fields_of = {
        r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]
    }
    tables: dict[str, list[dict]] = {}
    for resource in descriptor["resources"]:
        assert re.fullmatch(r"[a-z0-9._-]+", resource["name"])
        assert resource["profile"] == "tabular-data-resource"
        assert resource["format"] == "csv" and resource["encoding"] == "utf-8"
        data = archive.read(resource["path"])
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        schema = resource["schema"]
        fields = schema["fields"]
        assert all(f["type"] in TYPES and f["description"] for f in fields)
        own = fields_of[resource["name"]]
        assert len(own) == len(set(own))
        assert set(schema["primaryKey"]) <= set(own)
        for key in schema.get("foreignKeys", []):
            assert key["fields"] in own
            target = key["reference"]["resource"] or resource["name"]
            assert key["reference"]["fields"] in fields_of[target]
        text = data.decode("utf-8")
        assert not text.startswith("\ufeff")
        lines = list(csv.reader(io.StringIO(text)))
        assert lines[0] == own, resource["name"]  # the header, in the schema's order
        rows = []
        for line in lines[1:]:
            assert len(line) == len(fields)
            for f, value in zip(fields, line, strict=True):
                if value not in schema["missingValues"]:
                    assert parses(f["type"], value), (resource["name"], f["name"], value)
            rows.append(dict(zip(own, line, strict=True)))
        keys = [tuple(row[k] for k in schema["primaryKey"]) for row in rows]
        assert len(keys) == len(set(keys)), resource["name"]
        tables[resource["name"]] = rows
    for resource in descriptor["resources"]:  # every foreign key resolves
        for key in resource["schema"].get("foreignKeys", []):
            target = key["reference"]["resource"] or resource["name"]
            known = {row[key["reference"]["fields"]] for row in tables[target]}
            for row in tables[resource["name"]]:
                assert row[key["fields"]] in known | {""}, (resource["name"], key, row)
    return descriptor, tables


@pytest.fixture
def small_world(world):
    """A published and a draft version, a building whose flat has an owner, a question,
    a penalty whose rectification was reported."""
    from gongshi.participation import questions
    from gongshi.participation.tests.conftest import verify

    developer = world.users["developer"]
    item = make_item(title="预拌混凝土强度评定")
    published = publish(world.project, item, developer, values={"note": PUBLISHED_TEXT})
    other = make_item(title="桩基检测报告")
    draft = make_version(world.project, other, developer, values={"note": DRAFT_TEXT})
    assert draft.status == VersionStatus.DRAFT
    building = Building.objects.create(
        project=world.project, name="1号楼", units=1, floors_above=3, household_count=6
    )
    generate_flats(building, floors_from=1, floors_to=3, per_floor=2)
    archive = FlatArchive.objects.get(flat__building=building, flat__number="301")
    archive_rules.set_owner(
        archive, owner_name=OWNER_NAME, owner_phone=OWNER_PHONE, contract_number="HT-1"
    )
    questions.ask_question(world.project, verify(ASKER), body=QUESTION, ip="203.0.113.7")
    regulator = world.users["regulator"].organisations.get()
    penalty = services.make_action(
        kind=ActionKind.PENALTY,
        project=world.project,
        subject=world.project.developer,
        regulator=regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 11, 1),
        reason="未按规定公示分户验收信息",
        decision_number="哈建罚字〔2026〕第 18 号",
        legal_basis="《建设工程质量管理条例》第五十六条",
        content="罚款并责令限期改正",
        amount=Decimal("200000.00"),
        rectify_by=dt.date(2026, 12, 31),
    )
    report_rectification(
        penalty,
        organisation=world.project.developer,
        user=developer,
        text="已补充公示分户验收汇总表",
    )
    return {"published": published, "draft": draft, "building": building, "penalty": penalty}


def open_current() -> tuple[dict, zipfile.ZipFile]:
    meta = package.read_current()
    with default_storage.open(meta["name"], "rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == meta["sha256"] and len(content) == meta["size"]
    return meta, zipfile.ZipFile(io.BytesIO(content))


def test_the_command_writes_a_valid_package_of_what_the_public_sees(frozen_now, world, small_world):
    out = io.StringIO()
    call_command("export_open_data", stdout=out)
    meta, archive = open_current()
    assert meta["sha256"] in out.getvalue()
    assert meta["name"] == f"open-data/{meta['sha256']}.zip"
    descriptor, tables = validate(archive)
    assert {r["name"]: r["rows"] for r in meta["resources"]} == {
        name: len(rows) for name, rows in tables.items()
    }

    code = world.project.code
    versions = tables["disclosure_versions"]
    [row] = [v for v in versions if v["project_code"] == code]
    published = small_world["published"]
    assert row["item_code"] == published.disclosure.item.code
    assert row["version"] == "1" and row["kind"] == "publication"
    assert json.loads(row["values"]) == {"note": PUBLISHED_TEXT}
    assert row["leaf_index"] == str(published.leaf_index)
    assert row["page_url"].endswith(f"/p/{code}/i/{published.disclosure.item.code}/")

    projects = {p["code"]: p for p in tables["projects"]}
    assert set(projects) == {code, world.other_project.code}
    assert projects[code]["developer_credit_code"] == world.project.developer.credit_code
    assert projects[code]["city"] == "哈尔滨市" and projects[code]["district"] == "南岗区"
    assert 0 <= float(projects[code]["score"]) <= 100
    [building] = tables["buildings"]
    assert building["name"] == "1号楼" and building["project_code"] == code

    [record] = tables["regulator_records"]
    assert record["kind"] == "penalty" and record["amount"] == "200000.00"
    assert record["rectification_state"] == "reported" and record["is_current"] == "true"
    [step] = tables["rectification_steps"]
    assert step["record_id"] == record["id"] and step["step"] == "reported"

    stats = {s["project_code"]: s for s in tables["question_statistics"]}
    assert stats[code]["questions"] == "1" and stats[code]["answered"] == "0"
    assert stats[world.other_project.code]["questions"] == "0"
    organisations = {o["credit_code"] for o in tables["organisations"]}
    assert world.project.developer.credit_code in organisations
    assert set(tables["organisations"][0]) == {
        "credit_code", "name", "kind", "kind_label", "region_code", "region_name", "page_url",
    }  # fmt: skip

    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    for secret in (DRAFT_TEXT, OWNER_PHONE, OWNER_NAME, ASKER, QUESTION):
        assert secret not in everything


def test_a_new_package_replaces_the_previous_one(frozen_now, world, small_world):
    first = package.build()
    frozen_now.shift(dt.timedelta(days=1))
    publish(world.project, make_item(title="新的事项"), world.users["developer"])
    second = package.build()
    assert second["sha256"] != first["sha256"]
    assert package.read_current()["sha256"] == second["sha256"]
    assert not default_storage.exists(first["name"])
    assert default_storage.exists(second["name"])
    rows = {r["name"]: r["rows"] for r in second["resources"]}
    assert rows["disclosure_versions"] == 2


def test_the_export_streams_in_a_constant_number_of_queries(frozen_now, world, small_world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            package.build()
        return len(context)

    before = queries()
    for n in range(3):  # more rows must not mean more queries
        publish(world.project, make_item(title=f"事项{n}"), world.users["developer"])
        Building.objects.create(project=world.project, name=f"{n + 2}号楼", floors_above=6)
    assert queries() == before <= 30


@pytest.mark.django_db(transaction=True)
def test_the_tables_are_read_in_one_read_only_snapshot(frozen_now):
    """Outside a test transaction, as the timer runs it: on PostgreSQL the isolation level
    is set first, and every file comes from the same snapshot."""
    from gongshi.core.testing import build_world

    world = build_world()
    publish(world.project, make_item(title="预拌混凝土强度评定"), world.users["developer"])
    call_command("export_open_data", stdout=io.StringIO())
    _, tables = validate(open_current()[1])
    assert len(tables["disclosure_versions"]) == 1
    assert not connection.in_atomic_block


def test_question_counts_agree_with_the_score(frozen_now, world, small_world):
    from gongshi.supervision.score import annotate_score

    frozen_now.shift(dt.timedelta(days=40))  # the question is long past its deadline
    stats = {row[0]: row for row in tables.question_rows()}
    scored = annotate_score(Project.objects.filter(pk=world.project.pk)).get()
    row = stats[world.project.code]
    assert row[1] == scored.questions_asked == 1
    assert row[4] == scored.questions_overdue == 1
    assert row[8] == round(scored.complaints_per_10k, 4)


def test_a_decision_on_an_enterprise_as_a_whole_has_no_project(frozen_now, world, small_world):
    regulator = world.users["regulator"].organisations.get()
    commendation = services.make_enterprise_action(
        kind=ActionKind.COMMENDATION,
        subject=world.project.developer,
        regulator=regulator,
        user=world.users["regulator"],
        decided_on=timezone.localdate() - dt.timedelta(days=3),
        reason="各项目公示完整及时",
        credit_incentive="招投标信用加分",
    )
    call_command("export_open_data", stdout=io.StringIO())
    _meta, archive = open_current()
    _descriptor, tables = validate(archive)
    [row] = [r for r in tables["regulator_records"] if r["id"] == str(commendation.pk)]
    assert row["project_code"] == "" and row["kind"] == "commendation"
    assert row["subject_credit_code"] == world.project.developer.credit_code
