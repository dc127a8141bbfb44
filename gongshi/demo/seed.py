"""Build the demo world (``gongshi seed_demo``): idempotent, deterministic, a few seconds.

Everything is keyed by natural identifiers — credit codes, usernames, the projects' fixed
public codes — so a second run finds it all there and changes nothing. A project is created
with its seven units and its whole disclosure history in the same transaction, so it is
either fully there or not at all.

Disclosure history follows each project's timeline: an item appears once its information
has come into being (permits before the start, material lists as they arrive, acceptance
records around completion), usually published within days, sometimes weeks late, sometimes
corrected by a second version with its reason, once withdrawn; some items are still missing
and a few are waiting for the developer's review. Every publication goes through
:func:`gongshi.disclosures.services.publish_version`, in the order of its (past) publication
time, so the publication log reads chronologically.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.catalogue.models import CatalogueItem, RequirementLevel
from gongshi.core.choices import DeliveryStandard, HousingType, OrganisationType, Stage, UnitRole
from gongshi.demo import data
from gongshi.demo.files import files_for
from gongshi.demo.recipes import CORRECTIONS, build_values, corrected
from gongshi.demo.values import ProjectContext
from gongshi.disclosures.attachments import attach
from gongshi.disclosures.checklist import applies, is_due
from gongshi.disclosures.models import Disclosure, DisclosureVersion, VersionKind, VersionStatus
from gongshi.disclosures.services import publish_version
from gongshi.files.ingest import ingest_upload
from gongshi.organisations.credit_codes import make_credit_code
from gongshi.organisations.models import Membership, Organisation
from gongshi.projects.models import Participation, Project
from gongshi.regions.models import Region
from gongshi.workspace.models import DisclosurePlan, PlanChannel


class SeedError(Exception):
    """The database is not ready for the demo (e.g. not migrated)."""


# Corrections that always happen (more are drawn at random from recipes.CORRECTIONS).
FORCED_CORRECTIONS = {
    ("YRW2QA", "materials.rebar"),
    ("YRWYQA", "acceptance.household_summary"),
    ("BHSYDQ", "parties.supervision"),
    ("HYBZFA", "acceptance.foundation"),
}
INAPPLICABLE_PRESALE = (
    "本项目为保障性住房，由政府统一配租（配售按保障房管理办法另行办理），不进行商品房预售，"
    "不办理商品房预售许可证。"
)
WITHDRAWAL = (
    "HMYRSA",
    "other.promises",
    "所列供暖承诺与购房合同补充协议表述不一致，撤回待核实后重新公示",
)
# Work in progress: (project, item) → (status, days ago the information came about, note).
PENDING = {
    ("YRW2QA", "materials.concrete_main_structure"): (VersionStatus.SUBMITTED, 6, ""),
    ("YRW2QA", "acceptance.main_structure"): (
        VersionStatus.RETURNED,
        9,
        "验收记录扫描件缺少监理单位签章页，请补充后重新提交。",
    ),
    ("HRHPSA", "materials.waterproofing"): (VersionStatus.SUBMITTED, 3, ""),
}
MISSING_REQUIRED_SHARE = 0.06
LATE_SHARE = 0.13
OPTIONAL_SHARE = 0.55
RANDOM_CORRECTION_SHARE = 0.3


@dataclass
class SeedReport:
    projects_created: int = 0
    projects_existing: int = 0
    organisations_created: int = 0
    users_created: int = 0
    published: int = 0
    corrections: int = 0
    withdrawals: int = 0
    late: int = 0
    pending: int = 0
    files: int = 0
    household_rows: int = 0
    reminders: int = 0
    seconds: float = 0.0
    logins: list[data.DemoUser] = field(default_factory=lambda: list(data.USERS))

    @property
    def changed_anything(self) -> bool:
        return bool(self.projects_created or self.organisations_created or self.users_created)


@dataclass(order=True)
class Event:
    """One publication to make, sorted by when it (notionally) happened."""

    at: dt.datetime
    order: int
    ctx: ProjectContext = field(compare=False)
    item: CatalogueItem = field(compare=False)
    kind: str = field(compare=False)
    values: dict = field(compare=False, default_factory=dict)
    information_date: dt.date | None = field(compare=False, default=None)
    reason: str = field(compare=False, default="")
    status: str = field(compare=False, default=VersionStatus.PUBLISHED)
    return_reason: str = field(compare=False, default="")
    instance: int = field(compare=False, default=1)  # of a repeatable item (demo/buildings.py)


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


class Seeder:
    def __init__(self, *, now: dt.datetime | None = None):
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.report = SeedReport()
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, object] = {}
        self.disclosures: dict[tuple[int, int, int], Disclosure] = {}
        self._scans: dict[tuple[str, str], list] = {}
        self._order = 0

    # --- organisations and people --------------------------------------------------------

    def ensure_organisations(self) -> None:
        regions = Region.objects.in_bulk(field_name="code")
        wanted = {}
        for company in data.COMPANIES.values():
            if company.region not in regions:
                raise SeedError(
                    _("缺少行政区划 %(code)s：请先运行 gongshi migrate 再载入演示数据。")
                    % {"code": company.region}
                )
            authority = "1" if company.kind == OrganisationType.REGULATOR else "9"
            code = make_credit_code(company.region, company.serial, authority=authority)
            wanted[code] = company
        existing = Organisation.objects.in_bulk(list(wanted), field_name="credit_code")
        missing = [
            Organisation(
                name=company.name,
                credit_code=code,
                kind=company.kind,
                region=regions[company.region],
                address=company.address,
                phone=company.phone,
            )
            for code, company in wanted.items()
            if code not in existing
        ]
        Organisation.objects.bulk_create(missing)
        self.report.organisations_created = len(missing)
        by_code = Organisation.objects.in_bulk(list(wanted), field_name="credit_code")
        self.orgs = {company.key: by_code[code] for code, company in wanted.items()}

    def ensure_users(self) -> None:
        from django.contrib.auth.hashers import make_password

        from gongshi.accounts.models import User

        existing = User.objects.in_bulk([u.username for u in data.USERS], field_name="username")
        # One hash for the one shared demo password: Argon2 is slow on purpose, and sixteen
        # hashes of the same public password would protect nothing more.
        password = make_password(data.DEMO_PASSWORD)
        for demo in data.USERS:
            user = existing.get(demo.username)
            if user is None:
                admin = demo.role == "admin"
                user = User.objects.create(
                    username=demo.username,
                    password=password,
                    display_name=demo.display_name,
                    email="admin@gongshi.invalid" if admin else "",
                    is_staff=admin,
                    is_superuser=admin,
                )
                self.report.users_created += 1
            if demo.organisation:
                Membership.objects.get_or_create(
                    user=user,
                    organisation=self.orgs[demo.organisation],
                    defaults={"role": demo.role},
                )
            self.users[demo.username] = user
        self.member_of = {
            demo.organisation: self.users[demo.username] for demo in data.USERS if demo.organisation
        }

    # --- projects ----------------------------------------------------------------------------

    def context(self, spec: data.DemoProject) -> ProjectContext:
        developer = data.COMPANIES[spec.developer]
        units = {UnitRole.DEVELOPER.value: developer}
        units.update({str(role): data.COMPANIES[key] for role, key in spec.units.items()})
        district = Region.objects.select_related("parent").get(code=spec.district)
        return ProjectContext(
            spec=spec,
            today=self.today,
            developer=developer,
            units=units,
            city_name=district.parent.name,
            district_name=district.name,
        )

    def write_plan(self, ctx: ProjectContext, project: Project) -> DisclosurePlan:
        """The developer's disclosure plan (§5.1), published a month before the start; a
        project not yet started has only a draft, so its page says the plan is still to come."""
        spec, leader = ctx.spec, ctx.leaders[UnitRole.DEVELOPER]
        channels = [PlanChannel.SALES_OFFICE, PlanChannel.SITE, PlanChannel.WECHAT]
        if spec.housing_type == HousingType.COMMERCIAL:
            channels += [PlanChannel.WEBSITE, PlanChannel.DISPLAY_SCREEN]
        if spec.delivery_standard == DeliveryStandard.FITTED:
            channels.append(PlanChannel.SHOW_FLAT)
        plan = DisclosurePlan(
            project=project,
            responsible_person=leader.name,
            responsible_title=leader.title,
            channels=channels,
            content=(
                "《关于推行住宅工程质量信息公示制度的指导意见》第四条所列六类信息：工程建设程序、"
                "责任主体、主要建筑材料、工程质量验收、工程质量保修及其他信息。"
            ),
            method=(
                "售楼处设公示栏张贴原件扫描件并按进度更新；公示平台、微信公众号同步发布，"
                "公示栏附二维码，购房人可扫码核对原件和历史版本。"
            ),
            regime=(
                "建设单位工程管理部牵头，监理单位审核材料与验收信息，施工单位按阶段提交；"
                "信息形成后由建设单位审核发布，咨询投诉由客服中心在答复期限内答复。"
            ),
            procedure=("参建单位在平台提交 → 建设单位审核（不符的退回并说明原因）→ 公示。"),
            time_limits=("信息形成后 7 日内公示；开工前、施工期间、交付使用前分阶段公示。"),
            management_measures=(
                "指定专人维护公示栏和平台信息，每周核查一次；更正和撤回须写明原因并留痕。"
            ),
            created_by=self.member_of[spec.developer],
        )
        if spec.stage != Stage.NOT_STARTED:
            plan.published_at = _local(ctx.start - dt.timedelta(days=30), 10, 0)
            plan.published_by = plan.created_by
        plan.full_clean()
        plan.save()
        return plan

    def create_project(self, spec: data.DemoProject, ctx: ProjectContext) -> Project:
        started = spec.stage != Stage.NOT_STARTED
        project = Project.objects.create(
            code=spec.code,
            name=spec.name,
            address=spec.address,
            region=Region.objects.get(code=spec.district),
            developer=self.orgs[spec.developer],
            housing_type=spec.housing_type,
            delivery_standard=spec.delivery_standard,
            floor_area=ctx.floor_area,
            building_count=spec.layout[0],
            household_count=ctx.household_count,
            structure_type=spec.structure_type,
            contract_duration_days=spec.contract_duration_days,
            stage=spec.stage,
            started_on=ctx.start if started else None,
            completion_accepted_on=(
                ctx.completion if spec.completion_days_ago is not None else None
            ),
            handed_over_on=ctx.handover,
        )
        Participation.objects.bulk_create(
            Participation(
                project=project,
                organisation=self.orgs[company.key],
                role=role,
                leader_name=ctx.leaders[role].name,
                leader_title=ctx.leaders[role].title,
            )
            for role, company in ctx.units.items()
        )
        return project

    # --- planning the history --------------------------------------------------------------

    def _event(self, ctx, item, at, **fields) -> Event:
        self._order += 1
        return Event(at=at, order=self._order, ctx=ctx, item=item, **fields)

    def _values(self, ctx: ProjectContext, item: CatalogueItem, on: dt.date) -> dict:
        values = build_values(ctx, item, on)
        if "credit_code" in values and item.code.startswith("parties."):
            values["credit_code"] = self.orgs[ctx.units[item.supplier].key].credit_code
        if "successor_credit_code" in values:
            developer = ctx.developer
            values["successor_credit_code"] = make_credit_code(
                developer.region, developer.serial + 5_000_000
            )
        return values

    def plan(
        self, ctx: ProjectContext, project: Project, items: list[CatalogueItem]
    ) -> list[Event]:
        events = []
        rng = ctx.rng
        for item in items:
            if not (applies(item, project, self.today) and is_due(item, project.stage)):
                continue
            if item.code == "procedure.presale_permit" and not ctx.spec.presale:
                # Not sold, so no pre-sale permit exists: declared so, publicly, with the
                # reason (声明不适用), soon after the item fell due.
                on = ctx.information_date(item.code)
                if on <= self.today:
                    at = _local(on + dt.timedelta(days=rng.randint(1, 4)), 10, rng.randint(0, 59))
                    events.append(
                        self._event(
                            ctx, item, min(at, self.now), kind=VersionKind.INAPPLICABLE,
                            reason=INAPPLICABLE_PRESALE,
                        )
                    )  # fmt: skip
                continue
            key = (ctx.spec.code, item.code)
            if key in PENDING:
                status, days_ago, note = PENDING[key]
                on = self.today - dt.timedelta(days=days_ago)
                events.append(
                    self._event(
                        ctx, item, self.now - dt.timedelta(hours=days_ago * 5),
                        kind=VersionKind.PUBLICATION, values=self._values(ctx, item, on),
                        information_date=on, status=status, return_reason=note,
                    )
                )  # fmt: skip
                continue
            on = ctx.information_date(item.code)
            if on > self.today:
                continue  # has not happened yet
            forced = key in FORCED_CORRECTIONS or key[:2] == WITHDRAWAL[:2]
            optional = item.requirement_for(project.housing_type) != RequirementLevel.REQUIRED
            draw = rng.random()
            if not forced and (
                (optional and draw > OPTIONAL_SHARE)
                or (not optional and draw < MISSING_REQUIRED_SHARE)
            ):
                continue  # never disclosed: shows up as missing on the checklist
            late = not forced and rng.random() < LATE_SHARE
            delay = rng.randint(12, 75) if late else rng.randint(0, 5)
            at = _local(on + dt.timedelta(days=delay), rng.randint(9, 16), rng.randint(0, 59))
            if at > self.now:
                if item.supplier == UnitRole.DEVELOPER:
                    continue  # the developer has not got round to it yet
                at, status = self.now - dt.timedelta(hours=2), VersionStatus.SUBMITTED
                events.append(
                    self._event(
                        ctx,
                        item,
                        at,
                        kind=VersionKind.PUBLICATION,
                        values=self._values(ctx, item, on),
                        information_date=on,
                        status=status,
                    )  # fmt: skip
                )
                continue
            values = self._values(ctx, item, on)
            events.append(
                self._event(
                    ctx, item, at, kind=VersionKind.PUBLICATION, values=values, information_date=on
                )  # fmt: skip
            )
            if key[:2] == WITHDRAWAL[:2]:
                later = at + dt.timedelta(days=rng.randint(20, 40), hours=1)
                if later < self.now:
                    events.append(
                        self._event(
                            ctx, item, later, kind=VersionKind.WITHDRAWAL, reason=WITHDRAWAL[2]
                        )  # fmt: skip
                    )
                continue
            wants_correction = key in FORCED_CORRECTIONS or (
                item.code in CORRECTIONS and rng.random() < RANDOM_CORRECTION_SHARE
            )
            if wants_correction:
                later = at + dt.timedelta(days=rng.randint(4, 45), hours=rng.randint(1, 5))
                if later < self.now:
                    new_values, reason = corrected(ctx, item.code, values)
                    events.append(
                        self._event(ctx, item, later, kind=VersionKind.CORRECTION,
                                    values=new_values, information_date=on, reason=reason)
                    )  # fmt: skip
        return events

    # --- carrying it out -----------------------------------------------------------------

    def _disclosure(self, project: Project, item: CatalogueItem, instance: int = 1) -> Disclosure:
        key = (project.pk, item.pk, instance)
        if key not in self.disclosures:
            self.disclosures[key] = Disclosure.objects.get_or_create(
                project=project, item=item, instance=instance
            )[0]
        return self.disclosures[key]

    def _files(self, event: Event) -> list[tuple[str, str, object]]:
        """The stored files for a version; a correction of a typed-in value keeps the scans.

        Only a correction that changes what the paper says (a new project leader signs new
        letters) gets new documents.
        """
        ctx, item = event.ctx, event.item
        key = (ctx.spec.code, item.code)
        new_paper = item.code.startswith("parties.")
        if event.kind == VersionKind.CORRECTION and key in self._scans and not new_paper:
            return self._scans[key]
        files = [
            (name, label, ingest_upload(io.BytesIO(content)))
            for name, label, content in files_for(ctx, item, event.values, event.information_date)
        ]
        self._scans[key] = files
        return files

    def carry_out(self, event: Event, project: Project) -> None:
        ctx, item = event.ctx, event.item
        supplier = self.orgs[ctx.units[item.supplier].key]
        approver = self.member_of[ctx.spec.developer]
        author = self.member_of.get(ctx.units[item.supplier].key, approver)
        version = DisclosureVersion.objects.create(
            disclosure=self._disclosure(project, item, event.instance),
            kind=event.kind,
            values=event.values,
            information_date=event.information_date,
            reason=event.reason,
            supplied_by=supplier,
            created_by=author,
            status=VersionStatus.DRAFT,
        )
        if event.kind not in (VersionKind.WITHDRAWAL, VersionKind.INAPPLICABLE):
            for name, label, stored in self._files(event):
                attach(version, stored, name, label)
                self.report.files += 1
        if event.status != VersionStatus.PUBLISHED:
            version.status = event.status
            version.submitted_at = event.at
            version.return_reason = event.return_reason
            version.save(update_fields=["status", "submitted_at", "return_reason"])
            self.report.pending += 1
            return
        publish_version(version, approver, now=event.at)
        self.report.published += 1
        if item.code.startswith("parties.") and event.kind == VersionKind.CORRECTION:
            # A leader replaced: the project's unit list follows the corrected disclosure.
            Participation.objects.filter(
                project=project, role=item.supplier, organisation=supplier
            ).update(leader_name=event.values["leader_name"])
        if event.kind == VersionKind.CORRECTION:
            self.report.corrections += 1
        elif event.kind == VersionKind.WITHDRAWAL:
            self.report.withdrawals += 1
        elif (version.timeliness_days or 0) > settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS:
            self.report.late += 1
        if item.code == "acceptance.household_summary":
            self.report.household_rows += len(event.values.get("households") or [])

    def run(self) -> SeedReport:
        started = time.monotonic()
        items = list(
            CatalogueItem.objects.filter(region__isnull=True, active=True).select_related("region")
        )
        if not items:
            raise SeedError(_("公示事项目录为空：请先运行 gongshi migrate 再载入演示数据。"))
        with transaction.atomic():
            self.ensure_organisations()
            self.ensure_users()
            existing = set(
                Project.objects.filter(code__in=[p.code for p in data.PROJECTS]).values_list(
                    "code", flat=True
                )
            )
            events, projects = [], {}
            for spec in data.PROJECTS:
                if spec.code in existing:
                    self.report.projects_existing += 1
                    continue
                ctx = self.context(spec)
                project = self.create_project(spec, ctx)
                self.write_plan(ctx, project)
                projects[spec.code] = project
                events += self.plan(ctx, project, items)
                self.report.projects_created += 1
            from gongshi.demo.buildings import plan_buildings

            events += plan_buildings(self, projects)
            for event in sorted(events):
                self.carry_out(event, projects[event.ctx.spec.code])
            # Regulators' records last: they act on what the projects disclosed.
            from gongshi.demo.supervision import seed_supervision

            seed_supervision(self.today)
            # The public's questions, open days and followers, after what they react to.
            from gongshi.demo.participation import seed_participation

            seed_participation(self.today)
            from gongshi.demo.registrations import seed_registrations

            seed_registrations(self.today)  # a company waiting for approval, an invited unit
            # Flats with measured data, an owner's inspection and the sample flat's labels.
            from gongshi.demo.households import seed_households

            seed_households(self.today)
            # Last: the day's reminders about everything above (an item falls due tomorrow).
            from gongshi.demo.reminders import seed_reminders

            self.report.reminders = seed_reminders(self.now, self.users["demo-hongtai"])
        self.report.seconds = time.monotonic() - started
        return self.report


def seed_demo(*, now: dt.datetime | None = None) -> SeedReport:
    """Create whatever part of the demo world is missing; returns what was done.

    ``now`` moves "today" for the whole timeline (tests pin it); by default the real time.
    """
    return Seeder(now=now).run()
