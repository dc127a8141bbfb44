"""seed_demo builds the world the Foundation issue's "Demo data" section asks for."""

from __future__ import annotations

import io
from collections import Counter

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader
from stdnum.cn import uscc

from gongshi.accounts.models import User
from gongshi.catalogue.models import CatalogueItem, RequirementLevel
from gongshi.core.choices import (
    STAGE_ORDER,
    DeliveryStandard,
    HousingType,
    OrganisationType,
    Stage,
    UnitRole,
)
from gongshi.demo import data
from gongshi.demo.files import SWAPPED_PERMIT_PROJECT, swap_two_digits
from gongshi.demo.seed import seed_demo
from gongshi.disclosures.checklist import applies, is_due
from gongshi.disclosures.models import Disclosure, DisclosureVersion, VersionKind, VersionStatus
from gongshi.files.models import StoredFile
from gongshi.integrity.models import LogEntry
from gongshi.organisations.models import Membership, Organisation
from gongshi.projects.models import CODE_ALPHABET, Participation, Project

from .conftest import SEED_NOW

DEMO_CODES = [p.code for p in data.PROJECTS]


def demo_projects():
    return Project.objects.filter(code__in=DEMO_CODES).select_related("region__parent")


def published():
    return DisclosureVersion.objects.published().filter(disclosure__project__code__in=DEMO_CODES)


def with_content():
    """Published versions that carry values (not withdrawals or "does not apply")."""
    return published().exclude(kind__in=[VersionKind.WITHDRAWAL, VersionKind.INAPPLICABLE])


def test_it_builds_projects_in_all_thirteen_prefecture_level_divisions(demo):
    projects = list(demo_projects())

    assert len(projects) >= 12
    assert len({p.region.parent.code for p in projects}) == 13  # every city has a regulator
    assert all(set(p.code) <= set(CODE_ALPHABET) for p in projects)
    assert demo.projects_created == len(projects)


def test_every_stage_housing_type_and_delivery_standard_is_present(demo):
    projects = list(demo_projects())

    assert {p.stage for p in projects} == set(Stage.values)
    assert {p.housing_type for p in projects} == set(HousingType.values)
    assert {p.delivery_standard for p in projects} == set(DeliveryStandard.values)
    for project in projects:
        started = project.stage != Stage.NOT_STARTED
        assert (project.started_on is not None) == started, project.name
        if project.stage in (Stage.COMPLETED, Stage.HANDED_OVER):
            assert project.started_on < project.completion_accepted_on <= SEED_NOW.date()
        if project.stage == Stage.HANDED_OVER:
            assert project.completion_accepted_on < project.handed_over_on <= SEED_NOW.date()


def test_every_project_has_all_seven_units_with_valid_credit_codes(demo):
    for project in demo_projects():
        participations = list(
            Participation.objects.filter(project=project).select_related("organisation__region")
        )
        assert {p.role for p in participations} == set(UnitRole.values), project.name
        assert all(len(p.leader_name) in (2, 3) for p in participations)
        for participation in participations:
            organisation = participation.organisation
            assert uscc.is_valid(organisation.credit_code), organisation.name
            # The code embeds the region the company is registered in.
            assert organisation.credit_code[2:8] == organisation.region.code
            assert organisation.kind == participation.role


def test_regulators_cover_the_province_and_every_demo_city(demo):
    regulators = Organisation.objects.regulators().select_related("region")
    governed = {r.region.code for r in regulators}

    assert "230000" in governed
    cities = {p.region.parent.code for p in demo_projects()}
    assert cities <= governed
    assert all(uscc.is_valid(r.credit_code) for r in regulators)
    assert regulators.get(region__code="230000").name == "黑龙江省住房和城乡建设厅"


def test_demo_users_sign_in_with_the_printed_password_and_belong_where_they_say(demo):
    for demo_user in data.USERS:
        user = User.objects.get(username=demo_user.username)
        assert user.check_password(data.DEMO_PASSWORD), demo_user.username
    assert User.objects.get(username="demo-admin").is_superuser
    developer_managers = Membership.objects.filter(
        role="manager", organisation__kind=OrganisationType.DEVELOPER
    ).values_list("organisation__name", flat=True)
    developers = {p.developer.name for p in demo_projects().select_related("developer")}
    assert developers <= set(developer_managers)
    harbin = Membership.objects.get(user__username="demo-harbin").organisation
    assert harbin.kind == OrganisationType.REGULATOR and harbin.region.code == "230100"
    contractor = Membership.objects.get(user__username="demo-contractor").organisation
    assert Participation.objects.filter(organisation=contractor, role="contractor").count() >= 3


