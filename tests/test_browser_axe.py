"""axe-core on every page template, in real Chromium: 0 violations at any impact.

Every combination the issue names is checked — 375 and 1280 px, zh-Hans and English, normal
and large-text (长辈模式) — on demo data (three projects of the demo seed with their whole
histories: long tables, corrections, questions, open days, regulators' records).

Each case (a page, a persona, maybe a form submitted) is its own test, named by its label
(``pytest tests/test_browser_axe.py -k "project"`` checks the matching ones), so pytest-xdist
spreads them over its workers. How they stay inside their time budget:

* The demo is seeded once per test process (a module-scoped fixture), not per case; a live
  server of the module's own serves it, and the database is flushed when the module is done.
* One browser context per (persona, language, mode), kept while that persona's cases run:
  the language comes from the context's Accept-Language, large text from the ``elderly``
  cookie, the sign-in from a session cookie.
* Each page is loaded once per context, checked at 1280 px, then the viewport is narrowed to
  375 px and it is checked again without a reload (the server's HTML does not depend on the
  width; the CSS media queries do, and axe runs on the laid-out page).

So there are (pages × 4) loads and twice as many axe runs, rather than eight loads a page.

The module records every template the server renders while its cases load (Django's
``template_rendered`` signal, sent in test runs for includes too); a test of its own loads the
cases this test process has not loaded yet, and fails when a template in the repository was
never rendered: a new template needs a case here. Pages that
are not reached by a plain GET (a form's error state, the 500 page, the printed board's HTML)
get cases of their own below.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import TransactionTestCase, override_settings
from django.test.signals import template_rendered
from pytest_django.live_server_helper import LiveServer

from conftest import _test_settings, watch_csp
from tests.axe import describe, run_axe
from tests.demo_world import seed_some_of_the_demo

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = {"zh-Hans": "zh-CN", "en": "en-US"}
MODES = ("normal", "large-text")
WIDTHS = (1280, 375)
# A pairwise covering of width × language × mode: every pair of values of any two of the
# three appears in some combination, in half the axe runs of the full product.
PAIRWISE_WIDTH = {
    ("zh-Hans", "normal"): 1280,
    ("zh-Hans", "large-text"): 375,
    ("en", "normal"): 375,
    ("en", "large-text"): 1280,
}
# The staff's pages (a signed-in persona's) get each value of each factor once, in two runs
# instead of four: Chinese at normal size on a desktop, English in large text on a phone.
# Their markup is the same templates and forms whatever the language and size, and the suite
# has to stay inside its time; the public's pages keep the pairwise covering.
EACH_CHOICE = {("zh-Hans", "normal"): 1280, ("en", "large-text"): 375}
# The pages a buyer at the sales office reads get the full product (both widths each time).
FULL_PRODUCT = {
    "home",
    "search",
    "project",
    "project from an old board",
    "item history",
    "household",
    "kiosk project",
}
# Pages that are not reached by a GET but rendered by the server and shown in the browser
# (the 500 page has no request; the board is HTML that WeasyPrint prints).
RENDERED_PREFIX = "/__axe__/"

# Findings left out, by rule, for elements inside Django's own widget markup (no other rule
# is waived, and these rules still count everywhere else on the page):
ADMIN_WAIVERS = {
    # Select2 (Django's vendored 4.0.13, the admin's autocomplete_fields) builds its combobox
    # in JavaScript: the role="combobox" span is named by aria-labelledby pointing at the span
    # showing the current choice, which is empty while nothing is chosen. The <select> it
    # stands for has its <label>; fixing this means patching Django's vendored Select2.
    "aria-input-field-name": ".select2-container",
    # filter_horizontal (Django's SelectFilter2.js) writes the search icon as
    # <span class="help-tooltip search-label-icon" aria-label=…> in JavaScript; the search
    # <input> next to it has its own <label>, so the span's name repeats it.
    "aria-prohibited-attr": ".selector",
}

# Templates that are not HTML pages a browser shows, with the reason.
NOT_PAGES: dict[str, str] = {}


def page_templates() -> set[str]:
    """Every HTML template in the repository, by its loader name (``public/project.html``)."""
    names = set()
    for path in (REPO / "gongshi").rglob("templates/**/*.html"):
        parts = path.parts
        names.add("/".join(parts[parts.index("templates") + 1 :]))
    return names


@dataclass(frozen=True)
class Case:
    persona: str  # "anonymous" or a demo username
    path: str
    label: str
    status: int = 200
    # A form to submit after loading (CSS selector, {field name: value}), to see its errors.
    submit: tuple[str, dict[str, str]] | None = None
    # The widths to check at, when not those of PAIRWISE_WIDTH / FULL_PRODUCT.
    widths: tuple[int, ...] | None = None


def _secret_links() -> dict[str, str]:
    """Links that carry a secret (the asker's, an invitation, a subscription's)."""
    from gongshi.participation import follow
    from gongshi.participation.models import (
        EmailSubscription,
        OpenDay,
        Question,
        SupervisorInvitation,
        SupervisorKind,
    )
    from gongshi.participation.tokens import digest

    question = Question.objects.filter(project__code="YRW2QA").order_by("pk").first()
    Question.objects.filter(pk=question.pk).update(asker_token_hash=digest("axe-asker-token"))
    from django.utils import timezone

    from gongshi.participation import opendays

    day = OpenDay.objects.filter(report_published_at__isnull=True).select_related("project").first()
    developer = day.project.developer.memberships.first().user
    invitation, _token = opendays.invite(day, developer, name="林振华", kind=SupervisorKind.EXPERT)
    SupervisorInvitation.objects.filter(pk=invitation.pk).update(
        token_hash=digest("axe-invitation-token"),
        accepted_at=None,
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
    # A scan that does not show a typed value (the scan cross-check's flag on an item).
    from gongshi.disclosures.models import DisclosureVersion, VersionStatus
    from gongshi.scancheck.models import ScanFlag

    version = (
        DisclosureVersion.objects.filter(
            disclosure__project__code="YRW2QA",
            disclosure__item__code="materials.rebar",
            status=VersionStatus.PUBLISHED,
        )
        .order_by("-pk")
        .first()
    )
    ScanFlag.objects.get_or_create(
        version=version,
        field_key="certificate_number",
        defaults={"field_label": "合格证编号", "typed": "HG-2025-0418", "found": "HG-2025-0481"},
    )
    subscription = EmailSubscription.objects.filter(project__code="YRW2QA").first()
    return {
        "asker": "/participation/q/axe-asker-token/",
        "invitation": "/participation/invitations/axe-invitation-token/",
        "confirm": f"/participation/follow/confirm/{follow.confirm_token(subscription)}/",
        "unsubscribe": (
            f"/participation/follow/unsubscribe/{follow.unsubscribe_token(subscription)}/"
        ),
    }


# Every case, written before the database exists (so each is its own test item, named by its
# id): the paths and personas hold {placeholders} that ``lookups()`` fills from the seeded demo.
_DEMO_PASSWORD = "gongshi-demo"
_DESK = (1280,)  # Staff use the admin on a desk: checked at 1280 px.
CASE_TABLE: list[Case] = [
    *(
        Case("anonymous", *entry)
        for entry in [
            ("/", "home"),
            ("/?q=%E6%9D%BE%E5%8C%97", "search"),
            ("/p/{code}/", "project"),
            ("/p/{code}/?board=0", "project from an old board"),
            ("/p/{code}/i/{corrected}/", "item history"),
            # The developer's own penalty disclosure beside the regulator's record of it.
            ("/p/{code}/i/other.penalties/", "penalties item"),
            ("/p/{code}/household/", "household"),
            ("/p/{code}/screen/", "display screen"),
            ("/p/{code}/widget/", "widget"),
            ("/kiosk/", "kiosk home"),
            ("/kiosk/p/{code}/", "kiosk project"),
            ("/p/{code}/verify/", "verify the log"),
            ("/participation/p/{code}/questions/", "questions"),
            ("/participation/p/{code}/ask/", "ask"),
            ("/participation/p/{code}/open-days/{day}/", "open day"),
            ("/participation/p/{code}/follow/", "follow"),
            ("{asker_link}", "asker's page"),
            ("{invitation_link}", "supervisor invitation"),
            ("{confirm_link}", "subscription confirmed"),
            ("{unsubscribe_link}", "unsubscribe"),
            ("/participation/q/not-a-token/", "bad asker link", 404),
            ("/records/", "records"),
            ("/e/{developer_code}/", "enterprise"),
            ("/score/", "score formula"),
            ("/score/p/{code}/", "project score"),
            ("/accounts/login/", "sign in"),
            ("/no-such-page/", "404", 404),
            # The demo's penalty under rectification (reported, awaiting the regulator's review).
            ("/e/{penalty_subject}/", "penalised enterprise"),
            ("/records/{penalty}/rectification/", "rectification"),
            # Buildings, the household archive (一户一档), the sample flat and registrations.
            ("/p/{code}/b/{building}/", "building"),
            ("/p/{code}/h/{owned}/", "flat archive"),
            ("/p/{code}/s/{room}/", "sample room"),
            ("/p/{code}/h/{owned}/owner/", "owner's verification"),
            (
                "/p/{code}/h/{owned}/owner/",
                "owner's inspection",
                200,
                (
                    'form[action*="/owner/contract/"]',
                    {"contract_number": "YLW2-1-1201", "phone": "13904511201"},
                ),
            ),
            ("/register/", "register a company"),
            ("/open-data/", "open data"),
            (f"{RENDERED_PREFIX}open-data-missing/", "open data not generated yet"),
        ]
    ),
    *(
        Case("demo-hongtai", *entry)
        for entry in [
            ("/workspace/", "workspace"),
            ("/workspace/projects/new/", "new project"),
            ("/workspace/p/{code}/", "workspace project"),
            ("/workspace/p/{code}/edit/", "edit project"),
            ("/workspace/p/{code}/units/", "units"),
            ("/workspace/p/{code}/stage/", "stage"),
            ("/workspace/p/{code}/plan/", "plan"),
            ("/workspace/p/{code}/items/materials.concrete_main_structure/", "review an item"),
            ("/workspace/p/{code}/items/{corrected}/", "published item"),
            ("/participation/workspace/p/{code}/questions/", "developer's questions"),
            (
                "/participation/workspace/p/{code}/questions/",
                "an answer too short",
                400,
                ('form[action*="/answer/"]', {"answer": "好"}),
            ),
            ("/participation/workspace/p/{code}/open-days/", "open days"),
            ("/participation/workspace/open-days/{day}/", "open day detail"),
            ("/notifications/", "notifications"),
            ("/notifications/preferences/", "notification channels"),
            (
                "/notifications/preferences/",
                "notification channels: no mobile",
                400,
                ("main form[method='post']", {"mobile": "12345"}),
            ),
            ("/workspace/reminders/", "reminders sent"),
            ("/workspace/p/{code}/buildings/", "buildings"),
            ("/workspace/p/{code}/flats/", "flats"),
            ("/workspace/p/{code}/flats/{owned}/", "a flat's archive"),
            ("/workspace/p/{code}/samples/", "sample flat"),
            (
                "/participation/workspace/open-days/{finding_day}/",
                "an empty response to a finding",
                400,
                ('form[action*="/respond/"]', {"response": ""}),
            ),
        ]
    ),
    Case("demo-newcomer", "/register/status/", "registration status"),
    # The unit that wrote the demo's returned version.
    Case("{unit_user}", "/workspace/p/{code}/items/{returned_item}/", "returned item"),
    Case("{unit_user}", "/workspace/projects/new/", "403", 403),
    *(
        Case("demo-harbin", *entry)
        for entry in [
            ("/supervision/", "dashboard"),
            ("/supervision/projects/", "project list"),
            ("/supervision/late/", "late items"),
            ("/supervision/overdue-questions/", "overdue questions"),
            ("/supervision/score-settings/", "score settings"),
            ("/supervision/checklist/", "local checklist"),
            ("/supervision/p/{code}/", "project console"),
            ("/participation/regulator/", "questions and findings"),
            ("/records/{penalty}/rectification/", "rectification review"),
            ("/supervision/enterprises/", "enterprise ranking"),
            ("/supervision/e/{penalty_subject}/", "enterprise console"),
            ("/supervision/registrations/", "registrations"),
            ("/supervision/registrations/{waiting}/", "a registration"),
        ]
    ),
    Case("demo-admin", "/participation/admin/questions/{question}/", "admin: a question"),
    Case("demo-admin", "/participation/admin/personal-data/", "admin: personal data"),
    # Django's admin with our templates, stylesheet and widget labels: the index, and the
    # change list and change form of the main models (with their inlines, autocomplete and
    # filter-horizontal widgets).
    *(
        Case("demo-admin", path, label, widths=_DESK)
        for path, label in [
            ("/admin/", "admin index"),
            ("/admin/projects/project/", "admin: projects"),
            ("/admin/projects/project/{project}/change/", "admin: a project"),
            ("/admin/organisations/organisation/", "admin: organisations"),
            ("/admin/organisations/organisation/{developer}/change/", "admin: an organisation"),
            ("/admin/accounts/user/", "admin: users"),
            ("/admin/accounts/user/{staff_user}/change/", "admin: a user"),
            ("/admin/catalogue/catalogueitem/", "admin: catalogue"),
            ("/admin/catalogue/catalogueitem/{rebar}/change/", "admin: a catalogue item"),
            ("/admin/catalogue/warrantypart/{warranty}/change/", "admin: a warranty part"),
        ]
    ),
    Case("contact", "/participation/p/{code}/ask/", "ask as a verified contact"),
    Case(
        "contact",
        "/participation/p/{code}/ask/",
        "asked",
        201,
        ("main form[method='post']", {"body": "请问地下车库的防水工程什么时候做闭水试验？"}),
    ),
    *(
        Case("signing-in", *entry)
        for entry in [
            (
                "/accounts/login/",
                "second factor",
                200,
                ("main form", {"username": "demo-harbin", "password": _DEMO_PASSWORD}),
            ),
            (
                "/accounts/login/",
                "second factor set-up",
                200,
                ("main form", {"username": "demo-daqing", "password": _DEMO_PASSWORD}),
            ),
            (
                "/accounts/login/",
                "a wrong password",
                200,
                ("main form", {"username": "x", "password": "y"}),
            ),
            (f"{RENDERED_PREFIX}500/", "500"),
            (f"{RENDERED_PREFIX}429/", "429"),
            (f"{RENDERED_PREFIX}board-rendering/", "board being made"),
            (f"{RENDERED_PREFIX}board-A4/", "board A4"),
            (f"{RENDERED_PREFIX}board-A1/", "board A1"),
            (f"{RENDERED_PREFIX}flat-sheets/", "flat sheets"),
            (f"{RENDERED_PREFIX}sample-labels/", "sample labels"),
        ]
    ),
    Case("{supervisor}", "/participation/supervise/{supervised_day}/", "supervise"),
]
CASES_BY_LABEL = {case.label: case for case in CASE_TABLE}
assert len(CASES_BY_LABEL) == len(CASE_TABLE), "two axe cases share a label"


def lookups() -> dict[str, object]:
    """The demo's rows that the cases' paths name (after ``seed_some_of_the_demo``)."""
    from django.contrib.auth import get_user_model

    from gongshi.catalogue.models import CatalogueItem, WarrantyPart
    from gongshi.disclosures.models import Disclosure, DisclosureVersion, VersionStatus
    from gongshi.households.models import FlatArchive, SampleRoom
    from gongshi.participation.models import Finding, OpenDay, Question, Supervisor
    from gongshi.projects.models import Project
    from gongshi.registrations.models import Registration
    from gongshi.supervision.models import RegulatorRecord

    code = "YRW2QA"
    item = (
        Disclosure.objects.filter(project__code=code, versions__isnull=False)
        .order_by("-pk")
        .values_list("item__code", flat=True)
        .first()
    )
    corrected = (
        Disclosure.objects.filter(project__code=code, item__code="materials.rebar")
        .values_list("item__code", flat=True)
        .first()
        or item
    )
    project = Project.objects.select_related("developer").get(code=code)
    supervised = Supervisor.objects.select_related("user", "open_day").first()
    finding = Finding.objects.filter(open_day__project__code=code).order_by("pk").first()
    penalty = RegulatorRecord.objects.filter(kind="penalty").select_related("subject").first()
    building = project.buildings.order_by("position", "pk").first()
    returned = (
        DisclosureVersion.objects.filter(
            disclosure__project__code=code, status=VersionStatus.RETURNED
        )
        .select_related("created_by", "disclosure__item")
        .first()
    )
    links = _secret_links()
    values = {
        "code": code,
        "corrected": corrected,
        "day": OpenDay.objects.filter(project__code=code).order_by("-date").first().pk,
        "question": Question.objects.filter(project__code=code).order_by("pk").first().pk,
        "developer_code": project.developer.credit_code,
        "project": project.pk,
        "developer": project.developer.pk,
        "staff_user": get_user_model().objects.get(username="demo-hongtai").pk,
        "rebar": CatalogueItem.objects.get(code="materials.rebar").pk,
        "warranty": WarrantyPart.objects.order_by("pk").first().pk,
        "penalty": penalty.pk,
        "penalty_subject": penalty.subject.credit_code,
        "building": building.pk,
        "owned": FlatArchive.objects.get(
            project=project, flat__number="1201", flat__unit="1", flat__building=building
        ).code,
        "room": SampleRoom.objects.filter(project=project).order_by("pk").first().code,
        "waiting": Registration.objects.order_by("pk").first().pk,
        "unit_user": returned.created_by.username,
        "returned_item": returned.disclosure.item.code,
        "supervisor": supervised.user.username,
        "supervised_day": supervised.open_day.pk,
        "finding_day": finding.open_day_id,
        **{f"{name}_link": link for name, link in links.items()},
    }
    from gongshi.opendata.package import build as build_open_data

    build_open_data()  # the package of the demo, as the nightly timer writes it
    return values


def cases(values: dict[str, object]) -> dict[str, Case]:
    """``CASE_TABLE`` with the demo's rows filled in, by label."""
    return {
        case.label: replace(
            case, persona=case.persona.format(**values), path=case.path.format(**values)
        )
        for case in CASE_TABLE
    }


