"""The regulator of the company's city approves or rejects its registration, with a reason."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongshi.core.choices import OrganisationType, UnitRole
from gongshi.core.refusals import Refused
from gongshi.core.testing import assert_matrix, make_user
from gongshi.organisations.credit_codes import make_credit_code
from gongshi.organisations.models import RegistrationStatus
from gongshi.projects.models import Participation
from gongshi.registrations import services
from gongshi.registrations.models import Invitation

REGULATORS_ONLY = {
    "anonymous": 302,
    "outsider": 404,
    "unit": 404,
    "developer": 404,
    "other_regulator": 404,
    "regulator": 200,
    "admin": 404,
}


def _regulator(world):
    return world.users["regulator"].organisations.get()


def test_only_the_citys_regulator_sees_the_worklist_and_the_application(world, application):
    worklist = reverse("supervision:registrations")
    assert_matrix(world, "get", worklist, {**REGULATORS_ONLY, "other_regulator": 200})
    assert_matrix(
        world, "get", reverse("supervision:registration", args=[application.pk]), REGULATORS_ONLY
    )
    # Daqing's regulator has a worklist, but Harbin's applications are not on it.
    assert (
        application.organisation.name
        not in world.client("other_regulator").get(worklist).content.decode()
    )
    page = world.client("regulator").get(worklist).content.decode()
    assert application.organisation.name in page
    dashboard = world.client("regulator").get(reverse("supervision:dashboard")).content.decode()
    assert "单位注册审核（1）" in dashboard


def test_only_the_citys_regulator_may_decide(world, application):
    url = reverse("supervision:registration", args=[application.pk])
    expected = {**REGULATORS_ONLY, "regulator": 302}
    assert_matrix(world, "post", url, expected, data={"decision": "reject", "reason": "执照模糊"})
    application.refresh_from_db()
    assert application.status == RegistrationStatus.REJECTED
    with pytest.raises(Refused):
        services.decide(
            application,
            regulator=world.users["other_regulator"].organisations.get(),
            user=world.users["other_regulator"],
            approved=True,
        )


def test_approval_lets_it_publish_tells_the_contact_and_links_invitations(
    world, application, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(
        project=world.project,
        role=UnitRole.SUPERVISION,  # invited as the wrong kind: left for the developer to fix
        credit_code=application.organisation.credit_code,
        name="哈尔滨新注册置业有限公司",
        leader_name="孙强",
        email="qian@example.com",
        invited_by=world.users["developer"],
    )
    client = world.client("regulator")
    url = reverse("supervision:registration", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "reason": ""}, follow=True)
    assert "已审核通过" in response.content.decode()
    organisation = application.organisation
    organisation.refresh_from_db()
    assert organisation.registration_status == RegistrationStatus.APPROVED
    application.refresh_from_db()
    assert application.decided_by == world.users["regulator"]
    assert mail.outbox[-1].to == ["qian@example.com"]
    assert "审核通过" in mail.outbox[-1].subject
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Participation.objects.filter(organisation=organisation).exists()
    # Decided once: a second decision is refused with when and how it was decided.
    with pytest.raises(ValidationError) as again:
        services.decide(
            application,
            regulator=_regulator(world),
            user=world.users["regulator"],
            approved=False,
            reason="x",
        )
    assert again.value.code == "already_decided"


def test_approval_links_the_projects_that_invited_it_in_its_role(world):
    from gongshi.regions.models import Region
    from gongshi.registrations.tests.conftest import application_data, licence_upload

    data = application_data(kind=OrganisationType.SUPERVISION, name="哈尔滨新监理有限公司")
    data["region"] = Region.objects.get(code="230103")
    Invitation.objects.create(
        project=world.project,
        role=UnitRole.SUPERVISION,
        credit_code=data["credit_code"],
        name=data["name"],
        leader_name="孙强",
        email="qian@example.com",
        invited_by=world.users["developer"],
    )
    application = services.register_organisation(data, licence_upload())
    services.decide(
        application, regulator=_regulator(world), user=world.users["regulator"], approved=True
    )
    participation = Participation.objects.get(organisation=application.organisation)
    assert participation.project == world.project
    assert participation.role == UnitRole.SUPERVISION
    assert participation.leader_name == "孙强"
    assert Invitation.objects.get().accepted_at is not None


def test_a_rejection_needs_a_reason_and_the_applicant_reads_it(
    world, application, django_capture_on_commit_callbacks
):
    client = world.client("regulator")
    url = reverse("supervision:registration", args=[application.pk])
    response = client.post(url, {"decision": "reject", "reason": "  "})
    assert response.status_code == 200
    assert "不予通过时请写明理由" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "营业执照扫描件模糊，请重新扫描上传。"})
    application.refresh_from_db()
    assert application.status == RegistrationStatus.REJECTED
    assert "营业执照扫描件模糊" in mail.outbox[-1].body

    applicant = world.client("anonymous")
    applicant.force_login(application.applicant)
    status = applicant.get(reverse("registrations:status")).content.decode()
    assert "营业执照扫描件模糊，请重新扫描上传。" in status
    assert "重新提交注册" in status


def test_a_rejected_company_corrects_and_resubmits(world, application):
    services.decide(
        application,
        regulator=_regulator(world),
        user=world.users["regulator"],
        approved=False,
        reason="名称与执照不符",
    )
    applicant = world.client("anonymous")
    applicant.force_login(application.applicant)
    response = applicant.post(
        reverse("registrations:status"),
        {
            "name": "哈尔滨新注册置业（集团）有限公司",
            "region": "230103",
            "address": "",
            "legal_representative": "赵立新",
            "contact_name": "钱明",
            "contact_phone": "0451-86000000",
            "contact_email": "qian@example.com",
        },
    )
    assert response.status_code == 302
    organisation = application.organisation
    organisation.refresh_from_db()
    assert organisation.registration_status == RegistrationStatus.PENDING
    assert organisation.name == "哈尔滨新注册置业（集团）有限公司"
    latest = organisation.registrations.first()
    assert latest.pk != application.pk
    assert latest.licence == application.licence  # kept when no new scan was uploaded
    # A plain member of the company may not resubmit for it.
    member = make_user("member", organisation)
    with pytest.raises(Refused):
        services.resubmit(
            member,
            organisation,
            {
                "legal_representative": "x",
                "contact_name": "x",
                "contact_phone": "1",
                "contact_email": "a@b.cn",
            },
        )


def test_the_worklist_costs_the_same_queries_for_many_applications(
    world, application, django_assert_max_num_queries
):
    from gongshi.regions.models import Region
    from gongshi.registrations.tests.conftest import application_data, licence_upload

    for n in range(5):
        data = application_data(
            credit_code=make_credit_code("230103", 7000 + n), username=f"u{n}", name=f"公司{n}"
        )
        data["region"] = Region.objects.get(code="230103")
        services.register_organisation(data, licence_upload())
    client = world.client("regulator")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("supervision:registrations")).status_code == 200
