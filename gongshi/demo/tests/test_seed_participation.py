"""seed_demo fills the public-participation side of the demo (issue 5) once, consistently."""

from __future__ import annotations

import datetime as dt

from gongshi.accounts.models import User
from gongshi.demo import data
from gongshi.demo import participation as participation_demo
from gongshi.demo.seed import seed_demo
from gongshi.disclosures.models import VersionStatus
from gongshi.organisations.models import Membership
from gongshi.participation.access import is_developer_member
from gongshi.participation.models import (
    ContactVerification,
    Delivery,
    EmailSubscription,
    Event,
    Finding,
    FindingResult,
    OpenDay,
    Question,
    Registration,
    Resolution,
    Supervisor,
    SupervisorKind,
)
from gongshi.participation.questions import rates, with_deadlines
from gongshi.participation.workdays import answer_deadline_working_days
from gongshi.supervision.models import ActionKind, RegulatorRecord

from .conftest import SEED_NOW

TODAY = SEED_NOW.date()


def demo_questions():
    return Question.objects.filter(project__code__in=[p.code for p in data.PROJECTS])


def states():
    return with_deadlines(demo_questions().select_related("project"), now=SEED_NOW)


def test_questions_are_spread_over_two_months_and_several_cities(demo):
    questions = list(demo_questions().select_related("project__region"))

    assert len(questions) == len(participation_demo.QUESTIONS)
    assert len({q.project.region.code[:4] for q in questions}) >= 5
    assert {q.kind for q in questions} == {"question", "complaint"}
    for q in questions:
        assert SEED_NOW - dt.timedelta(days=61) <= q.asked_at < SEED_NOW
        assert q.deadline_working_days == answer_deadline_working_days(q.project.region)


def test_answers_are_on_time_late_or_missing_and_overdue_is_derived(demo):
    by_status: dict[str, list] = {}
    for state in states():
        by_status.setdefault(state.status, []).append(state.question)

    assert len(by_status["answered"]) >= 5
    assert len(by_status["answered_late"]) >= 2
    assert len(by_status["waiting"]) >= 2
    assert len(by_status["overdue"]) >= 2
    # The overdue ones are on the Harbin project the regulator put under key supervision.
    key = RegulatorRecord.objects.get(
        kind=ActionKind.KEY_SUPERVISION, project__region__code__startswith="2301"
    ).project
    assert sum(q.project_id == key.pk for q in by_status["overdue"]) >= 2
    summary = rates(demo_questions(), now=SEED_NOW)
    assert summary["overdue"] == len(by_status["overdue"])
    assert summary["resolved"] >= 1


def test_answers_come_from_the_developer_and_precede_the_askers_verdict(demo):
    answered = list(demo_questions().answered().select_related("project", "answered_by"))

    assert answered
    for q in answered:
        assert q.answer and q.asked_at < q.answered_at < SEED_NOW
        assert is_developer_member(q.answered_by, q.project)
        if q.resolution:
            assert q.answered_at < q.resolution_at < SEED_NOW
    verdicts = {q.resolution for q in answered}
    assert {Resolution.RESOLVED, Resolution.NOT_RESOLVED} <= verdicts
    assert not demo_questions().unanswered().exclude(resolution="").exists()


def test_one_question_is_hidden_by_the_administrator_with_a_reason(demo):
    hidden = demo_questions().filter(hidden_at__isnull=False).select_related("hidden_by")

    assert hidden.count() == 1
    question = hidden.get()
    assert question.hidden_reason and question.hidden_by.is_superuser
    assert question.asked_at < question.hidden_at < SEED_NOW


def test_a_past_open_day_has_a_published_report_supervisors_and_findings(demo):
    open_day = OpenDay.objects.reported().select_related("project").get()

    assert open_day.date < TODAY and open_day.attendance and open_day.report_summary
    assert open_day.date <= open_day.report_published_at.date() < TODAY
    assert 0 < open_day.registrations.count() <= open_day.capacity
    supervisors = {s.user.username: s.kind for s in open_day.supervisors.select_related("user")}
    assert supervisors == {"demo-expert": SupervisorKind.EXPERT, "demo-resident": "resident"}
    findings = list(open_day.findings.select_related("version__disclosure"))
    assert {f.result for f in findings} == set(FindingResult.values)
    for f in findings:
        assert f.version.status == VersionStatus.PUBLISHED
        assert f.version.disclosure.project_id == open_day.project_id
        assert f.recorded_at.date() == open_day.date


def test_one_discrepancy_waits_for_the_developer_and_one_is_closed(demo):
    discrepancies = Finding.objects.discrepancies().published()

    still_open = Finding.objects.open_discrepancies().get()
    assert still_open.responded_at is None and still_open.developer_response == ""
    closed = discrepancies.get(closed_at__isnull=False)
    assert closed.developer_response and closed.close_note
    assert closed.recorded_at < closed.responded_at < closed.closed_at < SEED_NOW
    assert Supervisor.objects.filter(open_day=closed.open_day, user=closed.closed_by).exists()


def test_an_upcoming_open_day_has_free_places(demo):
    upcoming = OpenDay.objects.filter(date__gt=TODAY).get()

    assert not upcoming.is_reported
    assert 0 < upcoming.registrations.count() < upcoming.capacity
    assert upcoming.created_at < SEED_NOW


def test_followers_are_confirmed_and_get_nothing_at_seed_time(demo):
    subscriptions = EmailSubscription.objects.all()

    assert subscriptions.count() == 2
    assert all(s.is_active and s.created_at < s.confirmed_at < SEED_NOW for s in subscriptions)
    assert not Delivery.objects.exists()


def test_the_supervisors_sign_in_and_belong_to_no_organisation(demo):
    for username in ("demo-expert", "demo-resident"):
        user = User.objects.get(username=username)
        assert user.check_password(data.DEMO_PASSWORD)
        assert not user.is_staff and not Membership.objects.filter(user=user).exists()


def test_nothing_is_dated_after_the_seed(demo):
    assert not Registration.objects.filter(created_at__gt=SEED_NOW).exists()
    assert not Supervisor.objects.filter(joined_at__gt=SEED_NOW).exists()
    assert not ContactVerification.objects.filter(created_at__gt=SEED_NOW).exists()
    assert not Event.objects.filter(
        kind__in=["question.answered", "open_day.scheduled", "open_day.reported"],
        created_at__gt=SEED_NOW,
    ).exists()


def participation_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Question, ContactVerification, OpenDay, Registration, Supervisor, Finding,
            EmailSubscription, Event, Delivery, User,
        )
    }  # fmt: skip


def test_seeding_again_adds_nothing(demo):
    before = participation_counts()

    seed_demo(now=SEED_NOW)

    assert participation_counts() == before
