"""Until its registration is approved an organisation prepares its disclosures but never publishes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gongshi.disclosures import workflow
from gongshi.disclosures.models import VersionStatus
from gongshi.organisations.models import RegistrationStatus
from gongshi.workspace.testing import access, household_item, household_rows


def _draft(world, item, role="developer"):
    return workflow.create_version(
        access(world, role),
        item,
        values={"households": household_rows(2)},
        information_date=timezone.localdate() - dt.timedelta(days=1),
    )


def _set_status(organisation, status):
    organisation.registration_status = status
    organisation.save(update_fields=["registration_status"])


def test_a_pending_developer_drafts_but_its_publication_is_refused(world):
    item = household_item(supplier="developer")
    _set_status(world.project.developer, RegistrationStatus.PENDING)
    version = _draft(world, item)  # preparing is allowed
    with pytest.raises(ValidationError) as refused:
        workflow.approve(access(world, "developer"), version)
    assert refused.value.code == "organisation_pending"
    assert "尚待所在城市主管部门审核" in refused.value.messages[0]
    assert "不能公示" in refused.value.messages[0]
    version.refresh_from_db()
    assert version.status != VersionStatus.PUBLISHED

    _set_status(world.project.developer, RegistrationStatus.APPROVED)
    workflow.approve(access(world, "developer"), version)
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED


def test_a_rejected_developer_is_told_to_correct_and_resubmit(world):
    item = household_item(supplier="developer")
    _set_status(world.project.developer, RegistrationStatus.REJECTED)
    version = _draft(world, item)
    with pytest.raises(ValidationError) as refused:
        workflow.approve(access(world, "developer"), version)
    assert refused.value.code == "organisation_rejected"
    assert "修改后重新提交" in refused.value.messages[0]


def test_what_a_pending_unit_supplied_is_not_published_either(world):
    item = household_item()  # supplied by the contractor
    contractor = world.units["contractor"]
    _set_status(contractor, RegistrationStatus.PENDING)
    version = _draft(world, item, role="unit")
    workflow.submit(access(world, "unit"), version)  # submitting for review is preparing
    with pytest.raises(ValidationError) as refused:
        workflow.approve(access(world, "developer"), version)
    assert contractor.name in refused.value.messages[0]


def test_the_api_answers_the_refusal_in_its_error_shape(world):
    item = household_item(supplier="developer")
    _set_status(world.project.developer, RegistrationStatus.PENDING)
    version = _draft(world, item)
    client = APIClient()
    client.force_authenticate(world.users["developer"])
    url = reverse("api:workspace-version-approve", args=[world.project.code, version.pk])
    response = client.post(url, {"lock_version": version.lock_version}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "organisation_pending"
