"""Site open days (工地开放日, guidance §6.2): schedule, invite supervisors, register,
record findings, publish the report, and carry each discrepancy to its close."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.disclosures.models import DisclosureVersion, VersionKind, VersionStatus
from gongshi.participation import follow
from gongshi.participation.access import is_developer_member, regulates
from gongshi.participation.models import (
    Finding,
    FindingPhoto,
    FindingResult,
    OpenDay,
    Registration,
    Supervisor,
    SupervisorInvitation,
    SupervisorKind,
    touch,
)
from gongshi.participation.questions import check_public_text, require_verified_contact
from gongshi.participation.tokens import digest, field_error, new_token

INVITATION_LIFETIME = dt.timedelta(days=30)
MAX_PHOTOS = 6


def _require_developer(user, project) -> None:
    if not is_developer_member(user, project):
        raise ValidationError(_("只有本项目建设单位的人员可以操作。"), code="not_developer")


@transaction.atomic
def schedule(project, user, *, now=None, **fields) -> OpenDay:
    """The developer schedules an open day; followers hear of it."""
    _require_developer(user, project)
    now = now or timezone.now()
    open_day = OpenDay(project=project, scheduled_by=user, **fields)
    open_day.full_clean(exclude=["project", "scheduled_by"])
    if open_day.date < timezone.localdate(now):
        raise field_error("date", _("开放日日期不能早于今天。"), "past_date")
    for field in ("place", "stage_of_work", "showing"):
        check_public_text(getattr(open_day, field), field)
    open_day.save()
    touch(project.pk)
    follow.open_day_scheduled(open_day)
    return open_day


def invite(
    open_day: OpenDay, user, *, name: str, kind: str, now=None
) -> tuple[SupervisorInvitation, str]:
    """An invitation link for a social supervisor; returns it and the secret for the link."""
    _require_developer(user, open_day.project)
    name = (name or "").strip()
    if not name:
        raise field_error("name", _("请填写受邀人姓名。"), "name")
    if kind not in SupervisorKind.values:
        raise field_error("kind", _("请选择“行业专家”或“业主（居民）代表”。"), "kind")
    if open_day.is_reported:
        raise ValidationError(_("报告已公布，不能再邀请监督员。"), code="reported")
    token = new_token()
    invitation = SupervisorInvitation.objects.create(
        open_day=open_day,
        name=name[:50],
        kind=kind,
        token_hash=digest(token),
        created_by=user,
        expires_at=(now or timezone.now()) + INVITATION_LIFETIME,
    )
    return invitation, token


def invitation_for(token: str, *, now=None) -> SupervisorInvitation | None:
    """A usable invitation: known, not yet accepted, not expired."""
    now = now or timezone.now()
    return (
        SupervisorInvitation.objects.select_related("open_day__project")
        .filter(token_hash=digest(token or ""), accepted_at__isnull=True, expires_at__gt=now)
        .first()
    )


@transaction.atomic
def accept_invitation(
    invitation: SupervisorInvitation, *, username: str, password: str, user=None, now=None
):
    """Create the supervisor's account (or use the signed-in one) and the supervisor role."""
    User = get_user_model()
    invitation = SupervisorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("此邀请链接已被使用。"), code="used")
    if user is None or not user.is_authenticated:
        username = (username or "").strip()
        if not username:
            raise field_error("username", _("请设置登录用户名。"), "username")
        if User.objects.filter(username__iexact=username).exists():
            raise field_error(
                "username",
                _("用户名“%(u)s”已被使用，请换一个。") % {"u": username},
                "username_taken",
            )
        user = User(username=username, display_name=invitation.name)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise field_error("password", exc.messages, "password") from None
        user.set_password(password)
        user.save()
    try:
        with transaction.atomic():
            Supervisor.objects.create(
                open_day=invitation.open_day, user=user, kind=invitation.kind, invitation=invitation
            )
    except IntegrityError:
        raise ValidationError(_("您已是本次开放日的监督员。"), code="already") from None
    invitation.accepted_at = now or timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


def is_supervisor(user, open_day: OpenDay) -> bool:
    return (
        user.is_authenticated and Supervisor.objects.filter(open_day=open_day, user=user).exists()
    )


