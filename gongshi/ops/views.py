"""/healthz, /readyz and /metrics: for load balancers, orchestrators and Prometheus."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from gongshi.ops import health, metrics


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers: no database, cache or storage touched."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
@transaction.non_atomic_requests
def readyz(request: HttpRequest) -> JsonResponse:
    """Everything a request may need works now; 503 with the failing checks otherwise."""
    ready, checks = health.readiness()
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
        json_dumps_params={"ensure_ascii": False},
    )


def _metrics_allowed(request: HttpRequest) -> bool:
    token = settings.GONGSHI_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.GONGSHI_METRICS_ALLOW)


@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _metrics_allowed(request):
        return HttpResponse(
            _("指标只对 GONGSHI_METRICS_ALLOW 中的地址或带 GONGSHI_METRICS_TOKEN 的请求开放。"),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(
        metrics.exposition(), content_type="text/plain; version=0.0.4; charset=utf-8"
    )