def _rendered_html(name: str) -> str:
    from django.template import loader
    from django.test import RequestFactory

    if name == "500":  # Django's server_error renders 500.html with an empty context
        return loader.get_template("500.html").render()
    if name == "429":  # as gongshi.core.ratelimit answers a request over its limit
        from django.utils.translation import gettext as _

        return loader.render_to_string(
            "429.html",
            {"message": _("请求过于频繁"), "title": _("请求过于频繁")},
            RequestFactory().get("/"),
        )
    if name == "board-rendering":  # what board.pdf answers while another request renders it
        from gongshi.public.board import BOARD_PDF_RETRY_SECONDS

        return loader.render_to_string(
            "public/board_rendering.html",
            {"project": get_project_for_board(), "retry": BOARD_PDF_RETRY_SECONDS},
            RequestFactory().get("/"),
        )
    if name == "open-data-missing":  # what /open-data/ shows before the first nightly run
        return loader.render_to_string("opendata/missing.html", {}, RequestFactory().get("/"))
    if name in ("flat-sheets", "sample-labels"):
        from gongshi.households import sheets
        from gongshi.households.models import SampleRoom

        project = get_project_for_board()
        if name == "flat-sheets":
            html = sheets.sheets_html(project, sheets.archives_for_sheets(project)[:4])
            stylesheet = sheets.sheets_stylesheet("A4")
        else:
            html = sheets.labels_html(project, list(SampleRoom.objects.filter(project=project)))
            stylesheet = sheets.labels_stylesheet()
        return html.replace("</head>", f"<style>{stylesheet}</style></head>", 1)
    from gongshi.integrity.log import tree_size
    from gongshi.public.board import BOARD_SIZES, board_context, board_stylesheet
    from gongshi.public.page import load_project_page

    size = name.removeprefix("board-")
    page = load_project_page(get_project_for_board())
    request = RequestFactory().get("/")
    html = loader.render_to_string(
        BOARD_SIZES[size]["template"], board_context(page, size, tree_size()), request
    )
    # The PDF gets its stylesheet from render_pdf; the browser gets the same one inline.
    return html.replace("</head>", f"<style>{board_stylesheet(size)}</style></head>", 1)


