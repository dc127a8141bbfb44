"""A company registers itself: the form, what it creates, and what it refuses."""

from django.core import mail
from django.urls import reverse

from gongshi.files.models import StoredFile
from gongshi.files.testing import uploaded
from gongshi.organisations.models import MembershipRole, Organisation, RegistrationStatus
from gongshi.registrations.models import Registration
from gongshi.registrations.tests.conftest import CODE, application_data, licence_upload

URL = reverse("registrations:register")


def _post(client, **overrides):
    return client.post(URL, {**application_data(**overrides), "licence": licence_upload()})


def test_anyone_may_open_the_form_and_signed_in_users_see_their_status(world):
    assert world.client("anonymous").get(URL).status_code == 200
    response = world.client("developer").get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:status")


def test_it_creates_a_pending_organisation_its_manager_and_the_application(client, db):
    response = _post(client, credit_code=CODE.lower()[:9] + " " + CODE.lower()[9:])
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:status")
    organisation = Organisation.objects.get(credit_code=CODE)
    assert organisation.registration_status == RegistrationStatus.PENDING
    assert not organisation.is_approved
    membership = organisation.memberships.get()
    assert membership.user.username == "newdev"
    assert membership.role == MembershipRole.MANAGER
    registration = Registration.objects.get(organisation=organisation)
    assert registration.legal_representative == "赵立新"
    assert registration.licence.content_type == "application/pdf"
    assert registration.licence_name == "营业执照.pdf"
    # The applicant is signed in and sees the state of the application.
    status = client.get(reverse("registrations:status"))
    assert "等待主管部门审核" in status.content.decode()
    assert not mail.outbox  # nothing to tell yet


def test_it_checks_the_credit_code_character_by_character(client, db):
    wrong_check = CODE[:-1] + ("1" if CODE[-1] != "1" else "2")
    response = _post(client, credit_code=wrong_check)
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确，请核对最后一位。" in response.content.decode()
    response = _post(client, credit_code=CODE[:17])
    assert "统一社会信用代码应为 18 位，当前为 17 位" in response.content.decode()
    assert not Organisation.objects.filter(credit_code__startswith=CODE[:17]).exists()


def test_it_refuses_a_code_already_on_the_platform(client, world):
    response = _post(client, credit_code=world.project.developer.credit_code)
    assert response.status_code == 200
    assert "的单位已在平台登记" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_licence_is_sniffed_by_content_and_a_refusal_leaves_nothing(client, db):
    fake = uploaded("营业执照.pdf", b"MZ\x90\x00 this is a program, not a scan", "application/pdf")
    response = client.post(URL, {**application_data(), "licence": fake})
    assert response.status_code == 200
    body = response.content.decode()
    assert "PDF" in body and "JPG" in body  # says which files it takes
    assert not StoredFile.objects.exists()
    assert not Organisation.objects.filter(credit_code=CODE).exists()


def test_it_requires_the_licence_and_matching_passwords(client, db):
    data = application_data(password_again="something-else-entirely")
    response = client.post(URL, data)
    body = response.content.decode()
    assert "请上传营业执照扫描件（PDF、JPG 或 PNG）。" in body
    assert "两次输入的密码不一致，请重新输入。" in body


def test_regulators_cannot_register_themselves(client, db):
    response = _post(client, kind="regulator")
    assert response.status_code == 200
    assert not Organisation.objects.filter(credit_code=CODE).exists()


def test_a_taken_username_is_refused_with_what_to_do(client, world):
    response = _post(client, username="developer")
    assert "该用户名已被使用，请换一个。" in response.content.decode()
    assert not Organisation.objects.filter(credit_code=CODE).exists()
