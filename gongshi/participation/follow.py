"""Following a project (关注): email with double opt-in, signed webhooks, and the events.

Events are recorded in the request's transaction; each subscriber gets a :class:`Delivery`
row, and a background task (django-tasks, database backend) sends it after the commit, so a
slow mail server or webhook receiver never slows a page. A webhook that fails is retried with
exponential back-off and given up after :data:`MAX_ATTEMPTS`; the subscription then shows as
failing until a later delivery succeeds.

Webhook requests are JSON POSTs signed with the subscription's secret::

    X-Gongshi-Timestamp: 1790000000
    X-Gongshi-Signature: sha256=HEX(HMAC_SHA256(secret, timestamp + "." + body))

Nothing but the challenge is sent to a new webhook: a POST ``{"event": "webhook.challenge",
"challenge": "<random>"}`` (signed the same way) that the endpoint must answer with a 2xx
whose body is the challenge itself or ``{"challenge": "<random>"}``. Until it has, it gets no
event; ``POST /api/v1/webhooks/<token>/`` sends a new challenge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.participation.models import (
    Delivery,
    DeliveryStatus,
    EmailSubscription,
    Event,
    EventKind,
    WebhookSubscription,
)
from gongshi.participation.tokens import field_error
from gongshi.projects.models import Project

logger = logging.getLogger(__name__)

# Work for the background worker is announced here, not queued: the tasks
# (``participation.tasks``) call these services, never the reverse, and queue the work when
# told (their receivers are connected in ``ParticipationConfig.ready``).
deliveries_created = Signal()  # ids: new Delivery pks, to send once the transaction commits
delivery_retry_due = Signal()  # delivery: a failed Delivery, to try again at next_attempt_at
confirmation_requested = Signal()  # subscription_id: an EmailSubscription to confirm
challenge_requested = Signal()  # subscription_id: a WebhookSubscription to challenge

MAX_ATTEMPTS = 6
FIRST_RETRY = dt.timedelta(seconds=30)
WEBHOOK_TIMEOUT_SECONDS = 10
CONFIRM_MAX_AGE = 7 * 24 * 3600
CONFIRM_RESEND_INTERVAL = dt.timedelta(minutes=10)
CHALLENGE_RESEND_INTERVAL = dt.timedelta(minutes=10)
_CONFIRM_SALT = "gongshi.follow.confirm"
_UNSUBSCRIBE_SALT = "gongshi.follow.unsubscribe"
_WEBHOOK_SALT = "gongshi.follow.webhook"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after ``attempts`` failures: 30 s, 2 min, 8 min, 32 min, …"""
    return FIRST_RETRY * (4 ** (attempts - 1))


# --- email ------------------------------------------------------------------------------


def confirm_token(subscription: EmailSubscription) -> str:
    return signing.dumps(subscription.pk, salt=_CONFIRM_SALT)


def unsubscribe_token(subscription: EmailSubscription) -> str:
    return signing.dumps(subscription.pk, salt=_UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription: EmailSubscription) -> str:
    return absolute(reverse("participation:unsubscribe", args=[unsubscribe_token(subscription)]))