def get_project_for_board():
    from gongshi.projects.models import Project

    return Project.objects.get(code="YRW2QA")


def _serve_rendered(route):
    name = route.request.url.split(RENDERED_PREFIX, 1)[1].strip("/")
    route.fulfill(status=200, content_type="text/html; charset=utf-8", body=_rendered_html(name))


def _context(browser, live_server, persona: str, language: str, mode: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from gongshi.core.testing import login_client

    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTHS[0], "height": 900},
        locale=LANGUAGES[language],
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(30_000)
    cookies = []
    if mode == "large-text":
        cookies.append({"name": "elderly", "value": "1", "url": live_server.url})
    if persona == "contact":  # a buyer who has verified a phone number
        cookies.append(_contact_session(live_server))
    elif persona not in ("anonymous", "signing-in"):
        user = get_user_model().objects.get(username=persona)
        session = login_client(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        )
    if cookies:
        context.add_cookies(cookies)
    return context


# Fill a form and submit it without the browser's own validation (the server's is checked).
SUBMIT_JS = """([selector, values]) => {
  const form = document.querySelector(selector);
  for (const [name, value] of Object.entries(values)) form.elements[name].value = value;
  HTMLFormElement.prototype.submit.call(form);
}"""


def _contact_session(live_server) -> dict:
    """A session holding a verified contact's token, as the SMS check leaves it."""
    import datetime as dt

    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from gongshi.participation.models import ContactKind, ContactVerification
    from gongshi.participation.tokens import digest
    from gongshi.participation.views.public import SESSION_TOKEN

    now = timezone.now()
    ContactVerification.objects.get_or_create(
        token_hash=digest("axe-contact-token"),
        defaults={
            "contact": "13900000000",
            "contact_kind": ContactKind.MOBILE,
            "code_hash": digest("000000"),
            "created_at": now,
            "expires_at": now + dt.timedelta(minutes=10),
            "confirmed_at": now,
        },
    )
    session = SessionStore()
    session[SESSION_TOKEN] = "axe-contact-token"
    session.create()
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": session.session_key,
        "url": live_server.url,
    }


