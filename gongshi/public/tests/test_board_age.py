"""A printed board knows its age: its QR codes carry the log size it was printed at, and the
page they open says what changed since; every generation is recorded."""

import datetime as dt

import pytest
from django.utils import timezone

from gongshi.core.testing import login_client
from gongshi.public.models import BoardPrint
from gongshi.public.tests.conftest import household_rows, publish_households, publish_permit

pytestmark = pytest.mark.usefixtures("frozen_now")


def test_each_generation_is_recorded_with_the_log_size_and_who_printed(world, catalogue, client):
    from gongshi.integrity.log import tree_size

    publish_permit(world, catalogue["planning"])
    client.get(f"/p/{world.project.code}/board.pdf", {"size": "A1"})
    developer = login_client(world.client("anonymous"), world.users["developer"])
    developer.get(f"/p/{world.project.code}/board.pdf", {"size": "A4"})

    anonymous, by_developer = BoardPrint.objects.order_by("pk")
    assert (anonymous.size, anonymous.tree_size, anonymous.by_developer) == (
        "A1",
        tree_size(),
        False,
    )
    assert anonymous.printed_by is None
    assert by_developer.by_developer and by_developer.printed_by == world.users["developer"]


def integrated() -> None:
    """What a commit does after a publication (on PostgreSQL the integrator adds its leaf to
    the tree the board's QR codes count): a test's transaction never commits."""
    from gongshi.integrity import log

    log.make_checkpoint()


def test_a_board_scanned_after_new_publications_lists_what_changed(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    integrated()
    client.get(f"/p/{world.project.code}/board.pdf")
    printed = BoardPrint.objects.get()
    publish_households(world, catalogue["households"], household_rows())

    html = client.get(f"/p/{world.project.code}/", {"board": printed.tree_size}).content.decode()
    date = timezone.localtime(printed.printed_at).strftime("%Y-%m-%d")
    assert f"这块公示牌打印于 {date}" in html
    assert "此后有 1 项公示发生变化" in html
    assert "分户验收汇总表" in html.split('class="board-age')[1].split("</section>")[0]


def test_a_current_board_is_said_to_be_current(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    integrated()
    client.get(f"/p/{world.project.code}/board.pdf")
    size = BoardPrint.objects.get().tree_size
    html = client.get(f"/p/{world.project.code}/", {"board": size}).content.decode()
    assert "此后有 0 项公示发生变化" in html and "公示牌上的信息仍是最新的" in html


def test_a_page_without_or_with_a_bad_board_parameter_has_no_banner(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    for query in ({}, {"board": "x"}, {"board": "99999999"}):
        html = client.get(f"/p/{world.project.code}/", query).content.decode()
        assert 'class="board-age' not in html, query


def test_the_banner_is_in_english_for_english_readers(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    client.get(f"/p/{world.project.code}/board.pdf")
    size = BoardPrint.objects.get().tree_size
    html = client.get(
        f"/p/{world.project.code}/", {"board": size}, headers={"Accept-Language": "en"}
    ).content.decode()
    assert "This board was printed on" in html


def test_the_regulators_worklist_shows_projects_with_a_stale_board(world, catalogue, settings):
    settings.GONGSHI_BOARD_STALE_DAYS = 30
    publish_permit(world, catalogue["planning"])
    printed = BoardPrint.objects.create(
        project=world.project, size="A1", tree_size=0, by_developer=True
    )
    BoardPrint.objects.filter(pk=printed.pk).update(
        printed_at=timezone.now() - dt.timedelta(days=40)
    )
    regulator = world.client("regulator")
    listed = regulator.get("/supervision/projects/", {"worklist": "stale_board"})
    assert world.project.name in listed.content.decode()
    assert "公示牌" in regulator.get("/supervision/").content.decode()

    # A fresh board by the developer takes it off; a copy printed by anyone else would not.
    BoardPrint.objects.create(project=world.project, size="A1", tree_size=1, by_developer=True)
    listed = regulator.get("/supervision/projects/", {"worklist": "stale_board"})
    assert world.project.name not in listed.content.decode()