@transaction.atomic
def register(open_day: OpenDay, token: str | None, *, name: str, now=None) -> Registration:
    """A resident registers with a verified contact, within capacity."""
    verification = require_verified_contact(token, now=now)
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise field_error("name", _("请填写您的姓名，便于现场签到。"), "name")
    if open_day.date < timezone.localdate(now):
        raise ValidationError(_("本次开放日已结束，不能再报名。"), code="past")
    # Lock the open day so two people cannot take the last place together.
    open_day = OpenDay.objects.select_for_update().get(pk=open_day.pk)
    if open_day.registrations.filter(contact_hash=verification.contact_hash).exists():
        raise ValidationError(_("您已报名本次开放日，无需重复报名。"), code="already_registered")
    if open_day.registrations.count() >= open_day.capacity:
        raise ValidationError(
            _("本次开放日名额（%(n)d 人）已满，请关注项目以获知下次开放日。")
            % {"n": open_day.capacity},
            code="full",
        )
    registration = Registration.objects.create(
        open_day=open_day, name=name[:50], contact=verification.contact
    )
    touch(open_day.project_id)
    return registration


def disclosed_versions(project):
    """The current published version of each disclosed item: what a supervisor can check."""
    latest = (
        DisclosureVersion.objects.filter(
            disclosure__project=project, status=VersionStatus.PUBLISHED
        )
        .select_related("disclosure__item")
        .order_by("disclosure__item__code", "-number")
    )
    seen, result = set(), []
    for version in latest:
        if version.disclosure_id not in seen:
            seen.add(version.disclosure_id)
            # A withdrawn item, or one declared not to apply, has nothing to check on site.
            if version.kind not in (VersionKind.WITHDRAWAL, VersionKind.INAPPLICABLE):
                result.append(version)
    return result


