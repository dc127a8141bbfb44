"""Personal data kept no longer than needed (PIPL): contacts and names anonymised after a while.

``GONGSHI_PERSONAL_DATA_RETENTION_DAYS`` after a question was asked, its asker's contact is
blanked; the same many days after an open day, its visitors' names and contacts are. A
verification code's row (only a contact and hashes) goes after 30 days, past every rate-limit
window and token lifetime. The question, its answer and the open day stay public: only who
asked or came is forgotten. Idempotent: run it daily (``gongshi purge_personal_data``); each
run that changed something is in the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from gongshi.integrity.audit import record
from gongshi.participation.models import ContactVerification, Question, Registration

VERIFICATION_DAYS = 30
ANONYMISED = "anonymised:"


def _anonymised():
    # Unique per row: one open day's anonymised sign-ups must not collide on contact_hash.
    return Concat(Value(ANONYMISED), Cast(F("pk"), CharField()))


@transaction.atomic
def purge_personal_data(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.GONGSHI_PERSONAL_DATA_RETENTION_DAYS)
    questions = (
        Question.objects.filter(asked_at__lt=cutoff)
        .exclude(contact_hash__startswith=ANONYMISED)
        .update(contact="", contact_hash=_anonymised())
    )
    registrations = (
        Registration.objects.filter(open_day__date__lt=cutoff.date())
        .exclude(contact_hash__startswith=ANONYMISED)
        .update(name="", contact="", contact_hash=_anonymised())
    )
    verifications, _by_model = ContactVerification.objects.filter(
        created_at__lt=now - dt.timedelta(days=VERIFICATION_DAYS)
    ).delete()
    counts = {
        "questions": questions,
        "registrations": registrations,
        "verifications": verifications,
    }
    if any(counts.values()):
        record(None, "personal_data.purged", None, before=cutoff.isoformat(), **counts)
    return counts
