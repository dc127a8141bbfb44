"""Questions and complaints (咨询、投诉): contact verification, asking, answering, resolving,
hiding, and the working-day deadline derived at read time.

The HTML views and the API both call these functions; they raise
:class:`django.core.exceptions.ValidationError` with a code and a sentence saying what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.core.crypto import lookup_hash
from gongshi.core.refusals import RateLimited
from gongshi.disclosures.privacy import contains_mobile, contains_resident_id
from gongshi.participation import sms
from gongshi.participation.models import (
    ContactKind,
    ContactVerification,
    Question,
    QuestionKind,
    Resolution,
    touch,
)
from gongshi.participation.tokens import digest, field_error, new_code, new_token
from gongshi.participation.workdays import (
    WorkingCalendar,
    answer_deadline,
    answer_deadline_working_days,
    calendar_for,
    is_provisional,
)

CODE_LIFETIME = dt.timedelta(minutes=10)
TOKEN_LIFETIME = dt.timedelta(hours=24)
MAX_CODE_ATTEMPTS = 5
# Codes: one a minute and five an hour per contact; twenty an hour per IP address.
CODE_INTERVAL = dt.timedelta(seconds=60)
CODES_PER_CONTACT_PER_HOUR = 5
CODES_PER_IP_PER_HOUR = 20
# Questions: five a day per contact, twenty a day per IP address.
QUESTIONS_PER_CONTACT_PER_DAY = 5
QUESTIONS_PER_IP_PER_DAY = 20
BODY_MIN, BODY_MAX = 5, 2000
CONTACT_VIEWED = "question.contact_viewed"

# Sent, in the answering transaction, when the developer has answered: the followers hear of
# it (``follow``, through ``signals``) and the asker is told (``tasks``). Questions emit the
# event; they know neither who follows nor how a notice is sent.
question_answered = Signal()  # question: the Question just answered

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_contact(raw: str) -> tuple[str, str]:
    """(contact, kind) for an email address or a mainland mobile number."""
    value = (raw or "").strip()
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise field_error(
                "contact",
                _("邮箱地址格式不对，请检查后重新填写，例如 name@example.com。"),
                "invalid_contact",
            ) from None
        local, _at, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}", ContactKind.EMAIL
    digits = re.sub(r"[\s-]", "", value).removeprefix("+86").removeprefix("0086")
    if _MOBILE.match(digits):
        return digits, ContactKind.MOBILE
    raise field_error("contact", _("请填写电子邮箱或 11 位手机号码。"), "invalid_contact")


def _rate_limited(
    message: str, oldest: dt.datetime | None, window: dt.timedelta, now
) -> RateLimited:
    """429 with Retry-After: when the oldest counted attempt leaves the window."""
    retry = (oldest + window - now).total_seconds() if oldest else window.total_seconds()
    return RateLimited(message, int(retry + 0.999))


def _oldest(queryset, field: str) -> dt.datetime | None:
    return queryset.order_by(field).values_list(field, flat=True).first()


def send_verification_code(
    raw_contact: str, ip: str | None, *, now: dt.datetime | None = None
) -> ContactVerification:
    """Send a one-time code to a contact, within the rate limits."""
    now = now or timezone.now()
    contact, kind = normalise_contact(raw_contact)
    hour_ago = now - dt.timedelta(hours=1)
    recent = ContactVerification.objects.filter(
        contact_hash=lookup_hash(contact), created_at__gt=hour_ago
    )
    hour = dt.timedelta(hours=1)
    if latest := recent.filter(created_at__gt=now - CODE_INTERVAL).order_by("-created_at").first():
        raise _rate_limited(
            _("验证码刚刚发出，请等 1 分钟后再重新获取。"), latest.created_at, CODE_INTERVAL, now
        )
    if recent.count() >= CODES_PER_CONTACT_PER_HOUR:
        raise _rate_limited(
            _("此联系方式一小时内获取验证码次数过多，请一小时后再试。"),
            _oldest(recent, "created_at"),
            hour,
            now,
        )
    by_ip = ContactVerification.objects.filter(ip=ip, created_at__gt=hour_ago)
    if ip and by_ip.count() >= CODES_PER_IP_PER_HOUR:
        raise _rate_limited(
            _("您所在网络一小时内获取验证码次数过多，请稍后再试。"),
            _oldest(by_ip, "created_at"),
            hour,
            now,
        )
    code = new_code()
    verification = ContactVerification(
        contact=contact,
        contact_kind=kind,
        code_hash=digest(code),
        ip=ip,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    verification.save()
    message = _("您的验证码是 %(code)s，10 分钟内有效。如非本人操作，请忽略。") % {"code": code}
    if kind == ContactKind.EMAIL:
        send_mail(
            _("住宅工程质量信息公示平台验证码"),
            message,
            settings.DEFAULT_FROM_EMAIL,
            [contact],
        )
    else:
        sms.send_sms(contact, message)
    return verification


def confirm_code(raw_contact: str, code: str, *, now: dt.datetime | None = None) -> str:
    """Check a code; returns a token that proves the contact for the next 24 hours."""
    now = now or timezone.now()
    contact, _kind = normalise_contact(raw_contact)
    verification = (
        ContactVerification.objects.filter(
            contact_hash=lookup_hash(contact), confirmed_at__isnull=True
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if verification is None or verification.expires_at <= now:
        raise field_error("code", _("验证码已失效，请重新获取验证码。"), "code_expired")
    if verification.failed_attempts >= MAX_CODE_ATTEMPTS:
        raise field_error("code", _("验证码错误次数过多，请重新获取验证码。"), "too_many_attempts")
    if digest((code or "").strip()) != verification.code_hash:
        ContactVerification.objects.filter(pk=verification.pk).update(
            failed_attempts=verification.failed_attempts + 1
        )
        raise field_error("code", _("验证码不正确，请检查后重新输入。"), "wrong_code")
    token = new_token()
    verification.token_hash = digest(token)
    verification.confirmed_at = now
    verification.save(update_fields=["token_hash", "confirmed_at"])
    return token


def verified_contact(token: str | None, *, now: dt.datetime | None = None):
    """The confirmed verification behind a token, or None if unknown or older than 24 hours."""
    if not token:
        return None
    now = now or timezone.now()
    return ContactVerification.objects.filter(
        token_hash=digest(token), confirmed_at__gt=now - TOKEN_LIFETIME
    ).first()


def require_verified_contact(token: str | None, *, now: dt.datetime | None = None):
    verification = verified_contact(token, now=now)
    if verification is None:
        raise ValidationError(
            _("请先验证您的电子邮箱或手机号码（验证有效期 24 小时）。"), code="not_verified"
        )
    return verification


def check_public_text(text: str, field: str = "body") -> None:
    """Refuse personal data in text that will be published."""
    if contains_resident_id(text) or contains_mobile(text):
        raise ValidationError(
            {
                field: _(
                    "内容将公开显示，请删去其中的身份证号码或手机号码；"
                    "您的联系方式已单独保存，不会公开。"
                )
            },
            code="personal_data",
        )


@transaction.atomic
def ask_question(
    project,
    token: str | None,
    *,
    body: str,
    kind: str = QuestionKind.QUESTION,
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Question, str]:
    """Record a question; returns it and the asker's private token (for their private link)."""
    now = now or timezone.now()
    verification = require_verified_contact(token, now=now)
    body = (body or "").strip()
    if kind not in QuestionKind.values:
        raise field_error("kind", _("请选择“咨询”或“投诉”。"), "invalid_kind")
    if len(body) < BODY_MIN:
        raise field_error(
            "body", _("请把问题写清楚，至少 %(n)d 个字。") % {"n": BODY_MIN}, "too_short"
        )
    if len(body) > BODY_MAX:
        raise field_error(
            "body", _("内容最多 %(n)d 个字，请精简后再提交。") % {"n": BODY_MAX}, "too_long"
        )
    check_public_text(body)
    day = dt.timedelta(days=1)
    by_contact = Question.objects.filter(
        contact_hash=verification.contact_hash, asked_at__gt=now - day
    )
    if by_contact.count() >= QUESTIONS_PER_CONTACT_PER_DAY:
        raise _rate_limited(
            _("同一联系方式一天内最多提问 5 次，请明天再提交。"),
            _oldest(by_contact, "asked_at"),
            day,
            now,
        )
    by_ip = Question.objects.filter(ip=ip, asked_at__gt=now - day)
    if ip and by_ip.count() >= QUESTIONS_PER_IP_PER_DAY:
        raise _rate_limited(
            _("您所在网络今天提问次数过多，请明天再提交。"), _oldest(by_ip, "asked_at"), day, now
        )
    asker_token = new_token()
    question = Question.objects.create(
        project=project,
        kind=kind,
        body=body,
        contact=verification.contact,
        contact_kind=verification.contact_kind,
        asker_token_hash=digest(asker_token),
        ip=ip,
        asked_at=now,
        deadline_working_days=answer_deadline_working_days(project.region),
    )
    touch(project.pk)
    return question, asker_token