def _check(page, where: str, failures: list[str], widths, waivers=None) -> None:
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900 if width > 600 else 740})
        failures += describe(run_axe(page, waivers), f"{where} @{width}")


class _DemoDatabase(TransactionTestCase):
    """The module's database, as a transactional test has it (flushed at the end, then the
    migrations' rows restored), held for all the module's tests instead of one."""

    serialized_rollback = True


@dataclass
class AxeWorld:
    browser: object
    server: LiveServer
    cases: dict[str, Case]
    media: Path
    persona: str | None = None
    contexts: dict = field(default_factory=dict)
    # The labels of the cases loaded in this process, and every template rendered meanwhile.
    loaded: set[str] = field(default_factory=set)
    rendered: set[str] = field(default_factory=set)

    def record(self, sender, template, **kwargs) -> None:
        if template.name:
            self.rendered.add(template.name)

    def context(self, persona: str, language: str, mode: str):
        """The browser context of (persona, language, mode) and its CSP violations list.

        Kept while the tests of one persona run (the items are in persona order), so each
        persona signs in once per language and mode, as in one long test.
        """
        if persona != self.persona:
            self.close()
            self.persona = persona
        if (language, mode) not in self.contexts:
            context = _context(self.browser, self.server, persona, language, mode)
            # What the Content-Security-Policy blocks is broken for real users too.
            blocked = watch_csp(context)
            context.route(f"{self.server.url}{RENDERED_PREFIX}**", _serve_rendered)
            self.contexts[language, mode] = (context, blocked)
        return self.contexts[language, mode]

    def close(self) -> None:
        for context, _blocked in self.contexts.values():
            context.close()
        self.contexts.clear()

    def load(self, page, case: Case, failures: list[str], where: str):
        response = page.goto(case.path)
        if case.submit:
            with page.expect_navigation() as navigation:
                page.evaluate(SUBMIT_JS, list(case.submit))
            response = navigation.value
        self.loaded.add(case.label)
        if response.status != case.status:
            failures.append(f"{where}: HTTP {response.status}, expected {case.status}")


