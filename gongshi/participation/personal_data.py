"""A person's request about their data (PIPL arts. 45 and 47): an administrator exports
everything stored for a phone number or e-mail address, or erases it.

What is stored for a contact: the questions asked with it (the contact and the address they
were sent from), open-day sign-ups (name and contact), verification codes, and e-mail
subscriptions. **Export** returns all of it as one JSON document. **Erasure** anonymises the
questions and sign-ups as the retention purge does (the question, its answer and the open day
stay public: they are the record; who asked or came is forgotten), deletes the verification
rows and the e-mail subscriptions with their deliveries. Both are administrators' acts and
both are in the audit log — under the contact's lookup hash, never the contact itself.
Apps above this one add what they keep for a contact through :func:`register` (the
reminders: a signed-in user's SMS number and the addresses reminders were sent to).

Called by ``gongshi export_personal_data`` / ``erase_personal_data`` and the administrators'
page ``/participation/admin/personal-data/`` (and the question admin's action).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.core.crypto import lookup_hash
from gongshi.integrity.audit import record
from gongshi.participation.models import (
    ContactKind,
    ContactVerification,
    EmailSubscription,
    Question,
    Registration,
)
from gongshi.participation.questions import normalise_contact
from gongshi.participation.retention import ANONYMISED
from gongshi.participation.tokens import field_error

EXPORTED = "personal_data.exported"
ERASED = "personal_data.erased"


@dataclass(frozen=True)
class Source:
    """Personal data another app keeps for a contact (registered in its ``AppConfig.ready``, so
    this app, on a lower floor, knows none of them): a section of the export and what erasure
    does to it. ``export(contact, kind)`` returns the section's rows as JSON-ready dicts;
    ``erase(contact, kind)`` removes or masks them and returns how many rows it changed."""

    section: str
    #: what the erasure message calls the rows, e.g. "提醒短信号码"
    label: str
    export: Callable[[str, str], list[dict]]
    erase: Callable[[str, str], int]


#: The registered sources, in registration order.
SOURCES: list[Source] = []


def register(source: Source) -> None:
    if all(s.section != source.section for s in SOURCES):
        SOURCES.append(source)


@dataclass
class PersonsData:
    """The rows stored for one contact."""

    contact: str
    kind: str
    questions: QuerySet
    registrations: QuerySet
    verifications: QuerySet
    subscriptions: QuerySet

    @property
    def lookup(self) -> str:
        return lookup_hash(self.contact)

    def counts(self) -> dict[str, int]:
        return {
            "questions": self.questions.count(),
            "registrations": self.registrations.count(),
            "verifications": self.verifications.count(),
            "subscriptions": self.subscriptions.count(),
        }


def _require_admin(request_or_user) -> None:
    user = getattr(request_or_user, "user", request_or_user)
    if not (user is not None and user.is_authenticated and user.is_superuser):
        raise ValidationError(_("只有平台管理员可以导出或删除个人信息。"), code="not_admin")


def find(raw_contact: str) -> PersonsData:
    """Everything stored for a phone number or e-mail address (normalised as when stored)."""
    contact, kind = normalise_contact(raw_contact)
    digest = lookup_hash(contact)
    subscriptions = (
        EmailSubscription.objects.filter(email__iexact=contact)
        if kind == ContactKind.EMAIL
        else EmailSubscription.objects.none()
    )
    return PersonsData(
        contact=contact,
        kind=kind,
        questions=Question.objects.filter(contact_hash=digest).select_related("project"),
        registrations=Registration.objects.filter(contact_hash=digest).select_related(
            "open_day__project"
        ),
        verifications=ContactVerification.objects.filter(contact_hash=digest),
        subscriptions=subscriptions.select_related("project"),
    )


def for_question(question: Question) -> PersonsData:
    """The data of whoever asked ``question`` (an anonymised question has none)."""
    if not question.contact:
        raise ValidationError(_("此问题的提问人信息已匿名化，没有可导出的个人信息。"), code="none")
    return find(question.contact)


def _when(value):
    return value.isoformat() if value else None


def export(person: PersonsData, request_or_user) -> dict:
    """The JSON document of everything stored for the person; the export is audit-logged."""
    _require_admin(request_or_user)
    document = {
        "contact": person.contact,
        "contact_kind": person.kind,
        "exported_at": timezone.now().isoformat(),
        "questions": [
            {
                "id": q.pk,
                "project": q.project.code,
                "project_name": q.project.name,
                "kind": q.kind,
                "asked_at": _when(q.asked_at),
                "body": q.body,
                "contact": q.contact,
                "ip": q.ip,
                "answer": q.answer,
                "answered_at": _when(q.answered_at),
                "resolution": q.resolution,
                "hidden_at": _when(q.hidden_at),
            }
            for q in person.questions.order_by("asked_at")
        ],
        "open_day_registrations": [
            {
                "id": r.pk,
                "project": r.open_day.project.code,
                "open_day": r.open_day.date.isoformat(),
                "place": r.open_day.place,
                "name": r.name,
                "contact": r.contact,
                "registered_at": _when(r.created_at),
            }
            for r in person.registrations.order_by("created_at")
        ],
        "verification_codes": [
            {"sent_at": _when(v.created_at), "confirmed_at": _when(v.confirmed_at)}
            for v in person.verifications.order_by("created_at")
        ],
        "email_subscriptions": [
            {
                "project": s.project.code,
                "email": s.email,
                "subscribed_at": _when(s.created_at),
                "confirmed_at": _when(s.confirmed_at),
                "unsubscribed_at": _when(s.unsubscribed_at),
            }
            for s in person.subscriptions.order_by("created_at")
        ],
    }
    for source in SOURCES:
        document[source.section] = source.export(person.contact, person.kind)
    sections = ("questions", "open_day_registrations", "verification_codes", "email_subscriptions")
    counts = {key: len(document[key]) for key in [*sections, *(s.section for s in SOURCES)]}
    record(request_or_user, EXPORTED, None, contact_hash=person.lookup, **counts)
    return document


@transaction.atomic
def erase(person: PersonsData, request_or_user, *, reason: str) -> dict[str, int]:
    """Anonymise the person's questions and sign-ups, delete the rest; audit-logged."""
    _require_admin(request_or_user)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("请填写删除依据（如申请编号），删除会被记录。"), "reason")
    lookup = person.lookup
    counts = {
        "questions": sum(
            Question.objects.filter(pk=q.pk).update(
                contact="", contact_hash=f"{ANONYMISED}{q.pk}", ip=None
            )
            for q in person.questions.select_related(None).only("pk")
        ),
        "registrations": sum(
            Registration.objects.filter(pk=r.pk).update(
                name="", contact="", contact_hash=f"{ANONYMISED}{r.pk}"
            )
            for r in person.registrations.select_related(None).only("pk")
        ),
        "verifications": person.verifications.delete()[0],
        "subscriptions": person.subscriptions.count(),
    }
    person.subscriptions.delete()  # their deliveries go with them (CASCADE)
    for source in SOURCES:
        counts[source.section] = source.erase(person.contact, person.kind)
    record(request_or_user, ERASED, None, contact_hash=lookup, reason=reason, **counts)
    return counts


def as_download(document: dict) -> JsonResponse:
    """The export as a JSON file to save (the administrator hands it to the person)."""
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    response["Cache-Control"] = "no-store"
    return response
