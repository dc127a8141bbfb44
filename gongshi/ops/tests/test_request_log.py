import json
import logging

import pytest
from django.urls import path

from gongshi.integrity.audit import record
from gongshi.integrity.models import AuditEvent
from gongshi.ops.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("kaboom in a view")


def _audited(request):
    from django.http import HttpResponse

    record(request, "test.audited")
    return HttpResponse("ok")


urlpatterns = [path("boom", _boom), path("audited", _audited)]


@pytest.fixture
def json_lines():
    """The JSON lines the configured formatter writes, collected from the root logger."""
    lines: list[dict] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(self.format(record)))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)


def test_each_request_writes_one_line_with_the_id_it_returns(client, json_lines):
    response = client.get("/healthz")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [entry for entry in json_lines if entry["logger"] == "gongshi.request"]
    assert line["request_id"] == request_id
    assert line["http"]["view"] == "ops:healthz"
    assert line["http"]["status"] == 200
    assert line["http"]["db_queries"] == 0
    assert line["http"]["duration_ms"] >= 0


def test_the_proxy_s_request_id_is_kept_and_a_bad_one_replaced(client):
    given = "0123456789abcdef0123456789abcdef"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    forged = "x\nFAKE LOG LINE"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=forged)["X-Request-ID"] != forged


@pytest.mark.urls("gongshi.ops.tests.test_request_log")
def test_an_error_is_one_line_with_its_traceback_and_request_id(client, json_lines):
    client.raise_request_exception = False
    response = client.get("/boom")
    assert response.status_code == 500
    [error] = [entry for entry in json_lines if entry["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: kaboom in a view" in error["exc_info"]
    assert "Traceback" in error["exc_info"]


@pytest.mark.urls("gongshi.ops.tests.test_request_log")
def test_the_audit_log_records_the_request_id(client):
    response = client.get("/audited")
    event = AuditEvent.objects.get(action="test.audited")
    assert event.request_id == response["X-Request-ID"]


def test_outside_a_request_the_audit_event_has_no_request_id():
    assert record(None, "test.system").request_id == ""


def test_behind_a_trusted_proxy_the_client_address_is_the_proxy_s_x_real_ip(client, settings):
    from gongshi.ops.middleware import _client_address_from_proxy

    class Request:
        def __init__(self, peer, real):
            self.META = {"REMOTE_ADDR": peer}
            self.headers = {"X-Real-IP": real}

    import ipaddress

    settings.GONGSHI_TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1/32")]
    from_proxy = Request("127.0.0.1", "203.0.113.7")
    _client_address_from_proxy(from_proxy)
    assert from_proxy.META["REMOTE_ADDR"] == "203.0.113.7"
    forged = Request("198.51.100.2", "127.0.0.1")
    _client_address_from_proxy(forged)
    assert forged.META["REMOTE_ADDR"] == "198.51.100.2"
    # And /metrics, open to 127.0.0.1, is closed to a visitor coming through the proxy.
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert response.status_code == 403