@pytest.fixture(scope="module")
def axe_world(django_db_setup, django_db_blocker, browser, tmp_path_factory):
    """The demo seeded once per test process, served by a live server of the module's own.

    (pytest-django's ``live_server`` makes each test transactional, which would flush the
    seeded demo after the first case.)
    """
    media = tmp_path_factory.mktemp("axe-media")
    with django_db_blocker.unblock(), override_settings(**_test_settings(), MEDIA_ROOT=media):
        _DemoDatabase.setUpClass()
        database = _DemoDatabase(methodName="__init__")
        if not _DemoDatabase._pre_setup_ran_eagerly:
            database._pre_setup()
        try:
            seed_some_of_the_demo()
            world = AxeWorld(browser, None, cases(lookups()), media)
            world.server = LiveServer("localhost")
            world.server._live_server_modified_settings.enable()
            template_rendered.connect(world.record)
            try:
                yield world
            finally:
                template_rendered.disconnect(world.record)
                world.close()
                world.server._live_server_modified_settings.disable()
                world.server.stop()
        finally:
            database._post_teardown()  # the flush
            _DemoDatabase.tearDownClass()
            _DemoDatabase.doClassCleanups()
            # The migrations' rows back (the catalogue, the regions), as the next
            # transactional test would restore them: the next tests need not be transactional.
            for alias in connections:
                contents = getattr(connections[alias], "_test_serialized_contents", None)
                if contents:
                    connections[alias].creation.deserialize_db_from_string(contents)