def question_for_asker(asker_token: str) -> Question | None:
    if not asker_token:
        return None
    return (
        Question.objects.select_related("project")
        .filter(asker_token_hash=digest(asker_token))
        .first()
    )


@transaction.atomic
def answer_question(
    question: Question, user, text: str, *, now: dt.datetime | None = None
) -> Question:
    """The developer's answer. Once given, an answer stands (the public saw it)."""
    from gongshi.participation.access import is_developer_member

    now = now or timezone.now()
    if not is_developer_member(user, question.project):
        raise ValidationError(_("只有本项目建设单位的人员可以答复。"), code="not_developer")
    # Lock the row so two colleagues answering at once cannot both succeed.
    if Question.objects.select_for_update().get(pk=question.pk).is_answered:
        raise ValidationError(_("此问题已经答复过，答复不能修改。"), code="already_answered")
    text = (text or "").strip()
    if len(text) < 2:
        raise field_error("answer", _("请填写答复内容。"), "answer_required")
    if len(text) > 4000:
        raise field_error("answer", _("答复最多 4000 个字，请精简。"), "too_long")
    check_public_text(text, "answer")
    question.answer = text
    question.answered_at = now
    question.answered_by = user
    question.save(update_fields=["answer", "answered_at", "answered_by"])
    touch(question.project_id)
    question_answered.send(sender=Question, question=question)
    return question


