"""The one path by which a disclosure version becomes public.

The workspace (browser and API), the demo seeder and tests all publish through
:func:`publish_version`, so the rules — validated values, required scans, numbering,
timeliness — hold whichever door the publication came through.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.catalogue.fields import clean_values
from gongshi.disclosures import tallies
from gongshi.disclosures.errors import field_error
from gongshi.disclosures.instances import refresh_completion
from gongshi.disclosures.log_entry import log_publication
from gongshi.disclosures.models import DisclosureVersion, VersionKind, VersionStatus
from gongshi.disclosures.privacy import check_free_text, ensure_no_personal_data
from gongshi.disclosures.signals import disclosures_changed
from gongshi.organisations.models import Organisation, RegistrationStatus
from gongshi.projects.models import Project


def timeliness_days(information_date: dt.date | None, published_at: dt.datetime) -> int | None:
    """Days from the information coming into being to its publication (local calendar days)."""
    if information_date is None:
        return None
    return (timezone.localdate(published_at) - information_date).days


def ensure_may_publish(project_id: int, supplier_id: int | None) -> None:
    """Refuse publication for an organisation whose registration is not (yet) approved.

    A company that registered itself prepares its disclosures while the regulator of its city
    checks the registration; only an approved developer publishes, and only what an approved
    unit supplied. One query, for the project's developer and the supplying unit.
    """
    waiting = Organisation.objects.filter(
        Q(developed_projects=project_id) | Q(pk=supplier_id or 0),
        ~Q(registration_status=RegistrationStatus.APPROVED),
    ).distinct()
    for organisation in waiting:
        if organisation.registration_status == RegistrationStatus.PENDING:
            raise ValidationError(
                _(
                    "“%(org)s”的单位注册尚待所在城市主管部门审核：审核通过前可以填写、上传和提交，"
                    "但不能公示。请等待审核结果。"
                )
                % {"org": organisation.name},
                code="organisation_pending",
            )
        if organisation.registration_status == RegistrationStatus.REJECTED:
            raise ValidationError(
                _(
                    "“%(org)s”的单位注册未通过主管部门审核，不能公示。请在“单位注册”页查看原因，"
                    "修改后重新提交。"
                )
                % {"org": organisation.name},
                code="organisation_rejected",
            )


@transaction.atomic
def publish_version(
    version: DisclosureVersion, approver, *, now: dt.datetime | None = None
) -> DisclosureVersion:
    """Validate and publish a draft or submitted version; returns it frozen."""
    now = now or timezone.now()
    # Lock the disclosure row so two publishers of the same item get consecutive numbers.
    disclosure = type(version.disclosure).objects.select_for_update().get(pk=version.disclosure_id)
    item = disclosure.item
    if version.status == VersionStatus.PUBLISHED:
        raise ValidationError(_("该版本已经公示，不能再次公示。"), code="already_published")
    ensure_may_publish(disclosure.project_id, version.supplied_by_id)
    if version.kind in (VersionKind.WITHDRAWAL, VersionKind.INAPPLICABLE):
        version.values = {}  # a withdrawal or a "does not apply" carries only its reason
    else:
        version.values = clean_values(item.fields, version.values)
        # Personal data (ID numbers, personal mobiles) is never published.
        ensure_no_personal_data(item.fields, version.values)
        if version.information_date is None:
            raise field_error("information_date", _("请填写信息形成日期。"), "information_date")
        if version.information_date > timezone.localdate(now):
            raise field_error(
                "information_date", _("信息形成日期不能晚于今天。"), "information_date"
            )
        if item.requires_scan(version.values) and not version.attachments.exists():
            raise ValidationError(item.missing_scan_message(), code="scan_required")
    previous = disclosure.versions.published().aggregate(n=Max("number"))["n"] or 0
    if previous and version.kind == VersionKind.PUBLICATION:
        version.kind = VersionKind.CORRECTION
    if version.kind != VersionKind.PUBLICATION and not version.reason.strip():
        raise field_error("reason", _("更正或撤回必须说明原因。"), "reason_required")
    if version.kind == VersionKind.WITHDRAWAL and not previous:
        raise ValidationError(_("尚未公示的事项不能撤回。"), code="nothing_to_withdraw")
    if version.reason.strip():
        check_free_text(
            {"reason": (_("更正或撤回原因"), version.reason)}
        )  # the reason is public too
    version.number = previous + 1
    version.status = VersionStatus.PUBLISHED
    version.approved_by = approver
    version.published_at = now
    version.timeliness_days = timeliness_days(version.information_date, now)
    # One leaf in the publication log; sets version.leaf_index before the freezing save.
    log_publication(version)
    version.save()
    # Derived state for area-wide figures, in this transaction (see tallies.py).
    derived = {"is_public": version.kind != VersionKind.WITHDRAWAL, "last_published_at": now}
    if version.kind == VersionKind.PUBLICATION:
        derived |= {"first_published_at": now, "first_timeliness_days": version.timeliness_days}
    single = not item.repeatable and disclosure.instance == 1
    if single:
        derived["completes_item"] = derived["is_public"]
    if single:
        changed = disclosure.completes_item != derived["completes_item"]
    else:
        was_complete = (
            type(disclosure)
            .objects.filter(project_id=disclosure.project_id, item_id=item.pk, instance=1)
            .values_list("completes_item", flat=True)
            .first()
        )
    type(disclosure).objects.filter(pk=disclosure.pk).update(**derived)
    if not single:
        # The item as a whole: complete once enough instances are public (see instances.py).
        complete = refresh_completion(disclosure.project_id, item, notify=False)
        changed = was_complete is not None and was_complete != complete
    # Per-project figures above this app: one signal, whether completion changed or not.
    if changed or version.kind == VersionKind.PUBLICATION:
        disclosures_changed.send(
            sender=DisclosureVersion,
            project_id=disclosure.project_id,
            today=timezone.localdate(now),
            completion_changed=changed,
            first_timeliness_days=version.timeliness_days
            if version.kind == VersionKind.PUBLICATION
            else None,
        )
    # The project row is locked so that a move to another county (update_project) either
    # sees this version or happens before it is counted.
    region_id = (
        Project.objects.select_for_update()
        .filter(pk=disclosure.project_id)
        .values_list("region_id", flat=True)
    ).get()
    tallies.record_publication(version, region_id)
    return version
