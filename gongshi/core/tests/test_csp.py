"""Content-Security-Policy on every response, and the HTTPS defaults (settings "Security")."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from conftest import fail_on_csp_violations, watch_csp
from gongshi.core.testing import login_client

CSP = "Content-Security-Policy"
ROOT = Path(settings.BASE_DIR)


def _directives(header: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in header.split(";")
        if part.strip()
    }


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/p/{code}/",
        "/p/{code}/screen/",
        "/p/{code}/qr.svg",
        "/p/{code}/disclosures.csv",
        "/kiosk/",
        "/accounts/login/",
        "/api/v1/projects/",
        "/api/schema/",
        "/no-such-page/",
        "/workspace/",
    ],
)
def test_every_response_carries_the_policy(world, client, url):
    response = client.get(url.format(code=world.project.code))
    policy = _directives(response[CSP])
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    # Inline code runs only with the request's nonce; never 'unsafe-inline'.
    assert "unsafe-inline" not in response[CSP]
    assert "unsafe-eval" not in response[CSP]


def test_signed_in_pages_carry_the_policy(world, client):
    login_client(client, world.users["developer"])
    response = client.get(f"/workspace/p/{world.project.code}/")
    assert response.status_code == 200
    assert _directives(response[CSP])["script-src"].startswith("'self'")


def test_only_the_widget_may_be_framed(world, client):
    widget = client.get(f"/p/{world.project.code}/widget/")
    assert widget.status_code == 200
    assert _directives(widget[CSP])["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in widget
    page = client.get(f"/p/{world.project.code}/")
    assert page["X-Frame-Options"] == "DENY"


def test_violation_reports_are_accepted_and_logged(client, caplog):
    report = {"csp-report": {"violated-directive": "script-src", "blocked-uri": "inline"}}
    response = client.post(
        "/csp-report/", json.dumps(report), content_type="application/csp-report"
    )
    assert response.status_code == 204
    assert "script-src" in caplog.text


TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
# Rendered to PDF by WeasyPrint, never served to a browser.
NOT_SERVED = {"public/board.html"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_templates_have_no_inline_script_or_style():
    found = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            name = str(path.relative_to(directory))
            if name in NOT_SERVED:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern, what in (
                (INLINE_SCRIPT, "inline <script>"),
                (INLINE_HANDLER, "on…= handler"),
                (re.compile(r"<style", re.I), "<style>"),
                (re.compile(r"\sstyle\s*=", re.I), 'style=""'),
            ):
                found += [f"{path}: {what}" for _ in pattern.finditer(text)]
    assert not found, "\n".join(found)


def _settings_in_a_fresh_process(**environ) -> dict:
    code = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps({'hsts': s.SECURE_HSTS_SECONDS, 'secure': s.SESSION_COOKIE_SECURE,"
        " 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        " 'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None),"
        " 'csp': bool(s.CONTENT_SECURITY_POLICY),"
        " 'csp_ro': bool(getattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None))}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECURE_")}
    env.pop("SITE_URL", None)
    env.update(environ)
    out = subprocess.run(
        [sys.executable, str(ROOT.parent / "manage.py"), "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_https_site_turns_on_hsts_secure_cookies_and_the_proxy_header():
    https = _settings_in_a_fresh_process(SITE_URL="https://gongshi.example.cn")
    assert https["hsts"] == 31536000
    assert https["secure"] and https["csrf_secure"]
    assert https["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    plain = _settings_in_a_fresh_process(SITE_URL="http://127.0.0.1:8000")
    assert plain == {**plain, "hsts": 0, "secure": False, "proxy": None}
    # Each one can still be turned off explicitly.
    off = _settings_in_a_fresh_process(
        SITE_URL="https://gongshi.example.cn", SECURE_HSTS_SECONDS="0", SECURE_COOKIES="False"
    )
    assert off["hsts"] == 0 and not off["secure"]


def test_report_only_switch_sends_the_policy_as_report_only(client, settings):
    switched = _settings_in_a_fresh_process(GONGSHI_CSP_REPORT_ONLY="True")
    assert switched["csp_ro"] and not switched["csp"]
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/accounts/login/")
    assert CSP not in response
    assert "default-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_the_browser_fixture_catches_a_violation(browser, live_server):
    """watch_csp, which every browser test's page uses, sees what the policy blocks."""
    context = browser.new_context(base_url=live_server.url)
    violations = watch_csp(context)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_function("document.body !== null")
    page.wait_for_timeout(200)
    context.close()
    assert [v["directive"] for v in violations] == ["style-src-attr"]
    with pytest.raises(pytest.fail.Exception, match="style-src-attr"):
        fail_on_csp_violations(violations)
