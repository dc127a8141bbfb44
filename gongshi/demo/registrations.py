"""Self-registration in the demo: a developer waiting for Harbin's decision, and a unit a demo
project invited — made through the registration services the pages call. Idempotent."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from gongshi.core.choices import OrganisationType, UnitRole
from gongshi.demo.data import DEMO_PASSWORD
from gongshi.demo.documents import permit_pdf
from gongshi.organisations.credit_codes import make_credit_code
from gongshi.projects.models import Project
from gongshi.regions.models import Region
from gongshi.registrations import invitations, services
from gongshi.registrations.models import Registration

PENDING_CODE = make_credit_code("230109", 9_001)  # 松北区
INVITED_CODE = make_credit_code("230103", 9_002)  # 南岗区


def _licence(name: str, code: str, representative: str, today: dt.date) -> SimpleUploadedFile:
    pdf = permit_pdf(
        "营业执照",
        code,
        [("名称", name), ("统一社会信用代码", code), ("法定代表人", representative)],
        "哈尔滨市市场监督管理局",
        today - dt.timedelta(days=400),
        "（演示数据）",
    )
    return SimpleUploadedFile("营业执照.pdf", io.BytesIO(pdf).read(), "application/pdf")


@transaction.atomic
def seed_registrations(today: dt.date) -> int:
    """Once: one pending registration, one open invitation. Returns the registrations made."""
    if Registration.objects.exists():
        return 0
    name, representative = "哈尔滨松北新城置业有限公司", "周国栋"
    services.register_organisation(
        {
            "kind": OrganisationType.DEVELOPER,
            "credit_code": PENDING_CODE,
            "name": name,
            "region": Region.objects.get(code="230109"),
            "address": "哈尔滨市松北区创新一路 88 号",
            "legal_representative": representative,
            "contact_name": "吴晓梅",
            "contact_phone": "0451-88880000",
            "contact_email": "wu.xiaomei@songbei-demo.invalid",
            "username": "demo-newcomer",
            "password": DEMO_PASSWORD,
        },
        _licence(name, PENDING_CODE, representative, today),
    )
    project = Project.objects.filter(region__code__startswith="2301").order_by("code").first()
    if project is not None:
        manager = project.developer.members.first()
        if manager is not None:
            invitations.invite(
                project,
                manager,
                role=UnitRole.TESTING,
                credit_code=INVITED_CODE,
                name="哈尔滨正衡工程检测有限公司",
                leader_name="郑正衡",
                email="lab@zhengheng-demo.invalid",
            )
    return 1
