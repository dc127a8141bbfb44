"""A company registers through the API: the /register/ form's rules, a token, its status."""

from django.core import mail
from rest_framework.test import APIClient

from gongshi.core.testing import assert_matrix
from gongshi.files.testing import uploaded
from gongshi.organisations.models import Organisation, RegistrationStatus
from gongshi.registrations import services
from gongshi.registrations.models import Registration
from gongshi.registrations.tests.conftest import CODE, application_data, licence_upload

URL = "/api/v1/registrations/"


def _post(client, **overrides):
    return client.post(URL, {**application_data(**overrides), "licence": licence_upload()})


def test_only_the_signed_out_register(world):
    expected = {
        "anonymous": 400,  # an empty application: what is missing, field by field
        "outsider": 403,
        "unit": 403,
        "developer": 403,
        "other_regulator": 403,
        "regulator": 403,
        "admin": 403,
    }
    assert_matrix(world, "post", URL, expected)
    client = APIClient()
    client.force_authenticate(world.users["developer"])
    refused = _post(client)
    assert refused.json()["error"]["code"] == "signed_in"
    assert not Registration.objects.exists()


def test_a_company_registers_and_reads_its_status_with_the_token(world):
    response = _post(APIClient(), credit_code=CODE.lower())
    assert response.status_code == 201, response.content
    body = response.json()
    registration = body["registration"]
    assert (registration["credit_code"], registration["status"]) == (CODE, "pending")
    assert registration["licence_name"] == "营业执照.pdf"
    organisation = Organisation.objects.get(credit_code=CODE)
    assert organisation.registration_status == RegistrationStatus.PENDING
    applicant = APIClient()
    applicant.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    mine = applicant.get("/api/v1/registrations/mine/").json()
    assert [r["id"] for r in mine] == [registration["id"]]
    # Harbin's regulator finds the application in its worklist, with the licence's hash.
    from rest_framework.authtoken.models import Token

    regulator = APIClient()
    key = Token.objects.create(user=world.users["regulator"]).key
    regulator.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = regulator.get("/api/v1/supervision/registrations/").json()
    assert [(r["id"], r["licence_sha256"]) for r in listed] == [
        (registration["id"], registration["licence_sha256"])
    ]
    assert not mail.outbox


def test_it_refuses_what_the_form_refuses_with_the_same_sentences(world):
    wrong_check = CODE[:-1] + ("1" if CODE[-1] != "1" else "2")
    bad = _post(APIClient(), credit_code=wrong_check)
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["credit_code"] == [
        "统一社会信用代码校验位不正确，请核对最后一位。"
    ]
    taken = _post(APIClient(), credit_code=world.project.developer.credit_code)
    assert "的单位已在平台登记" in taken.json()["error"]["fields"]["credit_code"][0]
    regulator = _post(APIClient(), kind="regulator")
    assert "kind" in regulator.json()["error"]["fields"]
    mismatch = _post(APIClient(), password_again="something-else-entirely")
    assert mismatch.json()["error"]["fields"]["password_again"] == [
        "两次输入的密码不一致，请重新输入。"
    ]
    not_a_scan = APIClient().post(
        URL, {**application_data(), "licence": uploaded("licence.exe", b"MZ\x90\x00", "x/y")}
    )
    assert not_a_scan.status_code == 400
    assert "licence" in not_a_scan.json()["error"]["fields"]
    english = APIClient().post(URL, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert "credit code" in english.json()["error"]["message"].lower()
    assert not Registration.objects.exists()


def test_a_rejected_company_resubmits(world, application):
    services.decide(
        application,
        regulator=world.users["regulator"].organisations.get(),
        user=world.users["regulator"],
        approved=False,
        reason="营业执照扫描件不清晰",
    )
    url = "/api/v1/registrations/mine/resubmission/"
    assert_matrix(
        world,
        "post",
        url,
        {
            "anonymous": (401, 403),
            "outsider": 403,
            "unit": 403,
            "developer": 403,
            "other_regulator": 403,
            "regulator": 403,
            "admin": 403,
        },
    )
    applicant = APIClient()
    applicant.force_authenticate(application.applicant)
    data = {k: v for k, v in application_data().items() if k not in ("username", "password")}
    data.pop("password_again")
    response = applicant.post(
        url, {**data, "legal_representative": "赵立新", "licence": licence_upload("清晰.pdf")}
    )
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["licence_name"]) == ("pending", "清晰.pdf")
    again = applicant.post(url, data)
    assert again.json()["error"]["code"] == "not_resubmittable"