def send_answer_notice(question_id: int) -> None:
    """E-mail or text the asker that their question has an answer, with the link to read it."""
    question = Question.objects.select_related("project").get(pk=question_id)
    link = (
        settings.SITE_URL
        + reverse("participation:questions", args=[question.project.code])
        + f"#q{question.pk}"
    )
    message = _(
        "您在“%(project)s”提出的%(kind)s已有答复：%(link)s 。"
        "如问题已解决或仍未解决，请用提问时获得的专用链接告诉我们。"
    ) % {"project": question.project.name, "kind": question.get_kind_display(), "link": link}
    if question.contact_kind == ContactKind.EMAIL:
        send_mail(
            _("您的提问已有答复 · 住宅工程质量信息公示平台"),
            message,
            settings.DEFAULT_FROM_EMAIL,
            [question.contact],
        )
    else:
        sms.send_sms(question.contact, message)


def set_resolution(
    question: Question, resolved: bool, *, now: dt.datetime | None = None
) -> Question:
    """The asker says whether the answer resolved the question (答复 ≠ 解决)."""
    if not question.is_answered:
        raise ValidationError(_("建设单位答复后才能评价是否解决。"), code="not_answered")
    question.resolution = Resolution.RESOLVED if resolved else Resolution.NOT_RESOLVED
    question.resolution_at = now or timezone.now()
    question.save(update_fields=["resolution", "resolution_at"])
    touch(question.project_id)
    return question


