"""The project page's stored bytes: shared by readers and processes, never stale.

Each "process" here has its own in-memory store (``LocalPages``) in front of the one shared
Django cache, as gunicorn workers in front of Redis do. After every kind of change both
processes must serve the new page, though both hold the old one.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from gongshi.catalogue.tests.factories import make_version, withdraw
from gongshi.disclosures.models import VersionKind
from gongshi.disclosures.services import publish_version
from gongshi.public import page_cache
from gongshi.public.tests.conftest import publish_permit

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def body(response) -> str:
    """The page without its per-reader CSRF tokens."""
    return TOKEN.sub("", response.content.decode())


class Process:
    """One worker: its own in-memory store, the shared cache, an anonymous reader."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.pages = page_cache.LocalPages()
        self.client = Client()

    def get(self, url: str, **kwargs):
        self.monkeypatch.setattr(page_cache, "local_pages", self.pages)
        return self.client.get(url, **kwargs)


@pytest.fixture
def processes(monkeypatch):
    return Process(monkeypatch), Process(monkeypatch)


def test_a_repeat_view_is_served_from_the_stored_bytes(
    world, catalogue, client, django_assert_num_queries
):
    url = f"/p/{world.project.code}/"
    publish_permit(world, catalogue["planning"])
    first = client.get(url)
    assert first.templates  # rendered once
    with django_assert_num_queries(1):  # the fingerprint
        again = client.get(url)
    assert again.templates == []  # no template rendered: the stored body
    assert body(again) == body(first)
    assert again.headers["ETag"] == first.headers["ETag"]


def test_another_process_serves_the_page_rendered_by_the_first(world, catalogue, processes):
    a, b = processes
    url = f"/p/{world.project.code}/"
    rendered = a.get(url)
    served = b.get(url)
    assert served.templates == []  # from the shared cache, not rendered again
    assert body(served) == body(rendered)


def test_a_reader_of_the_stored_page_can_switch_language_and_display_mode(world, catalogue):
    url = f"/p/{world.project.code}/"
    Client().get(url)  # stores the page
    reader = Client(enforce_csrf_checks=True)
    response = reader.get(url)
    assert response.templates == []
    assert "csrfmiddlewaretoken" not in response.content.decode()  # the same bytes for all
    assert "Set-Cookie" not in response.headers
    assert reader.post("/elderly/", {"next": url}).status_code == 302
    assert reader.cookies["elderly"].value == "1"
    switched = reader.post("/i18n/setlang/", {"language": "en", "next": url})
    assert switched.status_code == 302
    assert "Construction permit" in reader.get(url).content.decode()


def test_signed_in_readers_get_their_own_page(world, catalogue):
    url = f"/p/{world.project.code}/"
    Client().get(url)
    developer = world.client("developer")
    response = developer.get(url)
    assert response.templates  # rendered for them
    assert "退出" in response.content.decode()
    assert "退出" not in Client().get(url).content.decode()


def test_the_display_mode_and_language_have_their_own_bytes(world, catalogue):
    url = f"/p/{world.project.code}/"
    plain = Client().get(url)
    elderly = Client()
    elderly.cookies["elderly"] = "1"
    assert 'class="elderly' in elderly.get(url).content.decode()
    english = Client(headers={"Accept-Language": "en"})
    assert "Construction permit" in english.get(url).content.decode()
    assert 'class="elderly' not in body(Client().get(url)) and body(plain)


def _publication(world, catalogue):
    publish_permit(world, catalogue["construction"], number="施字第新公示001号")
    return "施字第新公示001号"


def _correction(world, catalogue):
    publish_permit(world, catalogue["planning"], number="更正后的证书编号", reason="编号有误")
    return "更正后的证书编号"


def _withdrawal(world, catalogue):
    withdraw(world.project, catalogue["planning"], world.users["developer"])
    return None


def _inapplicable(world, catalogue):
    version = make_version(
        world.project, catalogue["construction"], world.users["developer"], values={},
        kind=VersionKind.INAPPLICABLE, reason="本项目为改建工程，不需办理此证",
    )  # fmt: skip
    publish_version(version, world.users["developer"])
    return None


def _ask(world, catalogue):
    from gongshi.participation import questions
    from gongshi.participation.tests.conftest import verify

    world.question, _token = questions.ask_question(
        world.project, verify(), body="请问地下室防水用的是什么材料？", ip="203.0.113.7"
    )


def _answered_question(world, catalogue):
    from gongshi.participation import questions

    questions.answer_question(
        world.question, world.users["developer"], "采用 SBS 改性沥青防水卷材。"
    )
    return None


