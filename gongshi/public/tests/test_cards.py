"""The project cards of the search results, kept in the cache under each project's content key.

Every reader must see what a fresh build shows: the same bytes from a cold and a warm cache,
and a publication, correction, withdrawal or a new day reflected on the next search.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client

from gongshi.catalogue.tests.factories import make_item, publish, withdraw
from gongshi.core.testing import FROZEN_NOW, make_project
from gongshi.public.conditional import content_keys, project_fingerprint
from gongshi.public.tests.conftest import publish_permit
from gongshi.regions.models import Region

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
CARD = re.compile(r'<li class="project-card">.*?</li>', re.S)


def body(response) -> str:
    """The page without its per-reader CSRF tokens."""
    assert response.status_code == 200
    return TOKEN.sub("", response.content.decode())


def card(client, name: str) -> str:
    """The card of the project called ``name`` on the home page."""
    html = body(client.get("/", {"q": name}))
    (found,) = [c for c in CARD.findall(html) if name in c]
    return found


def cold_and_warm(client, url: str, **params) -> tuple[str, str]:
    cache.clear()
    cold = body(client.get(url, params))
    warm = body(client.get(url, params))
    return cold, warm


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("url", ["/", "/kiosk/", "/api/v1/projects/"])
def test_search_results_are_the_same_from_a_cold_and_a_warm_cache(world, catalogue, url, language):
    publish_permit(world, catalogue["planning"])
    client = Client(headers={"Accept-Language": language})
    cold, warm = cold_and_warm(client, url)
    assert warm == cold
    assert ('"completeness":33' if url.startswith("/api/") else "33%") in cold
    assert ("缺 2 项" if language == "zh-hans" else "2 items missing") in cold
    searched_cold, searched_warm = cold_and_warm(client, url, q="测试")
    assert searched_warm == searched_cold


def test_a_signed_in_reader_sees_the_same_cards_as_before(world, catalogue):
    publish_permit(world, catalogue["planning"])
    developer = world.client("developer")
    cold, warm = cold_and_warm(developer, "/")
    assert warm == cold
    assert CARD.findall(cold) == CARD.findall(body(Client().get("/")))


def test_the_cards_of_a_language_are_kept_apart(world, catalogue):
    english = Client(headers={"Accept-Language": "en"})
    assert "缺" in card(Client(), "测试花园一期")
    assert "缺" not in card(english, "测试花园一期")
    assert "缺" in card(Client(), "测试花园一期")


def _publication(world, catalogue):
    publish_permit(world, catalogue["construction"], number="施字第新公示001号")


def _correction(world, catalogue):
    # Corrected three days after the first publication: the last publication date moves.
    publish_permit(world, catalogue["planning"], number="更正后的证书编号", reason="编号有误")


def _withdrawal(world, catalogue):
    withdraw(world.project, catalogue["planning"], world.users["developer"])


CHANGES = [_publication, _correction, _withdrawal]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__.strip("_") for c in CHANGES])
def test_a_change_to_one_project_shows_on_its_card_at_once(world, catalogue, change, frozen_now):
    publish_permit(world, catalogue["planning"], now=FROZEN_NOW - dt.timedelta(days=3))
    client = Client()
    before = card(client, "测试花园一期")
    other_before = card(client, "大庆测试家园")
    assert "最近公示 2026-11-22" in before
    assert card(client, "测试花园一期") == before  # from the cache now
    change(world, catalogue)
    after = card(client, "测试花园一期")
    assert after != before
    assert card(client, "大庆测试家园") == other_before
    cache.clear()
    assert card(client, "测试花园一期") == after  # what a fresh build shows


def test_a_publication_moves_the_last_publication_date_and_the_status(world, catalogue):
    client = Client()
    assert "最近公示" not in card(client, "测试花园一期")
    assert "缺 3 项" in card(client, "测试花园一期")
    publish_permit(world, catalogue["planning"])
    html = card(client, "测试花园一期")
    assert "最近公示 2026-11-25" in html and "缺 2 项" in html


def test_a_day_that_makes_an_item_due_changes_the_percent(world, catalogue, frozen_now):
    publish_permit(world, catalogue["planning"])
    publish_permit(world, catalogue["construction"])
    tomorrow = dt.date(2026, 11, 26)
    make_item(
        title="哈尔滨市住宅工程质量承诺书", category="procedure",
        region=Region.objects.get(code="230100"), effective_from=tomorrow,
    )  # fmt: skip
    client = Client()
    today = card(client, "测试花园一期")
    assert "完整度 67%" in today and "缺 1 项" in today
    assert card(client, "测试花园一期") == today  # from the cache
    # 10:00 → 01:00 the next morning (Beijing time): within the cache's lifetime.
    frozen_now.shift(dt.timedelta(hours=15))
    next_day = card(client, "测试花园一期")
    assert "完整度 50%" in next_day and "缺 2 项" in next_day


def test_the_search_page_costs_fewer_queries_on_a_warm_cache_whatever_the_results(
    world, catalogue, client, django_assert_num_queries
):
    from django.db import connection

    cold, warm = QUERIES[connection.vendor]
    publish_permit(world, catalogue["planning"])
    cache.clear()
    with django_assert_num_queries(cold):
        client.get("/", {"q": "测试"})
    with django_assert_num_queries(warm):
        client.get("/", {"q": "测试"})
    for i in range(25):
        project = make_project(world.project.developer, name=f"测试批量项目{i}")
    # A page with a publication on it, as before (without any, one query fewer is needed).
    publish(
        project, catalogue["planning"], world.users["developer"],
        values={"certificate_number": "建字第批量001号"},
    )  # fmt: skip
    cache.clear()
    with django_assert_num_queries(cold):
        client.get("/", {"q": "测试"})
    with django_assert_num_queries(warm):
        client.get("/", {"q": "测试"})


#: (cold, warm) by database: the search (count and page: 5 queries on SQLite's FTS, 3 on
#: PostgreSQL, as before), the cards' keys (1) and, on a cold cache, the checklists of the
#: page (5). Without the cache it was the search + 5 every time.
QUERIES = {"sqlite": (11, 6), "postgresql": (9, 4)}


def test_the_content_keys_of_many_projects_are_their_fingerprints_in_one_query(
    world, django_assert_num_queries
):
    projects = [world.project, world.other_project]
    with django_assert_num_queries(1):
        keys = content_keys([p.pk for p in projects])
    assert keys == {p.pk: project_fingerprint(p.code).content_key for p in projects}
    assert content_keys([]) == {}
