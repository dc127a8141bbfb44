"""A developer invites a unit that is not on the platform yet; approval links it to the project."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gongshi.core.choices import UnitRole
from gongshi.integrity.audit import record
from gongshi.organisations.models import Organisation
from gongshi.organisations.validators import normalise_credit_code, validate_credit_code
from gongshi.projects.models import Participation
from gongshi.registrations.models import Invitation

_SALT = "gongshi.registrations.invitation"
#: How long a registration link in an invitation e-mail works.
LINK_MAX_AGE = 30 * 24 * 3600


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def token_for(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=_SALT)


def from_token(token: str) -> Invitation | None:
    """The open invitation a registration link carries; None when the link is bad or old."""
    try:
        pk = signing.loads(token or "", salt=_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return Invitation.objects.filter(pk=pk, accepted_at__isnull=True).first()


def registration_link(invitation: Invitation) -> str:
    query = urlencode({"invitation": token_for(invitation)})
    return f"{settings.SITE_URL}{reverse('registrations:register')}?{query}"


@transaction.atomic
def invite(
    project,
    user,
    *,
    role: str,
    credit_code: str,
    name: str,
    leader_name: str,
    email: str,
    leader_title: str = "",
    now: dt.datetime | None = None,
) -> Invitation:
    """Invite an unregistered unit by credit code; e-mails it a registration link.

    The caller has checked that ``user`` acts for the project's developer.
    """
    now = now or timezone.now()
    if role not in UnitRole.values or role == UnitRole.DEVELOPER:
        raise _error(
            "role", _("请选择参建单位的责任主体类型（建设单位本身无需邀请）。"), "invalid_role"
        )
    code = normalise_credit_code(credit_code)
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise _error("credit_code", exc.messages[0], exc.code) from None
    if Organisation.objects.filter(credit_code=code).exists():
        raise _error(
            "credit_code",
            _("统一社会信用代码为 %(code)s 的单位已在平台登记，请在上方直接关联，无需邀请。")
            % {"code": code},
            "registered",
        )
    invitation, created = Invitation.objects.get_or_create(
        project=project,
        role=role,
        credit_code=code,
        defaults={
            "name": name.strip(),
            "leader_name": leader_name.strip(),
            "leader_title": leader_title.strip(),
            "email": email,
            "invited_by": user,
            "created_at": now,
        },
    )
    if not created:  # inviting again sends the link again, to the address given now
        invitation.name, invitation.email = name.strip(), email
        invitation.leader_name, invitation.leader_title = leader_name.strip(), leader_title.strip()
        invitation.save(update_fields=["name", "email", "leader_name", "leader_title"])
    record(user, "project.unit_invited", project, credit_code=code, role=role)
    transaction.on_commit(lambda: send_invitation(invitation.pk))
    return invitation


def send_invitation(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("project__developer").get(pk=invitation_id)
    project = invitation.project
    body = _(
        "%(developer)s邀请“%(org)s”作为“%(role)s”参与项目“%(project)s”的质量信息公示。\n\n"
        "贵单位尚未在住宅工程质量信息公示平台注册。请在 30 天内打开以下链接注册（需上传营业执照"
        "扫描件），经所在城市主管部门审核通过后即关联到该项目：\n%(link)s\n\n"
        "如与贵单位无关，请忽略本邮件。"
    ) % {
        "developer": project.developer.name,
        "org": invitation.name,
        "role": invitation.get_role_display(),
        "project": project.name,
        "link": registration_link(invitation),
    }
    EmailMessage(
        _("邀请注册：%(project)s 参建单位") % {"project": project.name},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    ).send()


def accept_for(organisation: Organisation, *, now: dt.datetime) -> list[Participation]:
    """Link a just-approved organisation to every project that invited it in its own role."""
    linked = []
    open_invitations = Invitation.objects.filter(
        credit_code=organisation.credit_code, accepted_at__isnull=True
    ).select_for_update()
    for invitation in open_invitations:
        if invitation.role != organisation.kind:
            continue  # invited as another kind of unit: the developer links it by hand
        participation, _created = Participation.objects.get_or_create(
            project_id=invitation.project_id,
            role=invitation.role,
            organisation=organisation,
            defaults={
                "leader_name": invitation.leader_name,
                "leader_title": invitation.leader_title,
            },
        )
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        linked.append(participation)
    return linked