_answered_question.prepare = _ask


def _regulator_record(world, catalogue):
    from gongshi.supervision.models import ActionKind
    from gongshi.supervision.services import make_action

    regulator = world.users["regulator"]
    make_action(
        kind=ActionKind.BAD_CONDUCT, project=world.project, subject=world.project.developer,
        regulator=regulator.organisations.get(), user=regulator, decided_on=dt.date(2026, 1, 5),
        reason="未按规定公示分户验收信息",
    )  # fmt: skip
    return "未按规定公示分户验收信息"


def _unit_leader(world, catalogue):
    participation = world.project.participations.first()
    participation.leader_name = "欧阳新负责人"
    participation.save()
    return "欧阳新负责人"


def _developer_renamed(world, catalogue):
    developer = world.project.developer
    developer.name = "黑龙江更名后置业有限公司"
    developer.save()
    return "黑龙江更名后置业有限公司"


def _project_edited(world, catalogue):
    world.project.address = "哈尔滨市南岗区新地址8号"
    world.project.save()
    return "哈尔滨市南岗区新地址8号"


def _catalogue_item_edited(world, catalogue):
    item = catalogue["planning"]
    item.title = "建设工程规划许可证（含附图）"
    item.save()
    return "建设工程规划许可证（含附图）"


def _score_weights(world, catalogue):
    from gongshi.supervision.models import ScoreWeights

    current = ScoreWeights.current()
    ScoreWeights.objects.create(
        completeness=100, timeliness=0, responsiveness=0, complaints=0, discrepancies=0,
        complaint_cap=current.complaint_cap, discrepancy_cap=current.discrepancy_cap,
        set_by=world.users["admin"],
    )  # fmt: skip
    return None


CHANGES = [
    _publication,
    _correction,
    _withdrawal,
    _inapplicable,
    _answered_question,
    _regulator_record,
    _unit_leader,
    _developer_renamed,
    _project_edited,
    _catalogue_item_edited,
    _score_weights,
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__.strip("_") for c in CHANGES])
def test_every_process_serves_the_change_at_once(world, catalogue, processes, change):
    a, b = processes
    url = f"/p/{world.project.code}/"
    publish_permit(world, catalogue["planning"])
    if prepare := getattr(change, "prepare", None):
        prepare(world, catalogue)
    before = body(a.get(url))
    assert body(b.get(url)) == before  # both processes now hold the old page
    etag = a.get(url).headers["ETag"]
    shown = change(world, catalogue)
    after_a, after_b = a.get(url), b.get(url, headers={"If-None-Match": etag})
    assert after_b.status_code == 200  # the old copy is no longer current
    assert body(after_a) != before
    assert body(after_b) == body(after_a)
    if shown:
        assert shown in body(after_a)
        assert shown not in before


def test_the_item_page_is_stored_and_refreshed_too(world, catalogue, processes):
    a, b = processes
    publish_permit(world, catalogue["planning"], number="第一版编号")
    url = f"/p/{world.project.code}/i/{catalogue['planning'].code}/"
    assert "第一版编号" in body(a.get(url))
    assert b.get(url).templates == []
    publish_permit(world, catalogue["planning"], number="第二版编号", reason="更正")
    assert "第二版编号" in body(a.get(url)) and "第二版编号" in body(b.get(url))


def test_a_rolled_back_change_leaves_the_stamp_alone(world, catalogue):
    from django.db import transaction

    from gongshi.public.conditional import project_fingerprint

    before = project_fingerprint(world.project.code)
    with pytest.raises(RuntimeError), transaction.atomic():
        _project_edited(world, catalogue)
        raise RuntimeError
    assert project_fingerprint(world.project.code).content_key == before.content_key


def test_the_stored_response_keeps_the_headers_of_the_whole_stack(world, catalogue):
    url = f"/p/{world.project.code}/"
    rendered = Client().get(url)
    stored = Client().get(url)
    assert stored.templates == []
    for header in ("Content-Type", "Content-Language", "X-Frame-Options", "Vary"):
        assert stored.headers.get(header) == rendered.headers.get(header), header
    not_modified = Client().get(url, headers={"If-None-Match": stored.headers["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.headers["Content-Language"] == rendered.headers["Content-Language"]
    assert not_modified.headers["X-Frame-Options"] == "DENY"


def test_an_unknown_project_is_still_a_404(world, catalogue):
    assert Client().get("/p/NOSUCHCODE/").status_code == 404