def hide_question(question: Question, user, reason: str, *, now=None) -> Question:
    """An administrator hides a question; a placeholder with the reason stays public."""
    if not user.is_superuser:
        raise ValidationError(_("只有平台管理员可以屏蔽问题。"), code="not_admin")
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("请填写屏蔽原因，它会公开显示。"), "reason")
    if len(reason) > 200:
        raise field_error("reason", _("屏蔽原因最多 200 个字。"), "reason")
    question.hidden_at = now or timezone.now()
    question.hidden_reason = reason
    question.hidden_by = user
    question.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    touch(question.project_id)
    return question


def reveal_contact(question: Question, request_or_user, *, where: str, reason: str) -> str:
    """An administrator reads an asker's contact; the reading goes to the audit log first.

    ``request_or_user``: the request when there is one (the log then has the IP address).
    """
    from gongshi.integrity.audit import record

    user = getattr(request_or_user, "user", request_or_user)
    if not (user and user.is_authenticated and user.is_superuser):
        raise ValidationError(_("只有平台管理员可以查看提问人联系方式。"), code="not_admin")
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("请填写查看原因，查看会被记录。"), "reason")
    record(request_or_user, CONTACT_VIEWED, question, where=where, reason=reason)
    return question.contact


def contact_views(question: Question):
    """Audit events of readings of this question's contact, newest first."""
    from gongshi.integrity.models import AuditEvent

    return AuditEvent.objects.filter(
        action=CONTACT_VIEWED, object_type="participation.question", object_id=str(question.pk)
    ).order_by("-created_at")


@dataclass
class QuestionState:
    """A question with its deadline and status, derived now from the calendar."""

    question: Question
    deadline: dt.date
    today: dt.date
    # The deadline crosses a year whose holiday arrangement is not entered yet: it was counted
    # on weekends alone and moves when the holidays are entered.
    provisional: bool = False

    @property
    def is_overdue(self) -> bool:
        """Unanswered after the last day of its deadline."""
        return not self.question.is_answered and self.today > self.deadline

    @property
    def answered_late(self) -> bool:
        q = self.question
        return q.is_answered and timezone.localdate(q.answered_at) > self.deadline

    @property
    def status(self) -> str:
        if self.question.is_answered:
            return "answered_late" if self.answered_late else "answered"
        return "overdue" if self.is_overdue else "waiting"

    @property
    def status_label(self) -> str:
        return {
            "answered": _("已答复"),
            "answered_late": _("逾期答复"),
            "overdue": _("已逾期未答复"),
            "waiting": _("待答复"),
        }[self.status]

    @property
    def status_class(self) -> str:
        return {
            "answered": "ok",
            "answered_late": "warn",
            "overdue": "bad",
            "waiting": "warn",
        }[self.status]


def with_deadlines(
    questions, *, now: dt.datetime | None = None, cal: WorkingCalendar | None = None
) -> list[QuestionState]:
    """Each question with its deadline; one calendar query for the whole list."""
    questions = list(questions)
    today = timezone.localdate(now or timezone.now())
    cal = cal or calendar_for([timezone.localdate(q.asked_at) for q in questions])
    states = []
    for q in questions:
        deadline = answer_deadline(q.asked_at, q.deadline_working_days, cal)
        provisional = is_provisional(timezone.localdate(q.asked_at), deadline)
        states.append(QuestionState(q, deadline, today, provisional))
    return states


def rates(questions, *, now: dt.datetime | None = None) -> dict[str, int | float | None]:
    """Counts a regulator compares: answered, resolved, overdue — and the two rates."""
    return rates_of(with_deadlines(questions, now=now))


def rates_of(states: list[QuestionState]) -> dict[str, int | float | None]:
    total = len(states)
    answered = sum(s.question.is_answered for s in states)
    resolved = sum(s.question.resolution == Resolution.RESOLVED for s in states)
    return {
        "total": total,
        "answered": answered,
        "resolved": resolved,
        "overdue": sum(s.is_overdue for s in states),
        "answered_late": sum(s.answered_late for s in states),
        "answer_rate": round(answered / total, 3) if total else None,
        "resolve_rate": round(resolved / total, 3) if total else None,
    }