# The marker tells pytest-django that these tests use the test database (with the migrations'
# rows serialized, for the flush at the end); the module's own ``_django_db_helper`` keeps it
# from wrapping each test in a transaction of its own: ``axe_world`` holds the database.
pytestmark = [pytest.mark.django_db(serialized_rollback=True), pytest.mark.one_database]


@pytest.fixture
def _django_db_helper():
    yield


@pytest.fixture
def axe(axe_world, django_db_blocker, settings):
    """The module's world for one test, with the database open to it (for sign-ins)."""
    settings.MEDIA_ROOT = axe_world.media  # where the seed stored the demo's files
    with django_db_blocker.unblock():
        yield axe_world


@pytest.mark.parametrize("label", list(CASES_BY_LABEL))
def test_page_has_no_axe_violations(axe, label):
    case = axe.cases[label]
    failures: list[str] = []
    combinations = (
        PAIRWISE_WIDTH if case.persona == "anonymous" or case.label in FULL_PRODUCT else EACH_CHOICE
    )
    for (language, mode), width in combinations.items():
        context, blocked = axe.context(case.persona, language, mode)
        blocked.clear()
        page = context.new_page()
        where = f"{case.label} ({case.path}) [{case.persona}, {language}, {mode}]"
        try:
            axe.load(page, case, failures, where)
            widths = case.widths or (WIDTHS if case.label in FULL_PRODUCT else (width,))
            # axe, injected by page.evaluate (no source file), reads a stylesheet's
            # @import (Django's forms.css imports widgets.css) by adding a <style>
            # that the policy blocks: that is the test's doing, not the page's.
            loaded = len(blocked)
            waivers = ADMIN_WAIVERS if case.path.startswith("/admin/") else None
            _check(page, where, failures, widths, waivers)
            blocked[loaded:] = [v for v in blocked[loaded:] if v["source"]]
            if not case.path.startswith("/admin/"):
                # The other pages' policy is checked by their own browser tests
                # (conftest.make_page); here only the admin's, which has none.
                blocked.clear()
            failures += [
                f"{where}: CSP {v['directive']} blocked {v['blocked'] or 'inline'}"
                f" ({v['source']}:{v['line']}) {v['sample']!r}"
                for v in blocked
            ]
            blocked.clear()
        finally:
            page.close()
    assert not failures, f"{len(failures)} axe violations:\n" + "\n".join(failures)


