"""The project page's item and instance sections kept in the shared cache (issue 15).

A page assembled from kept sections is byte for byte the page rendered in full, in both
languages; a new version, a correction or a day that changes a status re-renders that one
section and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.template.loader import get_template
from django.test import Client
from django.utils import translation

from gongshi.catalogue.models import Category, LocalRequirement, RequirementLevel
from gongshi.catalogue.tests.factories import make_item, withdraw
from gongshi.public import page_cache, sections
from gongshi.public.page import get_project, load_project_page
from gongshi.public.tests.conftest import publish_permit, publish_with_file
from gongshi.public.tests.test_instances_page import add_buildings, publish_batch
from gongshi.regions.models import Region

pytestmark = pytest.mark.usefixtures("frozen_now")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')
#: the print footer's clock ({% now %}): the one part of the page that is not the data's
PRINTED_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d</p>\n\{?")
ITEM_TEMPLATES = {"public/includes/item.html", "public/includes/instance.html"}


def page_bytes(response) -> str:
    assert response.status_code == 200
    return PRINTED_AT.sub("", TOKEN.sub("", response.content.decode()))


def empty_page_caches() -> None:
    """The stored bytes, the built page and the fragments go; the kept sections stay."""
    kept = cache.get_many(list(section_keys()))
    cache.clear()
    page_cache.local_pages.clear()
    cache.set_many(kept)


def section_keys() -> set[str]:
    page = load_project_page(get_project(PROJECT_CODE[0]))
    items, instances = sections.PageSections(page).keys()
    return {*items.values(), *instances.values()}


PROJECT_CODE: list[str] = []


class Stored:
    """What the page puts into the section cache (``set_many``), by key."""

    def __init__(self, monkeypatch):
        self.entries: dict = {}
        real = sections.cache

        class Spy:
            def get_many(self, keys):
                return real.get_many(keys)

            def set_many(spy, entries, timeout=None):
                self.entries.update(entries)
                return real.set_many(entries, timeout)

        monkeypatch.setattr(sections, "cache", Spy())

    def anchors(self) -> list[str]:
        """The sections rendered since the last call (their ids)."""
        found = []
        for value in self.entries.values():
            html = value[0] if isinstance(value, list) else value
            found += re.findall(r'<section class="(?:item|instance)" id="([^"]+)"', html)[:1]
        self.entries = {}
        return sorted(found)


@pytest.fixture
def full_page(world, catalogue, presale):
    """A page with every kind of section: a file, a withdrawal, a repeatable item's instances."""
    PROJECT_CODE[:] = [world.project.code]
    publish_with_file(
        world,
        catalogue["planning"],
        {"certificate_number": "建字第001号", "issued_on": "2025-03-01", "authority": "局"},
    )
    publish_permit(world, catalogue["construction"], number="施字第001号")
    withdraw(world.project, catalogue["construction"], world.users["developer"])
    buildings = add_buildings(world.project, 3)
    publish_batch(world, presale, 1, buildings[:2], "哈预2025001")
    publish_batch(world, presale, 2, buildings[2:], "哈预2025002")
    return world


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_from_kept_sections_is_the_page_rendered_in_full(full_page, language):
    reader = Client(headers={"Accept-Language": language})
    url = f"/p/{full_page.project.code}/"
    first = reader.get(url)
    assert {t.name for t in first.templates} >= ITEM_TEMPLATES  # every section rendered
    empty_page_caches()
    again = reader.get(url)
    assert again.templates  # the page itself is rendered again …
    assert not ITEM_TEMPLATES & {t.name for t in again.templates}  # … from kept sections
    assert page_bytes(again) == page_bytes(first)
    assert ("Pre-sale permit" in page_bytes(again)) == (language == "en")
    # And the kept sections are what the item template prints by itself for each item.
    with translation.override(language):
        page = load_project_page(get_project(full_page.project.code))
        kept = sections.PageSections(page)
        for view in page.items:
            context = {"view": view, "project": page.project}
            assert kept.html(view) == get_template("public/includes/item.html").render(context)


def test_a_correction_re_renders_its_own_section_only(full_page, catalogue, monkeypatch):
    stored = Stored(monkeypatch)
    url = f"/p/{full_page.project.code}/"
    Client().get(url)
    assert len(stored.anchors()) == 4 + 2  # four items, two instances
    publish_permit(full_page, catalogue["planning"], number="更正后的编号", reason="编号有误")
    corrected = Client().get(url)
    assert stored.anchors() == ["item-t-planning_permit"]
    assert "更正后的编号" in page_bytes(corrected)
    empty_page_caches()
    cache.clear()  # and the page rendered from nothing kept is the same
    assert page_bytes(Client().get(url)) == page_bytes(corrected)


def test_a_new_version_of_one_instance_re_renders_that_instance_only(
    full_page, presale, monkeypatch
):
    stored = Stored(monkeypatch)
    url = f"/p/{full_page.project.code}/"
    before = page_bytes(Client().get(url))
    stored.anchors()
    publish_batch(full_page, presale, 2, [], "哈预2025002-更正", reason="证号有误")
    after = page_bytes(Client().get(url))
    assert stored.anchors() == ["item-t-presale_permit-2"]
    assert "哈预2025002-更正" in after and "哈预2025002-更正" not in before
    assert "哈预2025001" in after  # the first instance, from the cache
    cache.clear()
    page_cache.local_pages.clear()
    assert page_bytes(Client().get(url)) == after


def test_a_day_that_makes_an_item_due_changes_its_status(full_page, frozen_now, monkeypatch):
    pledge = make_item(
        code="t.quality_pledge", title="工程质量承诺书", title_en="Quality pledge",
        category=Category.PROCEDURE, requirement=RequirementLevel.OPTIONAL,
    )  # fmt: skip
    tomorrow = dt.date(2026, 11, 26)
    LocalRequirement.objects.create(
        region=Region.objects.get(code="230100"), item=pledge,
        requirement=RequirementLevel.REQUIRED, effective_from=tomorrow,
    )  # fmt: skip
    stored = Stored(monkeypatch)
    url = f"/p/{full_page.project.code}/"
    today = page_bytes(Client().get(url))
    assert "item-t-quality_pledge" in stored.anchors()
    section = re.compile(r'<section class="item" id="item-t-quality_pledge">.*?</section>', re.S)
    assert "应公示未公示" not in section.search(today).group()
    frozen_now.shift(dt.timedelta(days=1))
    page_cache.local_pages.clear()
    overdue = page_bytes(Client().get(url))
    assert stored.anchors() == ["item-t-quality_pledge"]  # the others from the cache
    assert "应公示未公示" in section.search(overdue).group()
    assert "必须公示" in section.search(overdue).group()
