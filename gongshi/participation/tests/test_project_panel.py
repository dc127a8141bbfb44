"""The participation panel on the public project page /p/<code>/."""

import datetime as dt

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.participation import opendays, questions
from gongshi.participation.panel import panel_context
from gongshi.participation.tests.conftest import verify
from gongshi.participation.workdays import holiday_years


def _render_panel(project) -> str:
    return render_to_string(
        "participation/project_panel.html", {"participation": panel_context(project)}
    )


def _page(world, role="anonymous", **headers):
    return world.client(role).get(f"/p/{world.project.code}/", **headers)


def test_the_project_page_shows_questions_answers_and_the_ask_link(world, asked):
    question, _ = asked
    questions.answer_question(question, world.users["developer"], "采用 SBS 改性沥青防水卷材。")
    text = _page(world).content.decode()
    assert question.body in text and "采用 SBS 改性沥青防水卷材。" in text
    assert f"/participation/p/{world.project.code}/ask/" in text
    assert "asker@example.com" not in text


def test_an_answer_shows_at_once_on_a_page_whose_panel_was_cached(world, asked):
    question, _ = asked
    assert question.body in _page(world).content.decode()  # renders and caches the panel
    questions.answer_question(question, world.users["developer"], "外墙采用岩棉保温板。")
    assert "外墙采用岩棉保温板。" in _page(world).content.decode()


def test_the_project_page_is_public_with_the_panel(world):
    assert_matrix(world, "get", f"/p/{world.project.code}/", dict.fromkeys(ROLES, 200))


def test_an_answer_changes_the_pages_etag(world, asked):
    question, _ = asked
    etag = _page(world)["ETag"]
    assert _page(world, HTTP_IF_NONE_MATCH=etag).status_code == 304
    questions.answer_question(question, world.users["developer"], "已答复。")
    assert _page(world, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_open_days_and_open_discrepancies_show(world, held, supervisor, disclosed):
    opendays.record_finding(
        held, supervisor, version_id=disclosed.pk, result="discrepancy", note="型号不符"
    )
    opendays.publish_report(held, world.users["developer"], attendance=9)
    text = _page(world).content.decode()
    assert "开放日报告" in text and "实到 9 人" in text
    assert "型号不符" in text and "建设单位尚未回复" in text


def test_the_panel_costs_the_same_queries_whatever_the_data(world):
    # The years with holiday data (provisional deadlines) are one cache get once filled; the
    # fill is one query per hour per process, not per page.
    holiday_years()
    with CaptureQueriesContext(connection) as empty:
        _render_panel(world.project)
    token = verify()
    for n in range(6):
        q, _ = (
            questions.ask_question(world.project, token, body=f"第{n}个问题，请问？")
            if n < 5
            else (None, None)
        )
        if q and n % 2:
            questions.answer_question(q, world.users["developer"], "答复。")
    for days in (3, 10):
        opendays.schedule(
            world.project,
            world.users["developer"],
            date=timezone.localdate() + dt.timedelta(days=days),
            start_time=dt.time(9),
            end_time=dt.time(10),
            place="东门",
            stage_of_work="主体",
            capacity=5,
            showing="钢筋",
        )
    with CaptureQueriesContext(connection) as full:
        text = _render_panel(world.project)
    assert "第4个问题" in text
    assert len(full) == len(empty) == 4
