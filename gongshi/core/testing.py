"""Test helpers shared by every app: factories and the permission-matrix personas.

The personas, around one project in Harbin (Nangang district):

=================  =========================================================
anonymous          not logged in
outsider           member of another developer, with its own project in Daqing
unit               member of the project's contractor (a participating unit)
developer          member (manager) of the project's developer
other_regulator    member of Daqing's housing authority (another city)
regulator          member of Harbin's housing authority (the project's city)
admin              platform administrator (superuser)
=================  =========================================================
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.test import Client

from gongshi.core.choices import DeliveryStandard, HousingType, OrganisationType, Stage, UnitRole
from gongshi.organisations.credit_codes import make_credit_code
from gongshi.organisations.models import Membership, MembershipRole, Organisation
from gongshi.projects.models import Participation, Project, StructureType
from gongshi.regions.models import Region

# The fixed "now" of every test that is about a calendar date: Wednesday 25 November 2026,
# 10:00 in Harbin — a working day, with 2026's holiday arrangement known and 2027's not yet
# published. Tests take it through the `frozen_now` fixture (conftest.py), never by reading the
# wall clock; the clock then ticks on from here, so records made in a test keep their order.
FROZEN_NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

ROLES = ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"]
PASSWORD = "correct-horse-battery-staple"
# What a page of the regulator's console answers each role: the other city's regulator gets
# the page for its own area (with its own numbers); everyone else is sent to sign in or 404.
REGULATOR_ONLY = {
    "anonymous": 302,
    "outsider": 404,
    "unit": 404,
    "developer": 404,
    "other_regulator": 200,
    "regulator": 200,
    "admin": 404,
}

_serial = itertools.count(10_000)


def make_org(kind: str, region_code: str = "230103", name: str | None = None) -> Organisation:
    serial = next(_serial)
    region = Region.objects.get(code=region_code)
    authority = "1" if kind == OrganisationType.REGULATOR else "9"
    return Organisation.objects.create(
        name=name or f"测试{OrganisationType(kind).label}{serial}",
        credit_code=make_credit_code(region.code, serial, authority=authority),
        kind=kind,
        region=region,
    )


def make_user(
    username: str, organisation: Organisation | None = None, *, role=MembershipRole.MEMBER, **extra
):
    from gongshi.accounts.models import User

    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_project(developer: Organisation, region_code: str = "230103", **fields) -> Project:
    defaults = {
        "name": "测试花园一期",
        "address": "哈尔滨市南岗区测试路1号",
        "housing_type": HousingType.COMMERCIAL,
        "delivery_standard": DeliveryStandard.SHELL,
        "floor_area": Decimal("52000.00"),
        "building_count": 6,
        "household_count": 480,
        "structure_type": StructureType.SHEAR_WALL,
        "contract_duration_days": 720,
        "stage": Stage.UNDER_CONSTRUCTION,
    }
    defaults.update(fields)
    return Project.objects.create(
        region=Region.objects.get(code=region_code), developer=developer, **defaults
    )


def link_all_units(project: Project) -> dict[str, Organisation]:
    """Give a project all seven units; returns them by role."""
    units = {UnitRole.DEVELOPER.value: project.developer}
    Participation.objects.create(
        project=project,
        organisation=project.developer,
        role=UnitRole.DEVELOPER,
        leader_name="王建国",
    )
    for role in UnitRole:
        if role == UnitRole.DEVELOPER:
            continue
        org = make_org(role.value, project.region.code)
        Participation.objects.create(
            project=project, organisation=org, role=role, leader_name="李明"
        )
        units[role.value] = org
    return units


@dataclass
class World:
    """A project with its seven units and one user per persona."""

    project: Project
    other_project: Project
    units: dict[str, Organisation]
    users: dict[str, object] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            login_client(client, self.users[role])
        return client


def login_client(client: Client, user) -> Client:
    """Log ``client`` in as ``user`` as the real sign-in would leave it.

    Staff and regulators sign in with a TOTP code (gongshi.accounts), so their sessions carry
    a verified OTP device; a bare ``force_login`` would look like a half-finished sign-in and
    the admin would refuse it.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongshi.accounts.policy import requires_second_factor

    client.force_login(user)
    if requires_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def totp_now(device) -> str:
    """The code an authenticator app would show for ``device`` right now."""
    from gongshi.accounts.totp import current_code

    return current_code(device)


def build_world() -> World:
    developer = make_org(OrganisationType.DEVELOPER, name="哈尔滨测试置业有限公司")
    project = make_project(developer)
    units = link_all_units(project)
    other_developer = make_org(OrganisationType.DEVELOPER, "230602", name="大庆测试地产有限公司")
    other_project = make_project(
        other_developer, "230602", name="大庆测试家园", address="大庆市萨尔图区测试街8号"
    )
    link_all_units(other_project)
    harbin_regulator = make_org(
        OrganisationType.REGULATOR, "230100", name="哈尔滨市住房和城乡建设局"
    )
    daqing_regulator = make_org(OrganisationType.REGULATOR, "230600", name="大庆市住房和城乡建设局")

    from gongshi.accounts.models import User

    users = {
        "outsider": make_user("outsider", other_developer, role=MembershipRole.MANAGER),
        "unit": make_user("unit", units[UnitRole.CONTRACTOR]),
        "developer": make_user("developer", developer, role=MembershipRole.MANAGER),
        "other_regulator": make_user("other_regulator", daqing_regulator),
        "regulator": make_user("regulator", harbin_regulator),
        "admin": User.objects.create_superuser("admin", "admin@example.com", PASSWORD),
    }
    return World(project=project, other_project=other_project, units=units, users=users)


def assert_matrix(
    world: World, method: str, url: str, expected: dict[str, int | tuple[int, ...]], **kwargs
) -> None:
    """Request ``url`` as every persona and check each status code.

    ``expected`` must name every role, so adding a view forces a decision for each one.
    """
    missing = set(ROLES) - set(expected)
    assert not missing, (
        f"permission matrix for {url} does not say what happens for {sorted(missing)}"
    )
    failures = []
    for role in ROLES:
        response = getattr(world.client(role), method.lower())(url, **kwargs)
        allowed = expected[role] if isinstance(expected[role], tuple) else (expected[role],)
        if response.status_code not in allowed:
            failures.append(f"{role}: got {response.status_code}, expected {allowed}")
    assert not failures, f"{method} {url}\n" + "\n".join(failures)


def scroll_width(page) -> int:
    """The page's scroll width in CSS px, once its stylesheets have loaded (a layout read
    while a stylesheet is still on its way measures the unstyled page)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.scrollingElement.scrollWidth")