@transaction.atomic
def record_finding(
    open_day: OpenDay, user, *, version_id, result: str, note: str = "", photos=()
) -> Finding:
    """A supervisor records a check of one disclosed item, with photos (checked by content)."""
    from gongshi.files.ingest import clean_file_name, ingest_upload

    if not is_supervisor(user, open_day):
        raise ValidationError(
            _("只有本次开放日的社会监督员可以记录核查结果。"), code="not_supervisor"
        )
    if open_day.is_reported:
        raise ValidationError(_("报告已公布，核查结果不能再增加。"), code="reported")
    if result not in FindingResult.values:
        raise field_error("result", _("请选择核查结果。"), "result")
    version = (
        DisclosureVersion.objects.filter(
            pk=version_id,
            status=VersionStatus.PUBLISHED,
            disclosure__project_id=open_day.project_id,
        )
        .exclude(kind=VersionKind.WITHDRAWAL)
        .first()
    )
    if version is None:
        raise field_error("version", _("请选择本项目已公示的事项。"), "version")
    note = (note or "").strip()
    if result == FindingResult.DISCREPANCY and not note:
        raise field_error("note", _("存在差异时，请说明差异在哪里。"), "note_required")
    check_public_text(note, "note")
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise field_error(
            "photos", _("每条核查最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS}, "photos"
        )
    if Finding.objects.filter(open_day=open_day, supervisor=user, version=version).exists():
        raise ValidationError(_("您已对该公示事项记录过核查结果。"), code="duplicate")
    finding = Finding.objects.create(
        open_day=open_day, supervisor=user, version=version, result=result, note=note
    )
    for upload in photos:
        try:
            stored = ingest_upload(upload)
        except ValidationError as exc:
            raise field_error("photos", exc.messages, "photo_rejected") from None
        FindingPhoto.objects.create(
            finding=finding,
            file=stored,
            name=clean_file_name(getattr(upload, "name", "") or "photo", stored.content_type),
        )
    touch(open_day.project_id)
    return finding


@transaction.atomic
def publish_report(
    open_day: OpenDay, user, *, attendance: int, summary: str = "", now=None
) -> OpenDay:
    """The developer publishes the report: attendance, findings, photos. Appended to the log."""
    _require_developer(user, open_day.project)
    now = now or timezone.now()
    open_day = OpenDay.objects.select_for_update().select_related("project").get(pk=open_day.pk)
    if open_day.is_reported:
        raise ValidationError(_("报告已经公布过了。"), code="reported")
    if open_day.date > timezone.localdate(now):
        raise ValidationError(_("开放日举办之后才能公布报告。"), code="not_yet")
    if attendance is None or attendance < 0:
        raise field_error("attendance", _("请填写实到人数。"), "attendance")
    summary = (summary or "").strip()
    check_public_text(summary, "summary")
    open_day.attendance = attendance
    open_day.report_summary = summary
    open_day.report_published_at = now
    open_day.save(update_fields=["attendance", "report_summary", "report_published_at"])
    open_day.leaf_index = _append_to_log(open_day)
    if open_day.leaf_index is not None:
        open_day.save(update_fields=["leaf_index"])
    touch(open_day.project_id)
    follow.open_day_reported(open_day)
    return open_day


def report_payload(open_day: OpenDay) -> dict:
    findings = open_day.findings.select_related("version__disclosure__item").prefetch_related(
        "photos__file"
    )
    return {
        "project": open_day.project.code,
        "open_day": open_day.pk,
        "date": open_day.date.isoformat(),
        "attendance": open_day.attendance,
        "registered": open_day.registrations.count(),
        "summary": open_day.report_summary,
        "published_at": open_day.report_published_at.isoformat(),
        "findings": [
            {
                "item": f.version.disclosure.item.code,
                "version": f.version.number,
                "result": f.result,
                "note": f.note,
                "photos": [p.file.sha256 for p in f.photos.all()],
            }
            for f in findings
        ],
    }


def _append_to_log(open_day: OpenDay) -> int | None:
    """Append the report to the integrity log when the log is installed."""
    try:
        from gongshi.integrity.log import append_leaf
    except ImportError:
        return None
    leaf = append_leaf("open_day_report", report_payload(open_day))
    return getattr(leaf, "index", leaf if isinstance(leaf, int) else None)


def respond(finding: Finding, user, text: str, *, now=None) -> Finding:
    """The developer responds to a discrepancy."""
    _require_developer(user, finding.open_day.project)
    if finding.result != FindingResult.DISCREPANCY:
        raise ValidationError(_("只有“存在差异”的核查结果需要回复。"), code="not_discrepancy")
    if finding.closed_at:
        raise ValidationError(_("该差异已关闭。"), code="closed")
    text = (text or "").strip()
    if not text:
        raise field_error("response", _("请填写回复内容：差异的原因和整改情况。"), "response")
    check_public_text(text, "response")
    finding.developer_response = text
    finding.responded_at = now or timezone.now()
    finding.responded_by = user
    finding.save(update_fields=["developer_response", "responded_at", "responded_by"])
    touch(finding.open_day.project_id)
    return finding


def can_close(user, finding: Finding) -> bool:
    return is_supervisor(user, finding.open_day) or regulates(user, finding.open_day.project)


def close(finding: Finding, user, note: str = "", *, now=None) -> Finding:
    """A supervisor of the open day or a regulator of the area closes a discrepancy."""
    if not can_close(user, finding):
        raise ValidationError(
            _("只有本次开放日的监督员或属地主管部门可以关闭差异。"), code="not_allowed"
        )
    if finding.result != FindingResult.DISCREPANCY or finding.closed_at:
        raise ValidationError(_("该核查结果没有待关闭的差异。"), code="not_open")
    if finding.responded_at is None:
        raise ValidationError(_("建设单位回复后才能关闭差异。"), code="no_response")
    finding.closed_at = now or timezone.now()
    finding.closed_by = user
    finding.close_note = (note or "").strip()
    finding.save(update_fields=["closed_at", "closed_by", "close_note"])
    touch(finding.open_day.project_id)
    return finding


def with_counts(open_days):
    """Annotate registrations and open discrepancies (one query for the list)."""
    return open_days.annotate(
        registered=Count("registrations", distinct=True),
        open_discrepancies=Count(
            "findings",
            filter=Q(findings__result=FindingResult.DISCREPANCY, findings__closed_at__isnull=True),
            distinct=True,
        ),
    ).order_by("-date", "-start_time", "-pk")


REGISTRATIONS_VIEWED = "open_day.registrations_viewed"


def reveal_registrations(open_day: OpenDay, request_or_user, *, reason: str) -> list:
    """The developer reads the full names and contacts of the visitors (to check them in at
    the gate, or to tell them of a change); the reading goes to the audit log first. Lists
    show them masked (王*明, 139****5678) otherwise."""
    from gongshi.integrity.audit import record

    user = getattr(request_or_user, "user", request_or_user)
    _require_developer(user, open_day.project)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("请填写查看原因，查看会被记录。"), "reason")
    registrations = list(open_day.registrations.all())
    record(
        request_or_user,
        REGISTRATIONS_VIEWED,
        open_day,
        reason=reason,
        registrations=[r.pk for r in registrations],
    )
    return registrations


def registration_views(open_day: OpenDay):
    """Audit events of readings of this open day's visitor list, newest first."""
    from gongshi.integrity.models import AuditEvent

    return AuditEvent.objects.filter(
        action=REGISTRATIONS_VIEWED,
        object_type="participation.openday",
        object_id=str(open_day.pk),
    ).order_by("-created_at")