def test_disclosures_follow_each_projects_stage_and_delivery_standard(demo):
    for project in demo_projects():
        for disclosure in Disclosure.objects.filter(project=project).select_related("item__region"):
            assert applies(disclosure.item, project, SEED_NOW.date()), disclosure
            assert is_due(disclosure.item, project.stage), disclosure
    fitted_only = published().filter(disclosure__item__code="materials.fitout")
    assert fitted_only.exists()
    assert not fitted_only.filter(disclosure__project__delivery_standard="shell").exists()
    households = published().filter(disclosure__item__code="acceptance.household_summary")
    assert {v.disclosure.project.stage for v in households} <= {"completed", "handed_over"}


def test_every_field_of_every_published_version_is_filled(demo):
    versions = with_content().select_related("disclosure__item")
    checked = 0
    for version in versions:
        for definition in version.disclosure.item.fields:
            value = version.values[definition["key"]]
            if definition["type"] != "table":
                assert value not in (None, ""), (version, definition["key"])
                continue
            if not value:  # only a table that the item's own answer makes empty
                assert version.values.get("has_items") == "no" or (
                    version.values.get("used") == "no"
                ), (version, definition["key"])
            for row in value:
                assert all(row[c["key"]] not in (None, "") for c in definition["columns"])
        checked += 1
    assert checked >= 200


def test_some_items_are_late_some_corrected_one_withdrawn_some_missing(demo):
    threshold = settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS
    firsts = published().filter(number=1)
    assert firsts.filter(timeliness_days__gt=threshold).count() >= 5
    assert firsts.filter(timeliness_days__lte=threshold).count() > firsts.count() // 2

    corrections = published().filter(kind=VersionKind.CORRECTION)
    assert corrections.count() >= 4
    assert all(c.reason and c.number >= 2 for c in corrections)
    assert "检测报告编号录入错误，予以更正" in {c.reason for c in corrections}
    withdrawal = published().get(kind=VersionKind.WITHDRAWAL)
    assert withdrawal.reason and not Disclosure.objects.get(pk=withdrawal.disclosure_id).is_public

    missing = 0
    items = list(CatalogueItem.objects.filter(region__isnull=True, active=True))
    for project in demo_projects():
        disclosed = set(
            published()
            .filter(disclosure__project=project)
            .values_list("disclosure__item_id", flat=True)
        )
        for item in items:
            due = applies(item, project, SEED_NOW.date()) and is_due(item, project.stage)
            required = item.requirement_for(project.housing_type) == RequirementLevel.REQUIRED
            missing += due and required and item.pk not in disclosed
    assert missing >= 5


def test_publication_dates_are_in_the_past_and_after_the_information_date(demo):
    for version in with_content():
        assert version.information_date <= version.published_at.date()
        assert version.published_at <= SEED_NOW


def test_unsold_affordable_projects_declare_the_presale_permit_not_applicable(demo):
    declared = published().filter(kind=VersionKind.INAPPLICABLE)
    assert declared.count() >= 3
    assert {v.disclosure.item.code for v in declared} == {"procedure.presale_permit"}
    assert all("不进行商品房预售" in v.reason for v in declared)


def test_every_started_project_has_a_published_disclosure_plan(demo):
    from gongshi.core.choices import Stage
    from gongshi.workspace.models import OFFLINE_PLACES, current_plan

    for project in demo_projects():
        plan = current_plan(project)
        if project.stage == Stage.NOT_STARTED:
            assert plan is None  # a draft only: the page says the plan is still to come
            continue
        assert plan is not None, project
        assert plan.published_at.date() < project.started_on
        assert OFFLINE_PLACES & set(plan.channels) and plan.method and plan.regime


def test_work_in_progress_waits_for_review(demo):
    pending = DisclosureVersion.objects.filter(disclosure__project__code__in=DEMO_CODES).exclude(
        status=VersionStatus.PUBLISHED
    )
    statuses = Counter(pending.values_list("status", flat=True))

    assert statuses[VersionStatus.SUBMITTED] >= 2
    returned = pending.get(status=VersionStatus.RETURNED)
    assert returned.return_reason
    assert returned.created_by.username == "demo-supervision"


