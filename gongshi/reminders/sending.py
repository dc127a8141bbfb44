"""Sending the reminders: one :class:`ReminderSent` per (rule, object, due date, recipient).

``send_reminders`` asks the rules (:mod:`.rules`) what is due today, skips every key already
in the history, and for each new one writes — in one transaction — the history row, the
in-app notification (signed-in users) and a delivery per chosen channel. The deliveries are
then attempted; a failure is retried with the follow deliveries' back-off
(:func:`gongshi.participation.follow.backoff`) at the next run, up to ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gongshi.core.choices import OrganisationType
from gongshi.core.crypto import mask_contact
from gongshi.organisations.models import Membership
from gongshi.participation import sms
from gongshi.participation.follow import MAX_ATTEMPTS, absolute, backoff
from gongshi.participation.models import ContactKind, Question
from gongshi.participation.workdays import WorkingCalendar
from gongshi.reminders import rules
from gongshi.reminders.models import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    ReminderDelivery,
    ReminderSent,
    Rule,
)

logger = logging.getLogger(__name__)


@dataclass
class Report:
    reminders: int = 0
    notifications: int = 0
    delivered: int = 0
    failed: int = 0
    by_rule: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def __str__(self) -> str:
        rules_text = "，".join(f"{Rule(k).label} {v}" for k, v in sorted(self.by_rule.items()))
        return _(
            "新提醒 %(n)d 条（%(rules)s），站内通知 %(notes)d 条，送达 %(ok)d，失败 %(bad)d。"
        ) % {
            "n": self.reminders,
            "rules": rules_text or _("无"),
            "notes": self.notifications,
            "ok": self.delivered,
            "bad": self.failed,
        }


@dataclass
class Recipient:
    key: str
    user: object | None = None  # a User, or None for an asker
    contact: str = ""
    contact_kind: str = ""


def _members_by_org(org_ids: set[int]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for m in (
        Membership.objects.filter(organisation_id__in=org_ids, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ):
        found[m.organisation_id].append(m.user)
    return found


class Recipients:
    """Developer members and area regulators, loaded once per run (a few queries)."""

    def __init__(self) -> None:
        self._developers: dict[int, list] | None = None
        self._regulators: list[tuple[str, list]] | None = None

    def developers(self, project, developer_ids: set[int]) -> list:
        if self._developers is None:
            self._developers = _members_by_org(developer_ids)
        return self._developers.get(project.developer_id, [])

    def regulators(self, project) -> list:
        if self._regulators is None:
            from gongshi.organisations.models import Organisation

            orgs = list(
                Organisation.objects.filter(kind=OrganisationType.REGULATOR).select_related(
                    "region"
                )
            )
            members = _members_by_org({o.pk for o in orgs})
            self._regulators = [(o.region.prefix, members.get(o.pk, [])) for o in orgs]
        users, seen = [], set()
        for prefix, members in self._regulators:
            if project.region.code.startswith(prefix):
                for user in members:
                    if user.pk not in seen:
                        seen.add(user.pk)
                        users.append(user)
        return users


def _subject(rule: str, project, *, title: str = "", due_on: dt.date, question=None) -> str:
    args = {"project": project.name, "item": title, "date": due_on.isoformat()}
    if rule == Rule.ITEM_DUE_SOON:
        return _("“%(project)s”的公示事项“%(item)s”将于 %(date)s 到期，请及时公示。") % args
    if rule == Rule.ITEM_OVERDUE:
        return (
            _("“%(project)s”的公示事项“%(item)s”已于 %(date)s 到期，现已逾期，请尽快公示。") % args
        )
    if rule == Rule.ITEM_ESCALATED:
        return _("督办：“%(project)s”的公示事项“%(item)s”自 %(date)s 到期后仍未公示。") % args
    args["kind"] = question.get_kind_display()
    args["number"] = question.pk
    return _("“%(project)s”的%(kind)s（第 %(number)d 号）须在 %(date)s 前答复。") % args


def _link(rule: str, project, *, item_code: str = "", question=None, asker: bool = False) -> str:
    if rule in (Rule.ITEM_DUE_SOON, Rule.ITEM_OVERDUE):
        return reverse("workspace:item", args=[project.code, item_code])
    if rule == Rule.ITEM_ESCALATED:
        return reverse("supervision:project", args=[project.code])
    if asker:
        return reverse("participation:questions", args=[project.code]) + f"#q{question.pk}"
    return reverse("participation:dev_questions", args=[project.code])


class SentKeys:
    """The recipients already reminded, per (rule, object, due date): one query per
    :data:`KEY_BATCH` objects, asked for up front."""

    KEY_BATCH = 500

    def __init__(self, object_keys: list[str]) -> None:
        self._sent: dict[tuple, set[str]] = defaultdict(set)
        keys = sorted(set(object_keys))
        for start in range(0, len(keys), self.KEY_BATCH):
            for rule, key, due_on, recipient in ReminderSent.objects.filter(
                object_key__in=keys[start : start + self.KEY_BATCH]
            ).values_list("rule", "object_key", "due_on", "recipient_key"):
                self._sent[rule, key, due_on].add(recipient)

    def get(self, rule: str, object_key: str, due_on: dt.date) -> set[str]:
        return self._sent.get((rule, object_key, due_on), set())


def _record(
    rule: str,
    object_key: str,
    due_on: dt.date,
    project,
    recipients: list[Recipient],
    *,
    subject: Callable[[], str],
    link: str,
    now: dt.datetime,
    preferences: dict[int, NotificationPreference],
    report: Report,
    sent_keys: SentKeys,
) -> list[int]:
    """Write the history, notifications and deliveries of recipients not reminded yet."""
    sent = sent_keys.get(rule, object_key, due_on)
    delivery_ids: list[int] = []
    for recipient in recipients:
        if recipient.key in sent:
            continue
        # In the recipient's language (an asker's: the site's); kept as written then.
        language = getattr(recipient.user, "preferred_language", None) or settings.LANGUAGE_CODE
        with override(language):
            text = subject()
        try:
            with transaction.atomic():
                notification = None
                if recipient.user is not None:
                    notification = Notification.objects.create(
                        recipient=recipient.user,
                        kind=rule,
                        subject=text,
                        link=link,
                        created_at=now,
                    )
                reminder = ReminderSent.objects.create(
                    rule=rule,
                    object_key=object_key,
                    due_on=due_on,
                    recipient_key=recipient.key,
                    recipient=recipient.user,
                    project=project,
                    subject=text,
                    notification=notification,
                    created_at=now,
                )
                for channel, address in _channels(recipient, preferences):
                    delivery = ReminderDelivery.objects.create(
                        reminder=reminder, channel=channel, address=address
                    )
                    delivery_ids.append(delivery.pk)
        except IntegrityError:
            continue  # another run wrote this key first: sent once, by it
        report.reminders += 1
        report.by_rule[rule] += 1
        report.notifications += notification is not None
    return delivery_ids


def _channels(recipient: Recipient, preferences) -> list[tuple[str, str]]:
    if recipient.user is None:
        kind = Channel.EMAIL if recipient.contact_kind == ContactKind.EMAIL else Channel.SMS
        # Only the masked contact is kept: the question holds it (encrypted, and erased when
        # its retention ends); the delivery reads it from there when it sends.
        return [(kind, mask_contact(recipient.contact))] if recipient.contact else []
    pref = preferences.get(recipient.user.pk) or NotificationPreference(user=recipient.user)
    channels = []
    if pref.email and recipient.user.email:
        channels.append((Channel.EMAIL, recipient.user.email))
    if pref.sms and pref.mobile:
        channels.append((Channel.SMS, pref.mobile))
    return channels


def collect(now: dt.datetime, report: Report) -> list[int]:
    """Record every reminder the rules ask for today; returns the new deliveries' ids."""
    today = timezone.localdate(now)
    cal = WorkingCalendar()
    preferences = {p.user_id: p for p in NotificationPreference.objects.all()}
    people = Recipients()
    item_rules = list(rules.item_reminders(today, cal))
    question_states = list(rules.question_reminders(today, now, cal))
    developer_ids = {due.project.developer_id for _rule, due in item_rules} | {
        s.question.project.developer_id for s in question_states
    }
    sent_keys = SentKeys(
        [due.object_key for _rule, due in item_rules]
        + [f"question:{s.question.pk}" for s in question_states]
    )
    delivery_ids: list[int] = []
    for rule, due in item_rules:
        project = due.project
        if rule == Rule.ITEM_ESCALATED:
            users = people.regulators(project)
        else:
            users = people.developers(project, developer_ids)
        delivery_ids += _record(
            rule,
            due.object_key,
            due.due_on,
            project,
            [Recipient(f"user:{u.pk}", u) for u in users],
            subject=partial(_subject, rule, project, title=due.item.title, due_on=due.due_on),
            link=_link(rule, project, item_code=due.item.code),
            now=now,
            preferences=preferences,
            report=report,
            sent_keys=sent_keys,
        )
    tell_askers = getattr(settings, "GONGSHI_REMIND_ASKERS", True)
    for state in question_states:
        question, project = state.question, state.question.project
        rule, key = Rule.QUESTION_DEADLINE, f"question:{question.pk}"
        subject = partial(_subject, rule, project, due_on=state.deadline, question=question)
        users = people.developers(project, developer_ids)
        delivery_ids += _record(
            rule,
            key,
            state.deadline,
            project,
            [Recipient(f"user:{u.pk}", u) for u in users],
            subject=subject,
            link=_link(rule, project, question=question),
            now=now,
            preferences=preferences,
            report=report,
            sent_keys=sent_keys,
        )
        if tell_askers and question.contact:
            # The asker's verified contact, for this question's answer only (as promised).
            delivery_ids += _record(
                rule,
                key,
                state.deadline,
                project,
                [
                    Recipient(
                        f"asker:{question.pk}",
                        contact=question.contact,
                        contact_kind=question.contact_kind,
                    )
                ],
                subject=subject,
                link=_link(rule, project, question=question, asker=True),
                now=now,
                preferences=preferences,
                report=report,
                sent_keys=sent_keys,
            )
    return delivery_ids


