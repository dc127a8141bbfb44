"""Plausible field values for every catalogue item, consistent with a project's timeline.

:func:`build_values` starts from a recipe for the item (realistic content per key: permit and
report numbers, manufacturers, dates from the project's milestones) and then walks the
item's field definitions, generating any field or table column the recipe did not fill from
its type and key. So every field is filled, and an item added to the catalogue later (a
city's local item) still gets sensible values without a new recipe.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from gongshi.core.choices import UnitRole
from gongshi.demo.data import CITIES, GIVEN_NAMES, SURNAMES, Company, DemoProject
from gongshi.organisations.credit_codes import make_credit_code

# When each item's information comes into being, as a fraction of the contract duration
# from the start date (negative: before the start; "completion±n": days around completion).
MILESTONES: dict[str, float | str] = {
    "procedure.planning_permit": -0.2,
    "procedure.construction_permit": -0.03,
    "procedure.presale_permit": 0.22,
    "other.design_service_life": -0.12,
    "other.quality_commitment": -0.04,
    "warranty.latent_defect_insurance": -0.05,
    "materials.rebar": 0.05,
    "materials.concrete_foundation": 0.12,
    "materials.waterproofing": 0.14,
    "materials.prefabricated": 0.3,
    "other.promises": 0.23,
    "other.penalties": 0.35,
    "materials.other": 0.4,
    "materials.concrete_main_structure": 0.5,
    "materials.pipes": 0.52,
    "materials.cables": 0.55,
    "materials.doors_windows": 0.6,
    "materials.insulation": 0.62,
    "acceptance.foundation": 0.18,
    "acceptance.main_structure": 0.56,
    "acceptance.structure_entity_testing": 0.54,
    "acceptance.roof": 0.68,
    "materials.fitout": 0.75,
    "acceptance.indoor_environment": "completion-35",
    "acceptance.household_summary": "completion-25",
    "acceptance.fire_protection": "completion-15",
    "acceptance.joint_acceptance": "completion-8",
    "acceptance.unit_completion": "completion+0",
    "acceptance.completion_filing": "completion+12",
    "warranty.service": "completion+5",
    "warranty.liability_successor": "completion+5",
    "warranty.guarantee_and_manual": "completion+10",
}
PARTY_MILESTONE = -0.06  # the seven units' authorisation and commitment letters

LEADER_TITLES = {
    UnitRole.DEVELOPER: "工程部经理（高级工程师）",
    UnitRole.SURVEY: "项目负责人（注册土木工程师（岩土））",
    UnitRole.DESIGN: "设计总负责人（一级注册建筑师）",
    UnitRole.CONTRACTOR: "项目经理（一级建造师）",
    UnitRole.SUPERVISION: "总监理工程师",
    UnitRole.DRAWING_REVIEW: "审查项目负责人（高级工程师）",
    UnitRole.TESTING: "检测项目负责人（高级工程师）",
}
QUALIFICATIONS = {
    UnitRole.DEVELOPER: "房地产开发企业二级资质，证书编号 黑房开{region}{serial:04d}",
    UnitRole.SURVEY: "工程勘察综合类甲级，证书编号 B2230{serial:05d}",
    UnitRole.DESIGN: "建筑行业（建筑工程）甲级，证书编号 A2230{serial:05d}",
    UnitRole.CONTRACTOR: "建筑工程施工总承包壹级，证书编号 D2230{serial:05d}",
    UnitRole.SUPERVISION: "房屋建筑工程监理甲级，证书编号 E2230{serial:05d}",
    UnitRole.DRAWING_REVIEW: "房屋建筑工程施工图审查一类机构，认定书编号 黑建审〔2021〕{serial:03d}号",
    UnitRole.TESTING: "建设工程质量检测机构综合资质，证书编号 黑建检综字{serial:04d}号",
}
LEADER_CERTIFICATES = {
    UnitRole.DEVELOPER: "黑职称高字第{year}{serial:04d}号",
    UnitRole.SURVEY: "AY23{year}{serial:04d}",
    UnitRole.DESIGN: "2323{year}-A{serial:04d}",
    UnitRole.CONTRACTOR: "黑1230{year}{serial:05d}",
    UnitRole.SUPERVISION: "2300{serial:05d}",
    UnitRole.DRAWING_REVIEW: "黑审人字{year}-{serial:03d}",
    UnitRole.TESTING: "黑检人字{year}-{serial:04d}",
}


def chinese_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


@dataclass
class Leader:
    name: str
    title: str
    certificate: str


@dataclass
class ProjectContext:
    """Everything the value recipes need about one project, with its own seeded RNG."""

    spec: DemoProject
    today: dt.date
    developer: Company
    units: dict[str, Company]  # role → company, the developer included
    city_name: str  # 哈尔滨市
    district_name: str  # 松北区
    rng: random.Random = field(init=False)
    leaders: dict[str, Leader] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"gongshi-demo:{self.spec.code}")
        for role in self.units:
            self.leaders[role] = Leader(
                name=chinese_name(self.rng),
                title=LEADER_TITLES[role],
                certificate=LEADER_CERTIFICATES[role].format(
                    year=self.start.year - self.rng.randint(3, 12),
                    serial=self.rng.randint(100, 9999) % 10_000,
                ),
            )

    # --- timeline --------------------------------------------------------------------------

    @property
    def start(self) -> dt.date:
        return self.today - dt.timedelta(days=self.spec.started_days_ago)

    @property
    def completion(self) -> dt.date:
        """Completion acceptance: the real date once completed, else the planned one."""
        if self.spec.completion_days_ago is not None:
            return self.today - dt.timedelta(days=self.spec.completion_days_ago)
        return self.start + dt.timedelta(days=self.spec.contract_duration_days)

    @property
    def handover(self) -> dt.date | None:
        if self.spec.handover_days_ago is None:
            return None
        return self.today - dt.timedelta(days=self.spec.handover_days_ago)

    def at(self, fraction: float) -> dt.date:
        """The day ``fraction`` of the way through construction (scaled to the real span)."""
        span = (self.completion - self.start).days
        return self.start + dt.timedelta(days=round(span * fraction))

    def information_date(self, item_code: str) -> dt.date:
        milestone = MILESTONES.get(item_code, PARTY_MILESTONE if "parties." in item_code else 0.4)
        if isinstance(milestone, str):
            return self.completion + dt.timedelta(days=int(milestone.removeprefix("completion")))
        jitter = self.rng.randint(-4, 4)
        return self.at(milestone) + dt.timedelta(days=jitter)

    # --- facts -----------------------------------------------------------------------------

    @property
    def city_short(self) -> str:
        return CITIES[self.spec.district[:4] + "00"][0]

    @property
    def household_count(self) -> int:
        buildings, units, floors = self.spec.layout
        return buildings * units * floors * 2

    @property
    def floor_area(self) -> Decimal:
        # ~ 96 m² a home plus 16 % common area, garages and plant rooms.
        area = self.household_count * 96 * 1.16 + self.spec.layout[0] * 420
        return Decimal(round(area, -1)).quantize(Decimal("0.01"))

    @property
    def scale(self) -> str:
        buildings, _units, floors = self.spec.layout
        return (
            f"总建筑面积 {self.floor_area:,.0f} 平方米，住宅 {buildings} 栋（地上 {floors} 层），"
            f"共 {self.household_count} 户"
        )

    def testing_prefix(self) -> str:
        return self.units[UnitRole.TESTING].abbreviation

    def report_number(self, kind: str, on: dt.date) -> str:
        return f"{self.testing_prefix()}-{on.year}-{kind}{self.rng.randint(1, 2999):04d}"


def iso(day: dt.date) -> str:
    return day.isoformat()


# --- generic values from a field definition -----------------------------------------------


def generic_value(definition: dict, ctx: ProjectContext, on: dt.date, row: int = 0):
    """A plausible value for any field, from its type and key (used when no recipe fills it)."""
    kind = definition["type"]
    if kind == "date":
        return iso(on - dt.timedelta(days=row))
    if kind == "number":
        low = Decimal(str(definition.get("min", 1)))
        high = Decimal(str(definition.get("max", low + 100)))
        value = low + (high - low) * Decimal(ctx.rng.randint(10, 60)) / 100
        decimals = definition.get("decimals", 2)
        # The canonical form clean_values stores: no trailing zeros, never an exponent.
        return format(value.quantize(Decimal(1).scaleb(-decimals)).normalize(), "f")
    if kind == "choice":
        values = [c["value"] for c in definition["choices"]]
        for preferred in ("pass", "passed", "yes", "done"):
            if preferred in values:
                return preferred
        return values[0]
    text = _generic_text(definition, ctx, on, row)
    return text[: definition.get("max_length", 200)]


def _generic_text(definition: dict, ctx: ProjectContext, on: dt.date, row: int) -> str:
    kind, key = definition["type"], definition["key"]
    if definition.get("format") == "uscc":
        return make_credit_code(ctx.developer.region, ctx.developer.serial)
    if "number" in key or key.endswith("_no"):
        return f"{ctx.spec.code}-{on.year}-{row + 1:03d}"
    if "name" in key or "unit" in key:
        return ctx.developer.name
    if "phone" in key or "telephone" in key:
        return ctx.developer.phone
    if "address" in key:
        return ctx.spec.address
    if kind == "textarea":
        return f"{definition['label']}：按{ctx.spec.name}实际情况填报，详见附件。"
    return f"{ctx.spec.name}{definition['label']}"


def complete(definitions: list[dict], values: dict, ctx: ProjectContext, on: dt.date) -> dict:
    """Fill every field and table column the recipe left out; drop keys the item lacks."""
    result = {}
    for definition in definitions:
        key = definition["key"]
        if definition["type"] == "table":
            rows = values.get(key) or []
            result[key] = [
                {
                    column["key"]: (
                        row[column["key"]]
                        if row.get(column["key"]) not in (None, "")
                        else generic_value(column, ctx, on, index)
                    )
                    for column in definition["columns"]
                }
                for index, row in enumerate(rows)
            ]
            if not result[key] and definition.get("min_rows", 0):
                result[key] = [
                    {c["key"]: generic_value(c, ctx, on, 0) for c in definition["columns"]}
                ]
            continue
        value = values.get(key)
        result[key] = generic_value(definition, ctx, on) if value in (None, "") else value
    return result