# Touch targets ≥ 44 × 44 CSS px at 375 px (tests/touch.py says what a target is and which
# inline links are exempt), on the cases reached by a plain GET, for a reader, the demo
# developer and the demo regulator, in Chinese at normal text size (large text only makes
# targets bigger). Here, to share the module's seeded demo. GONGSHI_AXE_ONLY="project,admin
# index" narrows it to the cases whose labels contain one of the words.
TOUCH_PERSONAS = ("anonymous", "demo-hongtai", "demo-harbin")


@pytest.mark.parametrize("persona", TOUCH_PERSONAS)
def test_touch_targets_are_at_least_44_px_on_a_phone(axe, persona):
    import os

    from tests.touch import small_targets

    only = os.environ.get("GONGSHI_AXE_ONLY", "")
    failures: list[str] = []
    counts: dict[str, int] = {}
    context, _blocked = axe.context(persona, "zh-Hans", "normal")
    page = context.new_page()
    try:
        page.set_viewport_size({"width": 375, "height": 740})
        for case in axe.cases.values():
            if case.persona != persona or case.submit or case.path.startswith(RENDERED_PREFIX):
                continue
            if only and not any(word in case.label for word in only.split(",")):
                continue
            page.goto(case.path)
            axe.loaded.add(case.label)
            small = small_targets(page)
            counts[f"{case.label} ({case.path})"] = len(small)
            failures += [f"{case.label} ({case.path}) [{persona}]: {target}" for target in small]
    finally:
        page.close()
    print("\n".join(f"{n:4d}  {where}" for where, n in counts.items()))
    assert counts, f"no page of {persona} was checked"
    assert not failures, f"{len(failures)} targets under 44 × 44 px at 375 px:\n" + "\n".join(
        failures
    )