def test_household_tables_have_hundreds_of_rows_and_a_few_failures(demo):
    tables = published().filter(disclosure__item__code="acceptance.household_summary", number=1)
    rows = [row for version in tables for row in version.values["households"]]

    assert len(rows) >= 1000
    for version in tables:
        project = version.disclosure.project
        assert len(version.values["households"]) == project.household_count
        assert version.values["household_total"] == str(project.household_count)
    failures = [row for row in rows if row["result"] == "fail"]
    assert 3 <= len(failures) <= len(rows) // 20
    assert all("复验合格" in row["rectification"] for row in failures)


def test_scans_are_attached_as_real_pdfs_and_images(demo):
    versions = with_content().filter(disclosure__item__scan_required=True)
    versions = versions.prefetch_related("attachments__file")
    assert all(v.attachments.all() for v in versions)

    kinds = Counter(StoredFile.objects.values_list("content_type", flat=True))
    assert kinds["application/pdf"] >= 12 and kinds["image/jpeg"] >= 12 and kinds["image/png"] >= 5

    permits = published().filter(disclosure__item__code="procedure.construction_permit")
    assert permits.count() >= 10
    for permit in permits:
        attachment = permit.attachments.get()
        with default_storage.open(attachment.file.storage_name) as fh:
            text = PdfReader(io.BytesIO(fh.read())).pages[0].extract_text()
        assert "建筑工程施工许可证" in text
        assert permit.disclosure.project.name in text
        number = permit.values["certificate_number"]
        if permit.disclosure.project.code == SWAPPED_PERMIT_PROJECT:
            number = swap_two_digits(number)  # the demo's typing slip (scan cross-check)
        assert number in text
    image = StoredFile.objects.filter(content_type="image/png").first()
    with default_storage.open(image.storage_name) as fh, Image.open(fh) as picture:
        assert picture.size == (image.width, image.height)


def test_publications_enter_the_log_in_chronological_order(demo):
    versions = list(published().order_by("leaf_index"))

    assert all(v.leaf_index is not None for v in versions)
    times = [v.published_at for v in versions]
    assert times == sorted(times)
    assert LogEntry.objects.count() >= len(versions)


def test_the_regulators_counts_agree_with_the_versions(demo):
    from gongshi.disclosures import tallies
    from gongshi.disclosures.models import PublicationTally

    assert PublicationTally.objects.exists()
    assert tallies.differences() == []


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation, User, Membership, Project, Participation, Disclosure,
            DisclosureVersion, StoredFile, LogEntry,
        )
    }  # fmt: skip


def test_running_it_again_changes_nothing(demo):
    before = counts()

    report = seed_demo(now=SEED_NOW)

    assert not report.changed_anything
    assert report.projects_existing == len(data.PROJECTS)
    assert counts() == before


def test_the_command_prints_the_demo_logins(demo):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    output = out.getvalue()
    assert "未做任何更改" in output
    for demo_user in data.USERS:
        assert demo_user.username in output
    assert data.DEMO_PASSWORD in output


def test_stage_order_lists_what_the_demo_covers():
    # The demo's own stages must stay the product's stages.
    assert {p.stage for p in data.PROJECTS} == set(STAGE_ORDER)


def test_the_scan_cross_check_flags_the_demos_swapped_permit_number(demo):
    """On 悦澜湾二期 the construction permit's typed number has two digits swapped against
    its scan; reading the permits (as the task worker would) flags that one field alone."""
    from gongshi.disclosures.models import VersionFile
    from gongshi.scancheck.models import ScanFlag
    from gongshi.scancheck.services import read_file

    permits = VersionFile.objects.filter(
        version__disclosure__item__code="procedure.construction_permit",
        version__status=VersionStatus.PUBLISHED,
    )
    for attachment in permits:
        read_file(attachment.file_id)
    flags = list(ScanFlag.objects.select_related("version__disclosure__project"))
    assert [(f.version.disclosure.project.code, f.field_key) for f in flags] == [
        (SWAPPED_PERMIT_PROJECT, "certificate_number")
    ]
    assert flags[0].found != flags[0].typed and sorted(flags[0].found) == sorted(flags[0].typed)


