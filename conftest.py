import datetime as dt
import os
from pathlib import Path

import pytest
import time_machine

from gongshi.core.testing import FROZEN_NOW, World, build_world

# base64 of a 32-byte Ed25519 seed; for tests only.
TEST_LOG_SIGNING_KEY = "dGVzdC1vbmx5LWdvbmdzaGktbG9nLWtleS0zMmJ5dGU="


def _test_settings() -> dict:
    """The settings every test runs with (besides its own ``MEDIA_ROOT``)."""
    from django.conf import settings

    return {
        # Argon2 is deliberately slow; tests create many users and need no strong hashes.
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        # A fixed test key signs log checkpoints, so publishing never touches the data
        # directory.
        "GONGSHI_LOG_SIGNING_KEY": TEST_LOG_SIGNING_KEY,
        "GONGSHI_LOG_ORIGIN": "gongshi.test/log",
        # Templates find static files in the app directories: the hashed, compressed files
        # that `make run` serves need collectstatic first (gongshi/ops/tests/
        # test_static_files.py and the stack test run it and use them).
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Each test stores files in its own directory, so a test can prove nothing was left."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, value in _test_settings().items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (login throttling and rate limits live there) and no
    stored pages in this process (a page stored by an earlier test is served without rendering
    its templates)."""
    from django.core.cache import cache

    from gongshi.public.page_cache import local_pages

    cache.clear()
    local_pages.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (Chinese).

    A test-client request in English leaves English active in the thread afterwards, which
    would turn later tests' Chinese messages into English depending on test order.
    """
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _log_numbers_start_with_the_data(request, django_db_blocker):
    """On PostgreSQL the log's index sequence is not rolled back with a test's transaction:
    each database test restarts it at the next free index, so its log starts where its data
    does (at 0), as it does on SQLite."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval('integrity_log_index', GREATEST("
                "(SELECT COALESCE(MAX(tree_size), 0) FROM integrity_loghead),"
                ' (SELECT COALESCE(MAX("index") + 1, 0) FROM integrity_logentry)), false)'
            )


@pytest.fixture(scope="session")
def _clock_before_frozen_now():
    """The test database is built the day before ``FROZEN_NOW`` (see ``django_db_setup``)."""
    traveller = time_machine.travel(FROZEN_NOW - dt.timedelta(days=1), tick=True)
    traveller.start()
    return traveller  # stopped by django_db_setup as soon as the database is built


@pytest.fixture(scope="session")
def django_db_setup(_clock_before_frozen_now, django_db_setup, django_db_blocker):
    """pytest-django's database setup, run with the clock the day before ``FROZEN_NOW``.

    Rows the migrations make (the built-in catalogue, the holiday calendar) then predate every
    test's "now": a frozen test that edits one sees its timestamp move forward, as it would in
    life, whatever day (or, under libfaketime, year) the suite runs on.
    """
    _clock_before_frozen_now.stop()
    with django_db_blocker.unblock():
        _no_flush_wait_on_commit()
    return django_db_setup


def _no_flush_wait_on_commit() -> None:
    """On PostgreSQL, the test database's commits do not wait for the WAL flush.

    A commit is as visible, locked and ordered as before; only its durability through a crash
    of the server is given up, which a database dropped at the end never needs. The suite's
    committing tests (transactional ones, the live server's, the seed command's) spent a fifth
    of their time waiting for fsync. Set on the database, so every connection (the live
    server's threads, the workers' own) has it, and on the connection already open.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        if connection.vendor != "postgresql" or connection.settings_dict["TEST"].get("MIRROR"):
            continue
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
            cursor.execute("SET synchronous_commit = off")


@pytest.fixture
def frozen_now():
    """Travel to the suite's fixed "now" (``FROZEN_NOW``) for the test; the clock ticks on.

    The one way a test sets the date: any test that names a calendar date (a deadline, a
    holiday, a stage date) requests this fixture — or a module sets
    ``pytestmark = pytest.mark.usefixtures("frozen_now")`` — so it passes on any day the suite
    runs. It yields time-machine's traveller: ``frozen_now.shift(dt.timedelta(days=3))`` moves
    on, ``frozen_now.move_to(...)`` jumps. Request it before ``world`` so the world's records
    are made at the frozen time too.
    """
    with time_machine.travel(FROZEN_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(db) -> World:
    return build_world()


def pytest_configure(config):
    # Under CI a missing part (PostgreSQL, Chromium, fonts) must fail the run, never skip.
    os.environ.setdefault("GONGSHI_TESTING", "1")


# --- Browser tests -------------------------------------------------------------------------
# Debian's chromium, driven by Playwright's sync API. Playwright's own browser download does
# not work here, so the executable is given explicitly. GONGSHI_CHROMIUM overrides the path.
CHROMIUM = Path(os.environ.get("GONGSHI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process. A missing Chromium fails, it never skips."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"找不到 Chromium（{CHROMIUM}）：浏览器测试无法运行。"
            "请以 root 运行 `apt-get update && apt-get install -y chromium`，"
            "或用 GONGSHI_CHROMIUM 指向已安装的 Chromium。"
            f" / Chromium not found at {CHROMIUM}: install it with"
            " `apt-get install -y chromium` or point GONGSHI_CHROMIUM at it.",
            pytrace=False,
        )
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django's
    # "async-unsafe" guard would refuse every ORM call the test makes (creating users,
    # checking rows) while the browser is alive. The test code is still plain synchronous
    # code, so the guard is a false alarm here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Entering sync_playwright switches this thread to a new contextvars context. Django's
    # connection handler is an asgiref Local (context-based), so it would then hand out *new*
    # connection objects that lack the test-database state pytest-django keeps on the
    # originals — above all the serialized contents that `serialized_rollback` restores
    # after a transactional test's flush (regions, the catalogue). Pin the originals.
    originals = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in originals.items():
            setattr(connections._connections, alias, connection)
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Every page of a browser test reports Content-Security-Policy violations back to the test,
# which then fails: an inline script or style="" that the CSP blocks breaks the page for
# real users, even where the test's own assertions happen not to notice.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__gongshiCspViolation({
    page: document.URL, directive: e.violatedDirective, blocked: e.blockedURI,
    source: e.sourceFile, line: e.lineNumber, sample: e.sample, disposition: e.disposition
  });
});
"""


def watch_csp(context) -> list[dict]:
    """Collect the CSP violations of every page of a Playwright ``context`` into a list."""
    violations: list[dict] = []
    context.expose_binding(
        "__gongshiCspViolation", lambda source, violation: violations.append(violation)
    )
    context.add_init_script(_CSP_LISTENER)
    return violations


def fail_on_csp_violations(violations: list[dict]) -> None:
    if violations:
        lines = "\n".join(
            f"  {v['page']}: {v['directive']} blocked {v['blocked'] or 'inline'}"
            f" ({v['source']}:{v['line']}) {v['sample']!r}"
            for v in violations
        )
        pytest.fail(
            f"页面违反了内容安全策略（CSP），浏览器拦截了以下内容：\n{lines}\n"
            "请把内联脚本和 style 属性移到静态文件中。"
            " / The page violated the Content-Security-Policy (see above): move inline"
            " scripts and style attributes into static files.",
            pytrace=False,
        )


@pytest.fixture
def make_page(browser, live_server, django_db_serialized_rollback):
    """Open a page against the live server: ``make_page(width=375, locale="en-US")``.

    Each page has its own context (cookies, storage), closed after the test, which fails if
    any page violated the Content-Security-Policy (``watch_csp``). Relative URLs
    resolve against ``live_server.url``: ``page.goto("/")``. ``django_db_serialized_rollback``
    restores data that migrations loaded (regions, the catalogue) after the live server's
    transactional test flushes the database.
    """
    contexts = []
    violations: list[dict] = []

    def _make_page(width: int = 1280, height: int = 900, locale: str = "zh-CN"):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            locale=locale,
            timezone_id="Asia/Shanghai",
        )
        # Generous: a loaded 2-core CI machine can take seconds for a first page.
        context.set_default_timeout(30_000)
        violations_of_context = watch_csp(context)
        contexts.append((context, violations_of_context))
        return context.new_page()

    yield _make_page
    for context, violations_of_context in contexts:
        context.close()
        violations.extend(violations_of_context)
    fail_on_csp_violations(violations)


@pytest.fixture
def log_in(live_server):
    """Sign a browser page in as ``user`` without the form: ``log_in(page, user)``.

    The session is the one a full sign-in leaves (with a verified TOTP device for staff and
    regulators, see ``gongshi.core.testing.login_client``).
    """
    from django.conf import settings
    from django.test import Client

    from gongshi.core.testing import login_client

    def _log_in(page, user):
        client = login_client(Client(), user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        return page

    return _log_in


@pytest.fixture
def page(make_page):
    """A desktop-sized page (1280 px) in Chinese."""
    return make_page()


@pytest.fixture
def mobile_page(make_page):
    """A phone-sized page (375 px), as a buyer at a sales office would see it."""
    return make_page(width=375, height=740)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql_only`` are left out (deselected, not skipped) unless the
    tests run on PostgreSQL: they test what only PostgreSQL has (the log's sequence), and
    `make test`'s PostgreSQL pass runs them. Then:

    Every transactional test restores the data migrations loaded (serialized rollback).

    A transactional test (``transaction=True``, ``live_server``, browser tests) ends with a
    flush that empties every table. Without serialized rollback, post_migrate then recreates
    some rows (regions) under new keys while others (the catalogue) stay gone, so the next
    transactional test would find a different database depending on test order.
    """
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        elsewhere = [item for item in items if item.get_closest_marker("postgresql_only")]
        if elsewhere:
            config.hook.pytest_deselected(items=elsewhere)
            items[:] = [item for item in items if not item.get_closest_marker("postgresql_only")]
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None or "django_db_serialized_rollback" in names:
            continue
        marker = item.get_closest_marker("django_db")
        transactional = "transactional_db" in names or "live_server" in names
        if marker is not None and (
            marker.kwargs.get("transaction") or (marker.args[:1] == (True,))
        ):
            transactional = True
        if transactional:
            names.append("django_db_serialized_rollback")
