"""Every state change of the workflow leaves an audit event naming who did it."""

import datetime as dt

from django.utils import timezone

from gongshi.disclosures import workflow
from gongshi.integrity.models import AuditEvent
from gongshi.workspace.testing import access, household_rows


def test_submission_return_publication_and_withdrawal_are_audited(world, item):
    unit, developer = access(world, "unit"), access(world, "developer")
    version = workflow.open_version(unit, item)
    version = workflow.save_draft(
        unit,
        version,
        lock_version=version.lock_version,
        values={"households": household_rows(1)},
        information_date=timezone.localdate() - dt.timedelta(days=1),
    )
    workflow.submit(unit, version)
    workflow.send_back(developer, version, "补充整改情况")
    workflow.submit(unit, version)
    workflow.approve(developer, version)
    workflow.withdraw(developer, item, "结论待复核")
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor__username"))
    assert events == [
        ("disclosure.draft_created", "unit"),
        ("disclosure.submitted", "unit"),
        ("disclosure.returned", "developer"),
        ("disclosure.submitted", "unit"),
        ("disclosure.publish", "developer"),
        ("disclosure.publish", "developer"),
        ("disclosure.withdrawn", "developer"),
    ]
    returned = AuditEvent.objects.get(action="disclosure.returned")
    assert returned.details == {"project": world.project.code, "reason": "补充整改情况"}
