import pytest

from gongshi.core.choices import OrganisationType
from gongshi.files.testing import make_pdf_bytes, uploaded
from gongshi.organisations.credit_codes import make_credit_code
from gongshi.registrations import services

CODE = make_credit_code("230103", 4242)


def application_data(**overrides) -> dict:
    data = {
        "kind": OrganisationType.DEVELOPER,
        "credit_code": CODE,
        "name": "哈尔滨新注册置业有限公司",
        "region": "230103",
        "address": "哈尔滨市南岗区注册路 8 号",
        "legal_representative": "赵立新",
        "contact_name": "钱明",
        "contact_phone": "0451-86000000",
        "contact_email": "qian@example.com",
        "username": "newdev",
        "password": "a-long-enough-pass-phrase",
        "password_again": "a-long-enough-pass-phrase",
    }
    data.update(overrides)
    return data


def licence_upload(name: str = "营业执照.pdf"):
    return uploaded(name, make_pdf_bytes(["Business licence", "营业执照"]), "application/pdf")


@pytest.fixture
def application(world):
    """A pending self-registration of a developer in Harbin (Nangang)."""
    from gongshi.regions.models import Region

    data = application_data()
    data["region"] = Region.objects.get(code=data["region"])
    return services.register_organisation(data, licence_upload())