# The project page's first load on a phone (issue 15): what a buyer's phone fetches after
# scanning the board, with an empty cache. Bytes are counted as production sends them:
# each response gzip-compressed (nginx compresses pages, whitenoise serves pre-compressed
# static files; its Brotli files are smaller still), since the test server sends them raw.
FIRST_LOAD_BYTES = 150 * 1024
FIRST_LOAD_REQUESTS = 15


def test_the_project_pages_first_load_on_a_phone_is_light(axe):
    import gzip

    context = axe.browser.new_context(
        base_url=axe.server.url, viewport={"width": 375, "height": 740}, locale="zh-CN"
    )
    responses = []
    try:
        page = context.new_page()
        page.on("response", lambda response: responses.append(response))
        page.goto(axe.cases["project"].path, wait_until="networkidle")
        sizes = {}
        for response in responses:
            body = b"" if 300 <= response.status < 400 else response.body()
            sizes[response.url.removeprefix(axe.server.url)] = len(gzip.compress(body, 6))
    finally:
        context.close()
    total = sum(sizes.values())
    listing = "\n".join(f"{n:8,d}  {url}" for url, n in sizes.items())
    print(f"{len(sizes)} requests, {total:,} bytes gzip-compressed:\n{listing}")
    assert len(responses) <= FIRST_LOAD_REQUESTS, f"{len(responses)} requests:\n{listing}"
    assert total <= FIRST_LOAD_BYTES, f"{total:,} bytes:\n{listing}"
    assert sizes[axe.cases["project"].path] > 5_000  # the page itself was counted


# Last in the module, so this process has loaded what its share of the tests above loaded.
def test_every_page_template_has_an_axe_case(axe):
    """Loads each case this process has not loaded yet (Chinese, normal text); then every
    template in the repository must have been rendered by some case."""
    failures: list[str] = []
    for case in axe.cases.values():
        if case.label in axe.loaded:
            continue
        context, _blocked = axe.context(case.persona, "zh-Hans", "normal")
        page = context.new_page()
        try:
            axe.load(page, case, failures, f"{case.label} ({case.path}) [{case.persona}]")
        finally:
            page.close()
    rendered = axe.rendered
    found = page_templates()
    missing = sorted(found - rendered - set(NOT_PAGES))
    listing = "\n".join(f"  {'✓' if name in rendered else '✗'} {name}" for name in sorted(found))
    print(f"Templates found ({len(found)}):\n{listing}")
    assert not failures, "\n".join(failures)
    assert not missing, (
        "没有无障碍检查用例的模板 / templates without an axe case (add one to this test):\n  "
        + "\n  ".join(missing)
    )