def subscribe_email(project, raw_email: str, *, now=None) -> EmailSubscription:
    """Start a subscription; nothing is sent to it until the address confirms (double opt-in)."""
    now = now or timezone.now()
    email = (raw_email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise field_error(
            "email",
            _("邮箱地址格式不对，请检查后重新填写，例如 name@example.com。"),
            "invalid_email",
        ) from None
    local, _at, domain = email.rpartition("@")
    email = f"{local}@{domain.lower()}"
    subscription, created = EmailSubscription.objects.get_or_create(project=project, email=email)
    if subscription.is_active:
        return subscription
    if (
        not created
        and subscription.unsubscribed_at is None
        and (now - subscription.created_at < CONFIRM_RESEND_INTERVAL)
    ):
        raise ValidationError(
            _("确认邮件刚刚发出，请查收邮箱；10 分钟后仍未收到可再次订阅。"), code="rate_limited"
        )
    if not created:
        # Re-subscribing after an unsubscribe, or asking again for the confirmation mail.
        subscription.unsubscribed_at = None
        subscription.confirmed_at = None
        subscription.created_at = now
        subscription.save(update_fields=["unsubscribed_at", "confirmed_at", "created_at"])
    confirmation_requested.send(sender=EmailSubscription, subscription_id=subscription.pk)
    return subscription


def send_confirmation_mail(subscription_id: int) -> None:
    subscription = EmailSubscription.objects.select_related("project").get(pk=subscription_id)
    link = absolute(reverse("participation:confirm", args=[confirm_token(subscription)]))
    body = _(
        "您申请关注“%(project)s”的公示更新。\n\n请在 7 天内打开以下链接确认订阅：\n%(link)s\n\n"
        "如果不是您本人申请，请忽略本邮件，您不会收到任何后续邮件。"
    ) % {"project": subscription.project.name, "link": link}
    EmailMessage(
        _("请确认关注：%(project)s") % {"project": subscription.project.name},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
    ).send()


def confirm_subscription(token: str, *, now=None) -> EmailSubscription:
    try:
        pk = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(
            _("确认链接无效或已过期（7 天），请重新订阅。"), code="bad_link"
        ) from None
    subscription = EmailSubscription.objects.select_related("project").get(pk=pk)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = now or timezone.now()
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscription


def subscription_for_unsubscribe(token: str) -> EmailSubscription:
    try:
        pk = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise ValidationError(
            _("退订链接无效，请使用邮件中的完整链接。"), code="bad_link"
        ) from None
    return EmailSubscription.objects.select_related("project").get(pk=pk)


def unsubscribe(subscription: EmailSubscription, *, now=None) -> EmailSubscription:
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = now or timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


# --- webhooks ---------------------------------------------------------------------------


def _check_webhook_url(url: str) -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise field_error(
            "url", _("请填写以 http:// 或 https:// 开头的完整网址。"), "invalid_url"
        ) from None
    if getattr(settings, "GONGSHI_WEBHOOK_ALLOW_PRIVATE", False):
        return url
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        raise field_error(
            "url", _("无法解析该网址的域名，请检查后重新填写。"), "invalid_url"
        ) from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise field_error("url", _("回调地址须是公网地址，不能指向内网或本机。"), "private_url")
    return url


def register_webhook(project, url: str) -> tuple[WebhookSubscription, str]:
    """Register a URL; returns it and the management token (to read status or remove it)."""
    url = _check_webhook_url(url)
    if WebhookSubscription.objects.filter(project=project, removed_at__isnull=True).count() >= 50:
        raise ValidationError(_("此项目的 Webhook 订阅已达上限（50 个）。"), code="limit")
    subscription = WebhookSubscription.objects.create(
        project=project, url=url, secret=secrets.token_hex(32)
    )
    request_challenge(subscription)
    return subscription, signing.dumps(subscription.pk, salt=_WEBHOOK_SALT)


def request_challenge(subscription: WebhookSubscription, *, now=None) -> None:
    """Send (in the background) a new challenge; an unconfirmed webhook gets nothing else.
    One challenge per :data:`CHALLENGE_RESEND_INTERVAL`, so the API cannot be used to hammer
    someone else's server with them."""
    now = now or timezone.now()
    if subscription.challenged_at and now - subscription.challenged_at < CHALLENGE_RESEND_INTERVAL:
        raise ValidationError(_("验证请求刚刚发出，请 10 分钟后再重新发送。"), code="rate_limited")
    subscription.challenge = secrets.token_urlsafe(32)
    subscription.challenged_at = now
    subscription.save(update_fields=["challenge", "challenged_at"])
    challenge_requested.send(sender=WebhookSubscription, subscription_id=subscription.pk)


CHALLENGE_REPLY_LIMIT = 4096  # bytes of the endpoint's answer read, at most


def _signed_post(subscription: WebhookSubscription, payload: dict, headers: dict):
    body = json.dumps(payload, ensure_ascii=False).encode()
    timestamp = int(timezone.now().timestamp())
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Gongshi-Webhook/1",
            "X-Gongshi-Timestamp": str(timestamp),
            "X-Gongshi-Signature": sign(subscription.secret, timestamp, body),
            **headers,
        },
    )
    return urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS)


def _echoes(reply: bytes, challenge: str) -> bool:
    text = reply.decode("utf-8", "replace").strip()
    if text == challenge:
        return True
    try:
        answer = json.loads(text)
    except ValueError:
        return False
    return isinstance(answer, dict) and answer.get("challenge") == challenge


def challenge_webhook(subscription_id: int, *, now: dt.datetime | None = None) -> bool:
    """POST the challenge; the webhook is confirmed if the endpoint echoes it. Returns that."""
    subscription = (
        WebhookSubscription.objects.select_related("project")
        .filter(pk=subscription_id, removed_at__isnull=True)
        .first()
    )
    if subscription is None or subscription.is_confirmed or not subscription.challenge:
        return bool(subscription and subscription.is_confirmed)
    payload = {
        "event": "webhook.challenge",
        "challenge": subscription.challenge,
        "project": {"code": subscription.project.code, "name": subscription.project.name},
    }
    error = ""
    try:
        with _signed_post(subscription, payload, {"X-Gongshi-Event": "webhook.challenge"}) as reply:
            if not 200 <= reply.status < 300:
                error = f"HTTP {reply.status}"
            elif not _echoes(reply.read(CHALLENGE_REPLY_LIMIT), subscription.challenge):
                error = _("回调地址的应答中没有原样返回 challenge，请返回请求中的 challenge 值。")
    except Exception as exc:  # any failure of the far end: network, HTTP status
        error = f"{type(exc).__name__}: {exc}"
    if error:
        subscription.last_error = error[:300]
        subscription.save(update_fields=["last_error"])
        logger.info("webhook %s failed its challenge: %s", subscription.pk, error)
        return False
    subscription.confirmed_at = now or timezone.now()
    subscription.last_error = ""
    subscription.save(update_fields=["confirmed_at", "last_error"])
    return True


