"""A published version is never changed or deleted — not through the model, not through a QuerySet."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongshi.catalogue.models import CatalogueItem, Category, DueStage
from gongshi.core.choices import UnitRole
from gongshi.disclosures.models import (
    Disclosure,
    DisclosureVersion,
    ImmutableVersionError,
    VersionFile,
    VersionKind,
    VersionStatus,
)
from gongshi.disclosures.services import publish_version
from gongshi.files.models import StoredFile

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

FIELDS = [
    {"key": "certificate_number", "label": "证书编号", "type": "text", "required": True},
    {"key": "issued_on", "label": "发证日期", "type": "date", "required": True},
]


@pytest.fixture
def item(db):
    return CatalogueItem.objects.create(
        code="test.permit",
        title="测试许可证",
        title_en="Test permit",
        category=Category.PROCEDURE,
        due_stage=DueStage.BEFORE_START,
        supplier=UnitRole.DEVELOPER,
        fields=FIELDS,
    )


@pytest.fixture
def published(world, item):
    disclosure = Disclosure.objects.create(project=world.project, item=item)
    version = DisclosureVersion.objects.create(
        disclosure=disclosure,
        values={"certificate_number": "建字第230103202300158号", "issued_on": "2025-03-18"},
        information_date=dt.date(2025, 3, 18),
        supplied_by=world.project.developer,
        created_by=world.users["developer"],
    )
    return publish_version(version, world.users["developer"])


def test_publishing_numbers_the_version_and_records_timeliness(published):
    assert published.status == VersionStatus.PUBLISHED
    assert published.number == 1
    assert published.kind == VersionKind.PUBLICATION
    assert (
        published.timeliness_days
        == (published.published_at.astimezone().date() - dt.date(2025, 3, 18)).days
    )


def test_it_refuses_to_save_a_published_version(published):
    published.values = {"certificate_number": "伪造", "issued_on": "2025-03-18"}
    with pytest.raises(ImmutableVersionError):
        published.save()
    published.refresh_from_db()
    assert published.values["certificate_number"] == "建字第230103202300158号"


def test_it_refuses_to_delete_a_published_version(published):
    with pytest.raises(ImmutableVersionError):
        published.delete()
    assert DisclosureVersion.objects.filter(pk=published.pk).exists()


def test_queryset_update_and_delete_refuse_published_rows(published):
    with pytest.raises(ImmutableVersionError):
        DisclosureVersion.objects.filter(pk=published.pk).update(values={})
    with pytest.raises(ImmutableVersionError):
        DisclosureVersion.objects.all().delete()
    assert DisclosureVersion.objects.get(pk=published.pk).values["certificate_number"]


def test_files_of_a_published_version_cannot_be_swapped(published):
    stored = StoredFile.objects.create(sha256="a" * 64, size=1, content_type="application/pdf")
    with pytest.raises(ImmutableVersionError):
        VersionFile.objects.create(version=published, file=stored, name="x.pdf")


def test_drafts_stay_editable(world, item):
    disclosure = Disclosure.objects.create(project=world.project, item=item)
    draft = DisclosureVersion.objects.create(
        disclosure=disclosure,
        supplied_by=world.project.developer,
        created_by=world.users["developer"],
    )
    draft.values = {"certificate_number": "A"}
    draft.save()
    DisclosureVersion.objects.filter(pk=draft.pk).update(values={"certificate_number": "B"})
    draft.delete()
    assert not DisclosureVersion.objects.filter(pk=draft.pk).exists()


def test_a_second_publication_is_a_correction_that_needs_a_reason(published, world):
    again = DisclosureVersion.objects.create(
        disclosure=published.disclosure,
        values={"certificate_number": "建字第230103202300159号", "issued_on": "2025-03-18"},
        information_date=dt.date(2025, 3, 18),
        supplied_by=world.project.developer,
        created_by=world.users["developer"],
    )
    with pytest.raises(ValidationError) as excinfo:
        publish_version(again, world.users["developer"])
    assert "原因" in str(excinfo.value)
    again.reason = "证书编号录入错误，予以更正"
    publish_version(again, world.users["developer"])
    assert (again.number, again.kind) == (2, VersionKind.CORRECTION)


def test_it_refuses_invalid_values_at_publication(world, item):
    disclosure = Disclosure.objects.create(project=world.project, item=item)
    draft = DisclosureVersion.objects.create(
        disclosure=disclosure,
        values={"issued_on": "2025-13-40"},
        information_date=dt.date(2025, 3, 18),
        supplied_by=world.project.developer,
        created_by=world.users["developer"],
    )
    with pytest.raises(Exception) as excinfo:
        publish_version(draft, world.users["developer"])
    assert "证书编号" in str(excinfo.value) and "日期" in str(excinfo.value)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
