"""Which happenings become follow events: publications, corrections, open days, records."""

import datetime as dt

from django.utils import timezone

from gongshi.catalogue.tests.factories import make_item, publish
from gongshi.participation import follow, opendays
from gongshi.participation.models import Delivery, Event


def test_a_publication_and_its_correction_are_events(world, django_capture_on_commit_callbacks):
    item = make_item(title="施工许可证")
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.project, item, world.users["developer"])
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.project, item, world.users["developer"], reason="证号录入有误")
    kinds = list(Event.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["disclosure.published", "disclosure.corrected"]
    assert Event.objects.order_by("pk").last().payload["reason"] == "证号录入有误"


def test_an_open_day_scheduled_and_reported_are_events(world, held):
    opendays.publish_report(held, world.users["developer"], attendance=3)
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"open_day.scheduled", "open_day.reported"} <= kinds


def test_a_regulator_record_is_an_event(world, django_capture_on_commit_callbacks):
    from gongshi.organisations.regulators import regulator_for
    from gongshi.supervision.services import make_action

    regulator = regulator_for(world.users["regulator"])
    with django_capture_on_commit_callbacks(execute=True):
        make_action(
            kind="bad_conduct",
            project=world.project,
            subject=world.project.developer,
            regulator=regulator,
            user=world.users["regulator"],
            decided_on=timezone.localdate() - dt.timedelta(days=1),
            reason="未按规定公示材料检测报告",
        )
    event = Event.objects.get(kind="regulator.record")
    assert "不良行为记录" in event.title and event.payload["reason"] == "未按规定公示材料检测报告"


def test_an_enterprise_decision_is_an_event_on_each_of_its_projects(
    world, django_capture_on_commit_callbacks
):
    from gongshi.core.testing import make_project
    from gongshi.organisations.regulators import regulator_for
    from gongshi.supervision.services import make_enterprise_action

    developer = world.project.developer
    daqing = make_project(developer, "230602", name="大庆第二期", address="大庆市测试路2号")
    with django_capture_on_commit_callbacks(execute=True):
        make_enterprise_action(
            kind="commendation",
            subject=developer,
            regulator=regulator_for(world.users["regulator"]),
            user=world.users["regulator"],
            decided_on=timezone.localdate() - dt.timedelta(days=1),
            reason="各项目公示完整及时",
            credit_incentive="评优优先推荐",
        )
    events = Event.objects.filter(kind="regulator.record")
    assert {e.project_id for e in events} == {world.project.pk, daqing.pk}
    assert all("通报表扬" in e.title for e in events)


def test_only_active_subscribers_get_deliveries(world, django_capture_on_commit_callbacks):
    pending = follow.subscribe_email(world.project, "pending@example.com")
    active = follow.subscribe_email(world.project, "active@example.com")
    follow.confirm_subscription(follow.confirm_token(active))
    gone = follow.subscribe_email(world.project, "gone@example.com")
    follow.confirm_subscription(follow.confirm_token(gone))
    follow.unsubscribe(gone)
    event = follow.record_event(world.project, "question.answered", "t", "/p/x/")
    targets = set(Delivery.objects.filter(event=event).values_list("email_subscription", flat=True))
    assert targets == {active.pk}
    assert pending.pk not in targets


def test_a_regulators_stage_date_correction_is_an_event_for_followers(
    world, frozen_now, django_capture_on_commit_callbacks, mailoutbox
):
    from gongshi.organisations.regulators import regulator_for
    from gongshi.supervision.stage_dates import correct_stage_dates

    subscription = follow.subscribe_email(world.project, "buyer@example.com")
    follow.confirm_subscription(follow.confirm_token(subscription))
    started = timezone.localdate() - dt.timedelta(days=100)
    world.project.started_on = started
    world.project.save()
    corrected = started - dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        correction = correct_stage_dates(
            regulator_for(world.users["regulator"]),
            world.users["regulator"],
            world.project,
            reason="核对施工许可和开工报告",
            started_on=corrected,
        )
    event = Event.objects.get(kind="project.stage_corrected")
    assert f"开工日期 {started.isoformat()} → {corrected.isoformat()}" in event.title
    assert "更正了阶段日期" in event.title
    assert event.url.endswith(f"/p/{world.project.code}/#stage-corrections")
    assert event.payload["reason"] == "核对施工许可和开工报告"
    assert event.payload["leaf_index"] == correction.leaf_index
    delivery = Delivery.objects.get(event=event)
    assert delivery.email_subscription == subscription
    mailoutbox.clear()
    assert follow.attempt_delivery(delivery.pk) == "delivered"
    assert mailoutbox[0].subject == event.title and mailoutbox[0].to == ["buyer@example.com"]
    assert "核对" not in mailoutbox[0].subject  # the reason is on the page, not in the subject


def test_a_stage_change_names_the_stages(world, frozen_now, django_capture_on_commit_callbacks):
    from gongshi.core.choices import Stage
    from gongshi.organisations.regulators import regulator_for
    from gongshi.supervision.stage_dates import correct_stage_dates

    world.project.started_on = timezone.localdate() - dt.timedelta(days=30)
    world.project.save()
    with django_capture_on_commit_callbacks(execute=True):
        correct_stage_dates(
            regulator_for(world.users["regulator"]),
            world.users["regulator"],
            world.project,
            reason="尚未开工，施工许可证办理中",
            stage=Stage.NOT_STARTED,
            started_on=None,
        )
    title = Event.objects.get(kind="project.stage_corrected").title
    assert f"项目阶段 {Stage.UNDER_CONSTRUCTION.label} → {Stage.NOT_STARTED.label}" in title
    assert "开工日期" in title and "→ —" in title
