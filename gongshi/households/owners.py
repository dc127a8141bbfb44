"""The owner's pre-handover inspection (交付前查验): proving ownership, recording problems,
the developer's answers, the owner's acceptance — each change of status logged.

An owner proves who they are in one of two ways, for one flat, for 24 hours:

- the purchase contract number and the phone number the developer recorded, both matching
  (keyed hashes, ``core.crypto``); attempts are limited per address and per flat
  (``core.ratelimit``), before the request body is read;
- a one-time code sent to the recorded phone through the platform's SMS hook and its limits
  (``participation.questions.send_verification_code``: one a minute, five an hour per number,
  twenty an hour per address). The answer to "send me a code" is the same whether or not the
  number is the flat's, so the page cannot be used to find out who owns a flat.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.core.crypto import lookup_hash
from gongshi.core.refusals import Refused
from gongshi.files.ingest import ingest_upload
from gongshi.households.archive import PHOTO_TYPES
from gongshi.households.models import (
    FlatArchive,
    InspectionProblem,
    OwnerSession,
    OwnerSessionMethod,
    ProblemAction,
    ProblemEvent,
    ProblemStatus,
    normalise_contract,
)
from gongshi.participation import questions
from gongshi.participation.tokens import digest, new_token

SESSION_LIFETIME = dt.timedelta(hours=24)
MAX_OPEN_PROBLEMS = 100


def _not_owner() -> ValidationError:
    return ValidationError(
        _("合同编号或手机号与建设单位登记的不一致，请核对购房合同后重试；如有变更请联系建设单位。"),
        code="not_owner",
    )


def _phone(raw: str) -> str:
    contact, kind = questions.normalise_contact(raw)
    if kind != "mobile":
        raise ValidationError({"phone": _("请填写 11 位手机号码。")}, code="invalid_phone")
    return contact


def _open_session(archive: FlatArchive, method: str, now: dt.datetime) -> str:
    token = new_token()
    OwnerSession.objects.create(
        archive=archive, token_hash=digest(token), method=method, created_at=now
    )
    return token


def verify_by_contract(
    archive: FlatArchive, contract_number: str, phone: str, *, now: dt.datetime | None = None
) -> str:
    """A token proving ownership when contract number and phone both match the record."""
    now = now or timezone.now()
    phone = _phone(phone)
    if (
        not archive.has_owner
        or lookup_hash(phone) != archive.owner_phone_hash
        or lookup_hash(normalise_contract(contract_number)) != archive.contract_number_hash
    ):
        raise _not_owner()
    return _open_session(archive, OwnerSessionMethod.CONTRACT, now)


def send_code(archive: FlatArchive, phone: str, ip: str | None) -> None:
    """Text a one-time code to ``phone`` if it is the flat's recorded number.

    Within the same limits as every verification code; for any other number nothing is sent
    and the caller is told the same thing (see the module's docstring).
    """
    phone = _phone(phone)
    if archive.has_owner and lookup_hash(phone) == archive.owner_phone_hash:
        questions.send_verification_code(phone, ip)


def verify_by_code(
    archive: FlatArchive, phone: str, code: str, *, now: dt.datetime | None = None
) -> str:
    """A token proving ownership from the code texted to the recorded phone."""
    now = now or timezone.now()
    phone = _phone(phone)
    if not archive.has_owner or lookup_hash(phone) != archive.owner_phone_hash:
        # The same answer as a wrong code: no code was ever sent to this number for this flat.
        raise ValidationError({"code": _("验证码已失效，请重新获取验证码。")}, code="code_expired")
    questions.confirm_code(phone, code, now=now)
    return _open_session(archive, OwnerSessionMethod.SMS, now)


def owner_session(token: str | None, *, now: dt.datetime | None = None) -> OwnerSession | None:
    """The live session behind a token (archive and flat loaded), or None."""
    if not token:
        return None
    now = now or timezone.now()
    return (
        OwnerSession.objects.select_related("archive__flat__building", "archive__project")
        .filter(token_hash=digest(token), created_at__gt=now - SESSION_LIFETIME)
        .first()
    )


def require_owner(archive: FlatArchive, token: str | None) -> OwnerSession:
    session = owner_session(token)
    if session is None or session.archive_id != archive.pk:
        raise Refused(
            _("请先验证您是本户业主（合同编号和手机号，或短信验证码），验证有效期 24 小时。"),
            code="owner_only",
        )
    return session


def _log(problem: InspectionProblem, action: str, *, user=None, note: str = "", now) -> None:
    ProblemEvent.objects.create(
        problem=problem, action=action, by_owner=user is None, user=user, note=note, at=now
    )


def record_problem(
    archive: FlatArchive,
    *,
    location: str,
    description: str,
    photo=None,
    now: dt.datetime | None = None,
) -> InspectionProblem:
    """The owner records a problem (location, description, an optional photo)."""
    now = now or timezone.now()
    location, description = (location or "").strip(), (description or "").strip()
    errors = {}
    if not location:
        errors["location"] = _("请写明问题位置，例如“主卧窗台”。")
    if len(description) < 4:
        errors["description"] = _("请描述问题（至少 4 个字），例如“窗台石材有裂缝”。")
    elif len(description) > 1000:
        errors["description"] = _("问题描述最多 1000 字。")
    if errors:
        raise ValidationError(errors, code="invalid_problem")
    questions.check_public_text(description, "description")  # no ID or phone numbers in text
    if archive.problems.exclude(status=ProblemStatus.ACCEPTED).count() >= MAX_OPEN_PROBLEMS:
        raise ValidationError(
            _("本户未确认的问题已有 %(n)d 条，请等建设单位答复后再提。") % {"n": MAX_OPEN_PROBLEMS},
            code="too_many_problems",
        )
    with transaction.atomic():
        stored = None
        if photo is not None:
            stored = ingest_upload(photo)
            if stored.content_type not in PHOTO_TYPES:
                raise ValidationError(
                    {"photo": _("照片须为 JPEG 或 PNG 图片。")}, code="not_a_photo"
                )
        problem = InspectionProblem.objects.create(
            archive=archive,
            location=location[:60],
            description=description,
            photo=stored,
            recorded_at=now,
            updated_at=now,
        )
        _log(problem, ProblemAction.RECORDED, note=description, now=now)
    return problem


def _locked(problem: InspectionProblem) -> InspectionProblem:
    return InspectionProblem.objects.select_for_update().get(pk=problem.pk)


def answer_problem(
    problem: InspectionProblem,
    user,
    *,
    answer: str,
    fix_by: dt.date,
    now: dt.datetime | None = None,
) -> InspectionProblem:
    """The developer answers with what will be done and by when."""
    now = now or timezone.now()
    answer = (answer or "").strip()
    errors = {}
    if len(answer) < 4:
        errors["answer"] = _("请写明整改措施（至少 4 个字）。")
    if fix_by is None:
        errors["fix_by"] = _("请填写整改完成日期。")
    elif fix_by < timezone.localdate(now):
        errors["fix_by"] = _("整改完成日期不能早于今天。")
    if errors:
        raise ValidationError(errors, code="invalid_answer")
    with transaction.atomic():
        problem = _locked(problem)
        if problem.status == ProblemStatus.ACCEPTED:
            raise ValidationError(
                _("业主已确认此问题整改完成，无需再答复。"), code="already_accepted"
            )
        problem.answer, problem.fix_by = answer[:1000], fix_by
        problem.status, problem.updated_at = ProblemStatus.ANSWERED, now
        problem.save(update_fields=["answer", "fix_by", "status", "updated_at"])
        _log(problem, ProblemAction.ANSWERED, user=user, note=answer, now=now)
    return problem


def owner_decides(
    problem: InspectionProblem, accepted: bool, *, note: str = "", now: dt.datetime | None = None
) -> InspectionProblem:
    """The owner accepts the fix, or reopens the problem with a note."""
    now = now or timezone.now()
    note = (note or "").strip()
    if not accepted and len(note) < 2:
        raise ValidationError(
            {"note": _("请说明仍存在的问题，例如“裂缝仍在”。")}, code="note_required"
        )
    with transaction.atomic():
        problem = _locked(problem)
        if problem.status != ProblemStatus.ANSWERED:
            raise ValidationError(_("建设单位答复后才能确认或重新提出。"), code="not_answered")
        problem.status = ProblemStatus.ACCEPTED if accepted else ProblemStatus.REOPENED
        problem.updated_at = now
        problem.save(update_fields=["status", "updated_at"])
        _log(
            problem,
            ProblemAction.ACCEPTED if accepted else ProblemAction.REOPENED,
            note=note,
            now=now,
        )
    return problem