def webhook_for_token(token: str) -> WebhookSubscription | None:
    try:
        pk = signing.loads(token, salt=_WEBHOOK_SALT)
    except signing.BadSignature:
        return None
    return WebhookSubscription.objects.filter(pk=pk, removed_at__isnull=True).first()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


# --- events -----------------------------------------------------------------------------


def record_event(project, kind: str, title: str, path: str, payload: dict | None = None) -> Event:
    """Record an event and queue a delivery to every active subscriber of the project."""
    event = Event.objects.create(
        project=project, kind=kind, title=title, url=absolute(path), payload=payload or {}
    )
    deliveries = [
        Delivery(event=event, email_subscription=s)
        for s in EmailSubscription.objects.filter(
            project=project, confirmed_at__isnull=False, unsubscribed_at__isnull=True
        )
    ] + [
        Delivery(event=event, webhook=w)
        for w in WebhookSubscription.objects.filter(
            project=project, confirmed_at__isnull=False, removed_at__isnull=True
        )
    ]
    created = Delivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in created]
    if ids:
        deliveries_created.send(sender=Delivery, ids=ids)
    return event


def project_path(project) -> str:
    return f"/p/{project.code}/"


def disclosure_published(version_id: int) -> Event | None:
    from gongshi.disclosures.models import DisclosureVersion, VersionKind

    version = (
        DisclosureVersion.objects.select_related("disclosure__project", "disclosure__item")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return None
    project, item = version.disclosure.project, version.disclosure.item
    kind = {
        VersionKind.PUBLICATION: EventKind.DISCLOSURE_PUBLISHED,
        VersionKind.CORRECTION: EventKind.DISCLOSURE_CORRECTED,
        VersionKind.WITHDRAWAL: EventKind.DISCLOSURE_WITHDRAWN,
        VersionKind.INAPPLICABLE: EventKind.DISCLOSURE_INAPPLICABLE,
    }[version.kind]
    title = _("%(project)s：%(item)s（第 %(n)s 版，%(kind)s）") % {
        "project": project.name,
        "item": item.title,
        "n": version.number,
        "kind": version.get_kind_display(),
    }
    with transaction.atomic():
        return record_event(
            project,
            kind,
            title,
            project_path(project),
            {
                "item": item.code,
                "version": version.number,
                "kind": version.kind,
                "reason": version.reason,
                "published_at": version.published_at.isoformat(),
            },
        )


def question_answered(question) -> Event:
    return record_event(
        question.project,
        EventKind.QUESTION_ANSWERED,
        _("%(project)s：建设单位答复了一个%(kind)s")
        % {
            "project": question.project.name,
            "kind": question.get_kind_display(),
        },
        reverse("participation:questions", args=[question.project.code]) + f"#q{question.pk}",
        {"question": question.pk, "answered_at": question.answered_at.isoformat()},
    )


def open_day_scheduled(open_day) -> Event:
    return record_event(
        open_day.project,
        EventKind.OPEN_DAY_SCHEDULED,
        _("%(project)s：%(date)s 工地开放日")
        % {
            "project": open_day.project.name,
            "date": open_day.date.isoformat(),
        },
        reverse("participation:open_day", args=[open_day.project.code, open_day.pk]),
        {
            "open_day": open_day.pk,
            "date": open_day.date.isoformat(),
            "start": open_day.start_time.isoformat(timespec="minutes"),
            "place": open_day.place,
            "capacity": open_day.capacity,
        },
    )


def open_day_reported(open_day) -> Event:
    return record_event(
        open_day.project,
        EventKind.OPEN_DAY_REPORTED,
        _("%(project)s：%(date)s 工地开放日报告已公布")
        % {
            "project": open_day.project.name,
            "date": open_day.date.isoformat(),
        },
        reverse("participation:open_day", args=[open_day.project.code, open_day.pk]),
        {"open_day": open_day.pk, "attendance": open_day.attendance},
    )


def regulator_recorded(record_id: int) -> Event | None:
    from django.apps import apps

    record = (
        apps.get_model("supervision", "RegulatorRecord")
        .objects.select_related("project", "subject")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        return None
    if record.project_id is not None:
        projects = [record.project]
    else:
        # An enterprise-level decision: news for the followers of each of its projects.
        from django.db.models import Q

        projects = list(
            Project.objects.filter(
                Q(developer=record.subject) | Q(participations__organisation=record.subject)
            )
            .distinct()
            .order_by("pk")
        )
    event = None
    with transaction.atomic():
        for project in projects:
            event = record_event(
                project,
                EventKind.REGULATOR_RECORD,
                _("%(project)s：%(kind)s（%(subject)s）")
                % {
                    "project": project.name,
                    "kind": record.get_kind_display(),
                    "subject": record.subject.name,
                },
                project_path(project),
                {
                    "record": record.pk,
                    "kind": record.kind,
                    "event": record.event,
                    "subject": record.subject.name,
                    "decided_on": record.decided_on.isoformat(),
                    "reason": record.reason,
                },
            )
    return event


def stage_corrected(correction_id: int) -> Event | None:
    """A regulator corrected the project's stage dates: published like a correction."""
    from gongshi.projects.models import StageCorrection

    correction = (
        StageCorrection.objects.select_related("project", "regulator")
        .filter(pk=correction_id)
        .first()
    )
    if correction is None:
        return None
    changes = [f"{label} {before} → {after}" for label, before, after in correction.changes]
    project = correction.project
    with transaction.atomic():
        return record_event(
            project,
            EventKind.STAGE_CORRECTED,
            _("%(project)s：%(regulator)s更正了阶段日期（%(changes)s）")
            % {
                "project": project.name,
                "regulator": correction.regulator.name,
                "changes": "；".join(changes),
            },
            project_path(project) + "#stage-corrections",
            {
                "correction": correction.pk,
                "regulator": correction.regulator.name,
                "reason": correction.reason,
                "before": correction.before,
                "after": correction.after,
                "leaf_index": correction.leaf_index,
            },
        )


# --- delivery (runs in the background task) ---------------------------------------------


def _post_webhook(delivery: Delivery) -> None:
    event = delivery.event
    payload = {
        "delivery": delivery.pk,
        "event": event.kind,
        "title": event.title,
        "url": event.url,
        "project": {"code": event.project.code, "name": event.project.name},
        "created_at": event.created_at.isoformat(),
        "data": event.payload,
    }
    headers = {"X-Gongshi-Event": event.kind, "X-Gongshi-Delivery": str(delivery.pk)}
    with _signed_post(delivery.webhook, payload, headers) as response:
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(
                delivery.webhook.url, response.status, "not 2xx", response.headers, None
            )


def _send_event_mail(delivery: Delivery) -> None:
    subscription = delivery.email_subscription
    if not subscription.is_active:
        return
    event = delivery.event
    link = unsubscribe_url(subscription)
    body = _("%(title)s\n\n查看详情：%(url)s\n\n不想再收到此项目的邮件？一键退订：%(link)s") % {
        "title": event.title,
        "url": event.url,
        "link": link,
    }
    EmailMessage(
        event.title,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


def attempt_delivery(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Try one delivery once; on failure, schedule the next try or give up. Returns the status."""
    delivery = (
        Delivery.objects.select_related("event__project", "webhook", "email_subscription")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return delivery.status if delivery else "missing"
    try:
        if delivery.webhook_id:
            if delivery.webhook.removed_at is not None or not delivery.webhook.is_confirmed:
                return delivery.status
            _post_webhook(delivery)
        else:
            _send_event_mail(delivery)
    except Exception as exc:  # any failure of the far end: network, HTTP status, SMTP
        return _failed(delivery, exc, now or timezone.now())
    now = now or timezone.now()
    delivery.status = DeliveryStatus.DELIVERED
    delivery.attempts += 1
    delivery.delivered_at = now
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "attempts", "delivered_at", "next_attempt_at"])
    if delivery.webhook_id and delivery.webhook.failing_since:
        WebhookSubscription.objects.filter(pk=delivery.webhook_id).update(
            failing_since=None, last_error=""
        )
    return delivery.status


def _failed(delivery: Delivery, exc: Exception, now: dt.datetime) -> str:
    error = f"{type(exc).__name__}: {exc}"[:300]
    delivery.attempts += 1
    delivery.last_error = error
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.GAVE_UP
        delivery.next_attempt_at = None
        if delivery.webhook_id:
            WebhookSubscription.objects.filter(pk=delivery.webhook_id).update(
                failing_since=now, last_error=error
            )
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    if delivery.status == DeliveryStatus.PENDING:
        _schedule(delivery)
    logger.info("delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error)
    return delivery.status


def _schedule(delivery: Delivery) -> None:
    delivery_retry_due.send(sender=Delivery, delivery=delivery)
