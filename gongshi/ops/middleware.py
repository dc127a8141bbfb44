"""Request id, one JSON log line and the metrics of every request.

Outermost middleware: it sees every response, including those of the security middleware,
and its timing covers the whole stack. The id comes from the proxy's ``X-Request-ID`` when it
looks like one (nginx sends ``$request_id``), else a new one; it is returned in the response
header, put in every log line of the request and written in the audit log.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
import uuid
from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from gongshi.core.request_context import reset_request_id, set_request_id
from gongshi.ops import metrics

request_log = logging.getLogger("gongshi.request")

# What a proxy may hand us: letters, digits, dashes, up to 64 — never a log-injection vector.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or match._func_path


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _client_address_from_proxy(request: HttpRequest) -> None:
    """Behind a trusted proxy, the client's address is the one the proxy saw (X-Real-IP).

    Everything that reads REMOTE_ADDR — the login throttle, the audit log, the metrics
    allow-list — then sees the visitor, not nginx. From anyone else the header is ignored,
    so a client cannot choose its address.
    """
    trusted = settings.GONGSHI_TRUSTED_PROXIES
    if not trusted:
        return
    real = request.headers.get("X-Real-IP", "")
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        client = ipaddress.ip_address(real)
    except ValueError:
        return
    if any(peer in network for network in trusted):
        request.META["REMOTE_ADDR"] = str(client)


def _user_id(request: HttpRequest) -> int | None:
    # Only a user the view already loaded: reading it here would cost a session query on
    # pages that never looked (cached public pages).
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _client_address_from_proxy(request)
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = set_request_id(request_id)
        try:
            counter = _QueryCounter()
            started = time.perf_counter()
            with ExitStack() as stack:
                for conn in connections.all(initialized_only=False):
                    stack.enter_context(conn.execute_wrapper(counter))
                response = self.get_response(request)
            duration = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            view = _view_label(request)
            metrics.observe_request(
                view, request.method or "", response.status_code, duration, counter.count
            )
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "http": {
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "view": view,
                        "duration_ms": round(duration * 1000, 1),
                        "db_queries": counter.count,
                        "remote_addr": request.META.get("REMOTE_ADDR", ""),
                        "user_id": _user_id(request),
                    }
                },
            )
            return response
        finally:
            reset_request_id(token)