def _message(delivery: ReminderDelivery) -> str:
    reminder = delivery.reminder
    link = reminder.notification.link if reminder.notification else ""
    if not link and reminder.object_key.startswith("question:"):
        pk = int(reminder.object_key.split(":")[1])
        link = reverse("participation:questions", args=[reminder.project.code]) + f"#q{pk}"
    return f"{reminder.subject} {absolute(link)}" if link else reminder.subject


def _asker_contact(reminder: ReminderSent) -> str:
    pk = int(reminder.object_key.split(":")[1])
    return Question.objects.filter(pk=pk).values_list("contact", flat=True).first() or ""


def attempt(delivery_id: int, *, now: dt.datetime) -> str:
    """Try one email or text message once; on failure schedule the next try or give up."""
    delivery = (
        ReminderDelivery.objects.select_related(
            "reminder__project", "reminder__notification", "reminder__recipient"
        )
        .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .first()
    )
    if delivery is None:
        return "skipped"
    user = delivery.reminder.recipient
    language = getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
    address = delivery.address
    if user is None:
        address = _asker_contact(delivery.reminder)
        if not address:  # the asker's contact was erased meanwhile: nobody to tell
            delivery.status = DeliveryStatus.GAVE_UP
            delivery.next_attempt_at = None
            delivery.last_error = _("提问人的联系方式已删除。")
            delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
            return delivery.status
    try:
        with override(language):
            message = _message(delivery)
            if delivery.channel == Channel.EMAIL:
                EmailMessage(
                    _("提醒 · 住宅工程质量信息公示平台"),
                    message,
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                ).send()
            else:
                sms.send_sms(address, message)
    except Exception as exc:  # any failure of the far end: SMTP, the SMS gateway
        delivery.attempts += 1
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:300]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.GAVE_UP
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        logger.info("reminder delivery %s failed: %s", delivery.pk, delivery.last_error)
        return delivery.status
    delivery.attempts += 1
    delivery.status = DeliveryStatus.DELIVERED
    delivery.delivered_at = now
    delivery.next_attempt_at = None
    delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    return delivery.status


def send_reminders(*, now: dt.datetime | None = None) -> Report:
    """Record today's new reminders, then send them and every retry that has come due."""
    now = now or timezone.now()
    report = Report()
    new = collect(now, report)
    # Retries whose time has come, and deliveries a run that stopped half-way left unsent.
    retries = ReminderDelivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    for pk in dict.fromkeys([*new, *retries.values_list("pk", flat=True)]):
        status = attempt(pk, now=now)
        if status == DeliveryStatus.DELIVERED:
            report.delivered += 1
        elif status != "skipped":
            report.failed += 1
    return report


def mask(reminder: ReminderSent) -> str:
    """Who a history row went to, as the developer may see it (an asker's contact masked)."""
    if reminder.recipient is not None:
        return str(reminder.recipient)
    addresses = [d.address for d in reminder.deliveries.all()]
    return _("提问人（%(contact)s）") % {
        "contact": addresses[0] if addresses else "—"  # stored masked
    }