def test_the_three_batch_project_needs_a_permit_per_declared_batch(demo):
    from gongshi.disclosures.checklist import project_checklist

    project = Project.objects.get(code="YRW2QA")
    assert sorted(project.buildings.values_list("sales_batch", flat=True)) == [1, 1, 2, 2, 3, 3]
    permits = project_checklist(project).entry("procedure.presale_permit")
    assert (permits.required_instances, permits.required_reason) == (
        3,
        "每个销售批次一份，共3个批次",
    )
    assert len(permits.public_instances) == 3 and permits.is_published


def test_one_building_failed_its_acceptance_then_passed_after_rectification(demo):
    """悦澜湾二期: six buildings, three batches; each building's main-structure acceptance is
    its own instance, and 2号楼's first (failed) result is corrected by the passed one."""
    project = Project.objects.get(code="YRW2QA")
    assert project.buildings.count() == 6
    rows = Disclosure.objects.filter(project=project, item__code="acceptance.main_structure")
    histories = {
        d.building_names()[0]: [
            (v.kind, v.values["conclusion"])
            for v in d.versions.filter(status=VersionStatus.PUBLISHED).order_by("number")
        ]
        for d in rows.prefetch_related("buildings")
    }
    assert histories["2号楼"] == [
        (VersionKind.PUBLICATION, "fail"),
        (VersionKind.CORRECTION, "pass"),
    ]
    assert histories["3号楼"] == [(VersionKind.PUBLICATION, "pass")]  # passed the first time
    corrected = rows.get(buildings__name="2号楼").versions.get(kind=VersionKind.CORRECTION)
    assert "复验" in corrected.reason and corrected.leaf_index is not None
    # The three pre-sale permits name their buildings, two each.
    permits = Disclosure.objects.filter(project=project, item__code="procedure.presale_permit")
    assert sorted(len(p.building_names()) for p in permits) == [2, 2, 2]


def test_an_enterprise_with_projects_in_two_cities_is_commended_as_a_whole(demo):
    from gongshi.supervision.models import RegulatorRecord

    record = RegulatorRecord.objects.select_related("subject").get(project__isnull=True)
    assert record.kind == "commendation"
    from django.db.models import Q

    cities = {
        p.region.code[:4]
        for p in Project.objects.filter(
            Q(developer=record.subject) | Q(participations__organisation=record.subject)
        ).select_related("region")
    }
    assert len(cities) >= 2
    assert RegulatorRecord.objects.filter(kind="penalty").exists()


def test_one_enterprise_is_supervised_with_a_penalty_in_one_city_and_commended_in_another(demo):
    from gongshi.supervision.models import RegulatorRecord
    from gongshi.supervision.rectification import track_state

    supervised = RegulatorRecord.objects.select_related("project__region").get(
        kind="key_supervision", project__developer__name="黑龙江金江置业集团有限公司"
    )
    penalty = RegulatorRecord.objects.get(kind="penalty", project=supervised.project)
    steps = list(penalty.rectification_steps.order_by("pk"))
    assert track_state(penalty, steps).code == "reported"  # under rectification, awaiting review
    commended = RegulatorRecord.objects.select_related("project__region").get(
        kind="commendation", project__developer=supervised.project.developer
    )
    assert commended.project.region.code[:4] != supervised.project.region.code[:4]


def test_a_developer_disclosed_penalty_with_its_scan_sits_beside_the_regulators_record(demo):
    from gongshi.disclosures.models import DisclosureVersion
    from gongshi.supervision.models import RegulatorRecord
    from gongshi.supervision.penalty_disclosure import findings_by_project

    version = (
        DisclosureVersion.objects.published()
        .filter(disclosure__item__code="other.penalties", disclosure__project__code="YRW2QA")
        .latest("number")
    )
    assert version.values["has_items"] == "yes" and version.attachments.exists()
    number = version.values["items"][0]["document_number"]
    record = RegulatorRecord.objects.get(project__code="YRW2QA", decision_number=number)
    assert record.rectification_steps.filter(step="accepted").exists()
    found = findings_by_project()
    assert version.disclosure.project_id not in found
    # The key-supervised project's penalty is not in its developer's 无: on the worklist.
    assert any(f.record.kind == "penalty" for findings in found.values() for f in findings)
