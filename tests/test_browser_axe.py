"""axe-core on every page template, in real Chromium: 0 violations at any impact.

Every combination the issue names is checked — 375 and 1280 px, zh-Hans and English, normal
and large-text (长辈模式) — on demo data (three projects of the demo seed with their whole
histories: long tables, corrections, questions, open days, regulators' records).

How it stays inside its time budget (the whole run is one test, about a minute):

* The demo is seeded once, for the one test; a live server serves it.
* One browser context per (persona, language, mode): the language comes from the context's
  Accept-Language, large text from the ``elderly`` cookie, the sign-in from a session cookie.
* Each page is loaded once per context, checked at 1280 px, then the viewport is narrowed to
  375 px and it is checked again without a reload (the server's HTML does not depend on the
  width; the CSS media queries do, and axe runs on the laid-out page).

So there are (pages × 4) loads and twice as many axe runs, rather than eight loads a page.

The test records every template the server renders while it runs (Django's
``template_rendered`` signal, sent in test runs for includes too) and fails when a template
in the repository was never rendered: a new template needs a case here. Pages that are not
reached by a plain GET (a form's error state, the 500 page, the printed board's HTML) get
cases of their own below.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test.signals import template_rendered

from conftest import watch_csp
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


def cases() -> list[Case]:
    from django.contrib.auth import get_user_model

    from gongshi.catalogue.models import WarrantyPart
    from gongshi.disclosures.models import Disclosure
    from gongshi.participation.models import Finding, OpenDay, Question, Supervisor

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
    question = Question.objects.filter(project__code=code).order_by("pk").first()
    day = OpenDay.objects.filter(project__code=code).order_by("-date").first()
    supervised = Supervisor.objects.select_related("user", "open_day").first()
    finding = Finding.objects.filter(open_day__project__code=code).order_by("pk").first()
    links = _secret_links()
    from gongshi.projects.models import Project

    developer_code = Project.objects.get(code=code).developer.credit_code
    anonymous = [
        ("/", "home"),
        ("/?q=%E6%9D%BE%E5%8C%97", "search"),
        (f"/p/{code}/", "project"),
        (f"/p/{code}/?board=0", "project from an old board"),
        (f"/p/{code}/i/{corrected}/", "item history"),
        (f"/p/{code}/household/", "household"),
        (f"/p/{code}/screen/", "display screen"),
        (f"/p/{code}/widget/", "widget"),
        ("/kiosk/", "kiosk home"),
        (f"/kiosk/p/{code}/", "kiosk project"),
        (f"/p/{code}/verify/", "verify the log"),
        (f"/participation/p/{code}/questions/", "questions"),
        (f"/participation/p/{code}/ask/", "ask"),
        (f"/participation/p/{code}/open-days/{day.pk}/", "open day"),
        (f"/participation/p/{code}/follow/", "follow"),
        (links["asker"], "asker's page"),
        (links["invitation"], "supervisor invitation"),
        (links["confirm"], "subscription confirmed"),
        (links["unsubscribe"], "unsubscribe"),
        ("/participation/q/not-a-token/", "bad asker link", 404),
        ("/records/", "records"),
        (f"/e/{developer_code}/", "enterprise"),
        ("/score/", "score formula"),
        (f"/score/p/{code}/", "project score"),
        ("/accounts/login/", "sign in"),
        ("/no-such-page/", "404", 404),
    ]
    developer = [
        ("/workspace/", "workspace"),
        ("/workspace/projects/new/", "new project"),
        (f"/workspace/p/{code}/", "workspace project"),
        (f"/workspace/p/{code}/edit/", "edit project"),
        (f"/workspace/p/{code}/units/", "units"),
        (f"/workspace/p/{code}/stage/", "stage"),
        (f"/workspace/p/{code}/plan/", "plan"),
        (f"/workspace/p/{code}/items/materials.concrete_main_structure/", "review an item"),
        (f"/workspace/p/{code}/items/{corrected}/", "published item"),
        (f"/participation/workspace/p/{code}/questions/", "developer's questions"),
        (
            f"/participation/workspace/p/{code}/questions/",
            "an answer too short",
            400,
            ('form[action*="/answer/"]', {"answer": "好"}),
        ),
        (f"/participation/workspace/p/{code}/open-days/", "open days"),
        (f"/participation/workspace/open-days/{day.pk}/", "open day detail"),
        ("/notifications/", "notifications"),
        ("/notifications/preferences/", "notification channels"),
        (
            "/notifications/preferences/",
            "notification channels: no mobile",
            400,
            ("main form[method='post']", {"mobile": "12345"}),
        ),
        ("/workspace/reminders/", "reminders sent"),
    ]
    contractor = [
        (f"/workspace/p/{code}/items/acceptance.main_structure/", "returned item"),
        ("/workspace/projects/new/", "403", 403),
    ]
    regulator = [
        ("/supervision/", "dashboard"),
        ("/supervision/projects/", "project list"),
        ("/supervision/late/", "late items"),
        ("/supervision/overdue-questions/", "overdue questions"),
        ("/supervision/score-settings/", "score settings"),
        ("/supervision/checklist/", "local checklist"),
        (f"/supervision/p/{code}/", "project console"),
        ("/participation/regulator/", "questions and findings"),
    ]
    demo_password = "gongshi-demo"
    contact = [
        (f"/participation/p/{code}/ask/", "ask"),
        (
            f"/participation/p/{code}/ask/",
            "asked",
            201,
            ("main form[method='post']", {"body": "请问地下车库的防水工程什么时候做闭水试验？"}),
        ),
    ]
    signing_in = [
        (
            "/accounts/login/",
            "second factor",
            200,
            ("main form", {"username": "demo-harbin", "password": demo_password}),
        ),
        (
            "/accounts/login/",
            "second factor set-up",
            200,
            ("main form", {"username": "demo-daqing", "password": demo_password}),
        ),
        (
            "/accounts/login/",
            "a wrong password",
            200,
            ("main form", {"username": "x", "password": "y"}),
        ),
        (f"{RENDERED_PREFIX}500/", "500"),
        (f"{RENDERED_PREFIX}429/", "429"),
        (f"{RENDERED_PREFIX}board-A4/", "board A4"),
        (f"{RENDERED_PREFIX}board-A1/", "board A1"),
    ]
    admin = [
        (f"/participation/admin/questions/{question.pk}/", "admin: a question"),
        ("/participation/admin/personal-data/", "admin: personal data"),
    ]
    # Django's admin with our templates, stylesheet and widget labels: the index, and the
    # change list and change form of the main models (with their inlines, autocomplete and
    # filter-horizontal widgets). Staff use the admin on a desk: checked at 1280 px.
    from gongshi.catalogue.models import CatalogueItem
    from gongshi.projects.models import Project as AdminProject

    project = AdminProject.objects.select_related("developer").get(code=code)
    staff_user = get_user_model().objects.get(username="demo-hongtai")
    rebar = CatalogueItem.objects.get(code="materials.rebar")
    warranty = WarrantyPart.objects.order_by("pk").first()
    desk = (1280,)
    admin_pages = [
        ("/admin/", "admin index"),
        ("/admin/projects/project/", "admin: projects"),
        (f"/admin/projects/project/{project.pk}/change/", "admin: a project"),
        ("/admin/organisations/organisation/", "admin: organisations"),
        (
            f"/admin/organisations/organisation/{project.developer.pk}/change/",
            "admin: an organisation",
        ),
        ("/admin/accounts/user/", "admin: users"),
        (f"/admin/accounts/user/{staff_user.pk}/change/", "admin: a user"),
        ("/admin/catalogue/catalogueitem/", "admin: catalogue"),
        (f"/admin/catalogue/catalogueitem/{rebar.pk}/change/", "admin: a catalogue item"),
        (f"/admin/catalogue/warrantypart/{warranty.pk}/change/", "admin: a warranty part"),
    ]
    from gongshi.supervision.models import RegulatorRecord

    # The demo's penalty under rectification (reported, awaiting the regulator's review).
    penalty = RegulatorRecord.objects.filter(kind="penalty").select_related("subject").first()
    anonymous += [
        (f"/e/{penalty.subject.credit_code}/", "enterprise"),
        (f"/records/{penalty.pk}/rectification/", "rectification"),
    ]
    regulator.append((f"/records/{penalty.pk}/rectification/", "rectification review"))
    regulator.append(("/supervision/enterprises/", "enterprise ranking"))
    regulator.append((f"/supervision/e/{penalty.subject.credit_code}/", "enterprise console"))
    # Buildings, the household archive (一户一档), the sample flat and registrations.
    from gongshi.households.models import FlatArchive, SampleRoom
    from gongshi.registrations.models import Registration

    building = project.buildings.order_by("position", "pk").first()
    owned = FlatArchive.objects.get(
        project=project, flat__number="1201", flat__unit="1", flat__building=building
    )
    room = SampleRoom.objects.filter(project=project).order_by("pk").first()
    waiting = Registration.objects.order_by("pk").first()
    flat_page = f"/p/{code}/h/{owned.code}/"
    anonymous += [
        (f"/p/{code}/b/{building.pk}/", "building"),
        (flat_page, "flat archive"),
        (f"/p/{code}/s/{room.code}/", "sample room"),
        (f"{flat_page}owner/", "owner's verification"),
        (
            f"{flat_page}owner/",
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
    developer += [
        (f"/workspace/p/{code}/buildings/", "buildings"),
        (f"/workspace/p/{code}/flats/", "flats"),
        (f"/workspace/p/{code}/flats/{owned.code}/", "a flat's archive"),
        (f"/workspace/p/{code}/samples/", "sample flat"),
    ]
    regulator += [
        ("/supervision/registrations/", "registrations"),
        (f"/supervision/registrations/{waiting.pk}/", "a registration"),
    ]
    signing_in += [
        (f"{RENDERED_PREFIX}flat-sheets/", "flat sheets"),
        (f"{RENDERED_PREFIX}sample-labels/", "sample labels"),
    ]
    from gongshi.opendata.package import build as build_open_data

    build_open_data()  # the package of the demo, as the nightly timer writes it
    found = [Case("anonymous", *entry) for entry in anonymous]
    found += [Case("demo-hongtai", *entry) for entry in developer]
    found += [Case("demo-newcomer", "/register/status/", "registration status")]
    from gongshi.disclosures.models import DisclosureVersion, VersionStatus

    returned = (
        DisclosureVersion.objects.filter(
            disclosure__project__code=code, status=VersionStatus.RETURNED
        )
        .select_related("created_by", "disclosure__item")
        .first()
    )
    unit_user = returned.created_by.username
    contractor[0] = (
        f"/workspace/p/{code}/items/{returned.disclosure.item.code}/",
        "returned item",
    )
    found += [Case(unit_user, *entry) for entry in contractor]
    found += [Case("demo-harbin", *entry) for entry in regulator]
    found += [Case("demo-admin", *entry) for entry in admin]
    found += [Case("demo-admin", path, label, widths=desk) for path, label in admin_pages]
    found += [Case("contact", *entry) for entry in contact]
    found += [Case("signing-in", *entry) for entry in signing_in]
    if supervised is not None:
        found.append(
            Case(
                supervised.user.username,
                f"/participation/supervise/{supervised.open_day.pk}/",
                "supervise",
            )
        )
    if finding is not None:
        found.append(
            Case(
                "demo-hongtai",
                f"/participation/workspace/open-days/{finding.open_day_id}/",
                "an empty response to a finding",
                400,
                ('form[action*="/respond/"]', {"response": ""}),
            )
        )
    return found


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


@pytest.mark.django_db(transaction=True)
def test_every_page_template_has_no_axe_violations(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_some_of_the_demo()
    rendered: set[str] = set()

    def record(sender, template, **kwargs):
        if template.name:
            rendered.add(template.name)

    template_rendered.connect(record)
    failures: list[str] = []
    by_persona: dict[str, list[Case]] = {}
    only = os.environ.get("GONGSHI_AXE_ONLY", "")  # while fixing: "project,admin index"
    for case in cases():
        if only and not any(word in case.label for word in only.split(",")):
            continue
        by_persona.setdefault(case.persona, []).append(case)
    try:
        for language in LANGUAGES:
            for mode in MODES:
                for persona, persona_cases in by_persona.items():
                    context = _context(browser, live_server, persona, language, mode)
                    # What the Content-Security-Policy blocks is broken for real users too.
                    blocked = watch_csp(context)
                    page = context.new_page()
                    page.route(f"{live_server.url}{RENDERED_PREFIX}**", _serve_rendered)
                    for case in persona_cases:
                        response = page.goto(case.path)
                        if case.submit:
                            with page.expect_navigation() as navigation:
                                page.evaluate(SUBMIT_JS, list(case.submit))
                            response = navigation.value
                        if response.status != case.status:
                            failures.append(f"{case.path}: HTTP {response.status} [{persona}]")
                        where = f"{case.label} ({case.path}) [{persona}, {language}, {mode}]"
                        widths = case.widths or (
                            WIDTHS
                            if case.label in FULL_PRODUCT
                            else (PAIRWISE_WIDTH[language, mode],)
                        )
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
                    context.close()
    finally:
        template_rendered.disconnect(record)

    if only:  # a partial run while fixing a page: the coverage check needs every case
        assert not failures, f"{len(failures)} axe violations:\n" + "\n".join(failures)
        return
    found = page_templates()
    missing = sorted(found - rendered - set(NOT_PAGES))
    listing = "\n".join(f"  {'✓' if name in rendered else '✗'} {name}" for name in sorted(found))
    print(f"Templates found ({len(found)}):\n{listing}")
    assert not failures or not missing, "\n".join(failures)
    assert not missing, (
        "没有无障碍检查用例的模板 / templates without an axe case (add one to this test):\n  "
        + "\n  ".join(missing)
    )
    assert not failures, f"{len(failures)} axe violations:\n" + "\n".join(failures)
