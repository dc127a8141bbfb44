"""The owner's pre-handover inspection in the browser's forms: prove ownership (contract and
phone, or a texted code), record a problem with a photo, the developer answers, the owner
accepts or reopens — every change of status logged; nobody else sees any of it."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.files.testing import make_jpeg_bytes, make_pdf_bytes, uploaded
from gongshi.households.models import InspectionProblem, ProblemAction, ProblemStatus
from gongshi.households.tests.conftest import CONTRACT, OWNER_PHONE

pytestmark = pytest.mark.usefixtures("frozen_now")


def owner_url(estate) -> str:
    return estate.flat_url + "owner/"


def verified(client, estate, contract=CONTRACT, phone=OWNER_PHONE):
    return client.post(
        owner_url(estate) + "contract/", {"contract_number": contract, "phone": phone}
    )


def test_without_proof_everyone_sees_only_the_verification_forms(world, estate):
    assert_matrix(world, "get", owner_url(estate), dict.fromkeys(ROLES, 200))
    html = world.client("developer").get(owner_url(estate)).content.decode()
    assert "用合同编号和手机号验证" in html
    assert "已登记的问题" not in html


def test_contract_number_and_phone_prove_the_owner(estate, client):
    response = verified(client, estate, contract=" ht-2026-0815 ", phone="139 1234 5678")
    assert response.status_code == 302
    assert response["Location"] == owner_url(estate)
    assert "已登记的问题" in client.get(owner_url(estate)).content.decode()


def test_a_wrong_contract_number_or_phone_is_refused_with_what_to_check(estate, client):
    for contract, phone in [("HT-0000", OWNER_PHONE), (CONTRACT, "13800000000")]:
        response = verified(client, estate, contract, phone)
        assert response.status_code == 400
        assert "合同编号或手机号与建设单位登记的不一致" in response.content.decode()
    assert "已登记的问题" not in client.get(owner_url(estate)).content.decode()


def test_guessing_contract_numbers_is_limited_per_flat(estate, client):
    statuses = [verified(client, estate, f"HT-{n:04d}").status_code for n in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


def test_proof_for_one_flat_does_not_open_another(world, estate, client):
    from gongshi.households.models import FlatArchive

    verified(client, estate)
    other = FlatArchive.objects.exclude(pk=estate.archive.pk).filter(project=world.project).first()
    html = client.get(f"/p/{world.project.code}/h/{other.code}/owner/").content.decode()
    assert "用合同编号和手机号验证" in html


def test_a_texted_code_proves_the_owner(estate, client, settings):
    from gongshi.participation.tests import sms_outbox

    settings.GONGSHI_SMS_BACKEND = "gongshi.participation.tests.sms_outbox.OutboxSmsBackend"
    sms_outbox.sent.clear()
    response = client.post(owner_url(estate) + "code/", {"phone": OWNER_PHONE})
    assert "验证码已发送" in response.content.decode()
    [(mobile, message)] = sms_outbox.sent
    assert mobile == OWNER_PHONE
    code = re.search(r"\b(\d{6})\b", message).group(1)
    response = client.post(owner_url(estate) + "confirm/", {"phone": OWNER_PHONE, "code": code})
    assert response.status_code == 302
    assert "已登记的问题" in client.get(owner_url(estate)).content.decode()


def test_another_number_gets_the_same_answer_and_no_text(estate, client, settings):
    from gongshi.participation.tests import sms_outbox

    settings.GONGSHI_SMS_BACKEND = "gongshi.participation.tests.sms_outbox.OutboxSmsBackend"
    sms_outbox.sent.clear()
    response = client.post(owner_url(estate) + "code/", {"phone": "13800000000"})
    assert response.status_code == 200
    assert "如果该手机号是购房时登记的号码，验证码已发送" in response.content.decode()
    assert sms_outbox.sent == []
    response = client.post(
        owner_url(estate) + "confirm/", {"phone": "13800000000", "code": "123456"}
    )
    assert response.status_code == 400


def test_codes_keep_the_platforms_per_number_limit(estate, client, settings):
    settings.GONGSHI_SMS_BACKEND = "gongshi.participation.tests.sms_outbox.OutboxSmsBackend"
    assert client.post(owner_url(estate) + "code/", {"phone": OWNER_PHONE}).status_code == 200
    response = client.post(owner_url(estate) + "code/", {"phone": OWNER_PHONE})
    assert response.status_code == 429
    assert "验证码刚刚发出" in response.content.decode()


def test_the_owner_records_answers_and_accepts_each_step_logged(world, estate, client):
    verified(client, estate)
    photo = uploaded("crack.jpg", make_jpeg_bytes(), "image/jpeg")
    response = client.post(
        owner_url(estate),
        {"location": "主卧窗台", "description": "窗台石材有一条裂缝", "photo": photo},
    )
    assert response.status_code == 302
    problem = InspectionProblem.objects.get()
    assert problem.status == ProblemStatus.OPEN and problem.photo is not None
    assert client.get(owner_url(estate) + f"problems/{problem.pk}/photo/").status_code == 200

    developer = world.client("developer")
    fix_by = timezone.localdate() + dt.timedelta(days=7)
    response = developer.post(
        f"/workspace/p/{world.project.code}/problems/{problem.pk}/answer/",
        {"answer": "更换窗台石材", "fix_by": fix_by.isoformat()},
    )
    assert response.status_code == 302
    html = client.get(owner_url(estate)).content.decode()
    assert "更换窗台石材" in html and fix_by.isoformat() in html

    response = client.post(
        owner_url(estate) + f"problems/{problem.pk}/decide/",
        {f"p{problem.pk}-decision": "reopen", f"p{problem.pk}-note": "裂缝仍在"},
    )
    assert response.status_code == 302
    developer.post(
        f"/workspace/p/{world.project.code}/problems/{problem.pk}/answer/",
        {"answer": "已重新更换整块石材", "fix_by": fix_by.isoformat()},
    )
    client.post(
        owner_url(estate) + f"problems/{problem.pk}/decide/", {f"p{problem.pk}-decision": "accept"}
    )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ACCEPTED
    assert list(problem.events.values_list("action", "by_owner")) == [
        (ProblemAction.RECORDED, True),
        (ProblemAction.ANSWERED, False),
        (ProblemAction.REOPENED, True),
        (ProblemAction.ANSWERED, False),
        (ProblemAction.ACCEPTED, True),
    ]


def test_a_problem_needs_a_location_a_description_and_a_photo_that_is_an_image(estate, client):
    verified(client, estate)
    response = client.post(owner_url(estate), {"location": "", "description": "裂"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请写明问题位置" in html
    assert "请描述问题（至少 4 个字）" not in html  # the form's own check comes first
    pdf = uploaded("x.pdf", make_pdf_bytes(["x"]), "application/pdf")
    response = client.post(
        owner_url(estate), {"location": "客厅", "description": "墙面空鼓约半平方米", "photo": pdf}
    )
    assert response.status_code == 400
    assert "照片须为 JPEG 或 PNG 图片" in response.content.decode()
    assert not InspectionProblem.objects.exists()


def test_the_owner_cannot_accept_before_an_answer(estate, client):
    verified(client, estate)
    client.post(owner_url(estate), {"location": "客厅", "description": "墙面空鼓约半平方米"})
    problem = InspectionProblem.objects.get()
    response = client.post(
        owner_url(estate) + f"problems/{problem.pk}/decide/", {f"p{problem.pk}-decision": "accept"}
    )
    assert response.status_code == 400
    assert "建设单位答复后才能确认" in response.content.decode()


def test_only_the_developer_answers_and_sees_the_problem_photo(world, estate, client):
    verified(client, estate)
    photo = uploaded(
        "crack.png",
        __import__("gongshi.files.testing", fromlist=["x"]).make_png_bytes(),
        "image/png",
    )
    client.post(
        owner_url(estate), {"location": "客厅", "description": "墙面空鼓约半平方米", "photo": photo}
    )
    problem = InspectionProblem.objects.get()
    answer_url = f"/workspace/p/{world.project.code}/problems/{problem.pk}/answer/"
    fix_by = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert_matrix(
        world,
        "post",
        answer_url,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 403,
            "developer": 302,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data={"answer": "返工处理空鼓", "fix_by": fix_by},
    )
    assert_matrix(
        world,
        "get",
        f"/files/{problem.photo.sha256}/",
        {
            "anonymous": 404,
            "outsider": 404,
            "unit": 404,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 200,
        },
    )
    # Another visitor's session is not the owner's.
    assert (
        world.client("anonymous")
        .get(owner_url(estate) + f"problems/{problem.pk}/photo/")
        .status_code
        == 404
    )
