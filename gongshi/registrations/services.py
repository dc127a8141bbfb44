"""Self-registration of companies and the regulator's decision on it.

The browser pages and the API call these functions; the forms (``forms.py``) check the input
for both. A company registers with its account, its particulars and its business-licence
scan; it may then prepare disclosures (the workspace lets it), while the publishing path
(``disclosures.services.ensure_may_publish``) refuses until a regulator of its city approves.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.accounts.models import User
from gongshi.core.choices import OrganisationType
from gongshi.core.refusals import Refused
from gongshi.files.ingest import clean_file_name, ingest_upload
from gongshi.integrity.audit import record
from gongshi.organisations.models import (
    Membership,
    MembershipRole,
    Organisation,
    RegistrationStatus,
)
from gongshi.registrations import invitations
from gongshi.registrations.models import Registration

#: Organisation particulars an application sets (and a resubmission may correct).
ORGANISATION_FIELDS = ("kind", "name", "region", "address")
APPLICATION_FIELDS = ("legal_representative", "contact_name", "contact_phone", "contact_email")


def field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _store_licence(upload) -> tuple:
    try:
        stored = ingest_upload(upload)
    except ValidationError as exc:  # FileRejected: a sentence saying what to upload instead
        code = getattr(exc, "code", None) or "rejected"
        raise field_error("licence", exc.messages[0], code) from None
    name = clean_file_name(getattr(upload, "name", "") or "licence", stored.content_type)
    return stored, name


@transaction.atomic
def register_organisation(data: dict, licence, *, now: dt.datetime | None = None) -> Registration:
    """A new account, a pending organisation managed by it, and its application.

    ``data`` holds the form's cleaned values: the account (``username``, ``password``), the
    organisation (``credit_code`` and :data:`ORGANISATION_FIELDS`) and the application
    (:data:`APPLICATION_FIELDS`).
    """
    now = now or timezone.now()
    if data["kind"] == OrganisationType.REGULATOR:
        raise field_error("kind", _("主管部门由平台管理员登记，不能自行注册。"), "regulator")
    if Organisation.objects.filter(credit_code=data["credit_code"]).exists():
        raise field_error(
            "credit_code",
            _(
                "统一社会信用代码为 %(code)s 的单位已在平台登记。如是贵单位，请已有账号的同事"
                "在单位中添加您，或联系所在城市主管部门。"
            )
            % {"code": data["credit_code"]},
            "registered",
        )
    if User.objects.filter(username__iexact=data["username"]).exists():
        raise field_error("username", _("该用户名已被使用，请换一个。"), "taken")
    stored, name = _store_licence(licence)
    user = User.objects.create_user(
        username=data["username"],
        password=data["password"],
        email=data["contact_email"],
        display_name=data["contact_name"],
    )
    organisation = Organisation(
        credit_code=data["credit_code"],
        registration_status=RegistrationStatus.PENDING,
        **{f: data.get(f, "") for f in ORGANISATION_FIELDS},
    )
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.MANAGER)
    registration = Registration.objects.create(
        organisation=organisation,
        applicant=user,
        licence=stored,
        licence_name=name,
        submitted_at=now,
        **{f: data[f] for f in APPLICATION_FIELDS},
    )
    record(user, "organisation.registered", organisation, credit_code=organisation.credit_code)
    return registration


def managed_rejected(user) -> Organisation | None:
    """The rejected organisation ``user`` manages and may apply for again, if any."""
    if not user.is_authenticated:
        return None
    return Organisation.objects.filter(
        registration_status=RegistrationStatus.REJECTED,
        memberships__user=user,
        memberships__role=MembershipRole.MANAGER,
    ).first()


@transaction.atomic
def resubmit(
    user, organisation: Organisation, data: dict, licence=None, *, now=None
) -> Registration:
    """A corrected application of a rejected organisation; its status is pending again."""
    now = now or timezone.now()
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.registration_status != RegistrationStatus.REJECTED or not (
        organisation.memberships.filter(user=user, role=MembershipRole.MANAGER).exists()
    ):
        raise Refused(_("只有未通过审核的单位的管理员可以重新提交注册。"), code="not_resubmittable")
    previous = organisation.registrations.order_by("-submitted_at", "-pk").first()
    if licence is not None:
        stored, name = _store_licence(licence)
    else:
        stored, name = previous.licence, previous.licence_name
    for f in ORGANISATION_FIELDS:
        if f != "kind" and f in data:
            setattr(organisation, f, data[f])
    organisation.registration_status = RegistrationStatus.PENDING
    organisation.full_clean()
    organisation.save()
    registration = Registration.objects.create(
        organisation=organisation,
        applicant=user,
        licence=stored,
        licence_name=name,
        submitted_at=now,
        **{f: data[f] for f in APPLICATION_FIELDS},
    )
    record(user, "organisation.resubmitted", organisation)
    return registration


def may_decide(regulator: Organisation | None, registration: Registration) -> bool:
    """A regulator decides applications of companies registered in its area."""
    return regulator is not None and regulator.region.contains(registration.organisation.region)


@transaction.atomic
def decide(
    registration: Registration,
    *,
    regulator: Organisation,
    user,
    approved: bool,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Registration:
    """Approve or reject a pending application (a rejection says why); tells the applicant."""
    now = now or timezone.now()
    registration = (
        Registration.objects.select_for_update()
        .select_related("organisation__region")
        .get(pk=registration.pk)
    )
    if not may_decide(regulator, registration):
        raise Refused(_("只有该单位所在地区的主管部门可以审核其注册。"), code="other_area")
    if registration.status != RegistrationStatus.PENDING:
        raise ValidationError(
            _("该申请已于 %(at)s 审核（%(status)s），不能再次审核。")
            % {
                "at": timezone.localtime(registration.decided_at).strftime("%Y-%m-%d %H:%M"),
                "status": registration.get_status_display(),
            },
            code="already_decided",
        )
    reason = (reason or "").strip()
    if not approved and not reason:
        raise field_error(
            "reason", _("不予通过时请写明理由，申请单位将据此修改后重新提交。"), "required"
        )
    status = RegistrationStatus.APPROVED if approved else RegistrationStatus.REJECTED
    registration.status = status
    registration.reason = reason
    registration.decided_by = user
    registration.decided_at = now
    registration.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    organisation = registration.organisation
    organisation.registration_status = status
    organisation.save(update_fields=["registration_status"])
    linked = invitations.accept_for(organisation, now=now) if approved else []
    record(
        user,
        "organisation.approved" if approved else "organisation.rejected",
        organisation,
        reason=reason,
        projects_linked=[p.project_id for p in linked],
    )
    transaction.on_commit(lambda: _tell_applicant(registration.pk))
    return registration


def _tell_applicant(registration_id: int) -> None:
    registration = Registration.objects.select_related("organisation").get(pk=registration_id)
    organisation = registration.organisation
    link = absolute(reverse("registrations:status"))
    if registration.status == RegistrationStatus.APPROVED:
        subject = _("单位注册已审核通过：%(org)s") % {"org": organisation.name}
        body = _(
            "“%(org)s”的单位注册已经主管部门审核通过，现在可以在平台上公示。\n\n"
            "登录工作台：%(link)s"
        ) % {"org": organisation.name, "link": absolute(reverse("workspace:index"))}
    else:
        subject = _("单位注册未通过审核：%(org)s") % {"org": organisation.name}
        body = _(
            "“%(org)s”的单位注册未通过主管部门审核。\n\n理由：%(reason)s\n\n"
            "请登录后按理由修改并重新提交：%(link)s"
        ) % {"org": organisation.name, "reason": registration.reason, "link": link}
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.contact_email]).send()
