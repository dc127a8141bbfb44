"""Abuse limits: how often one client address (and one target) may use a route.

Counted in the shared cache (Redis in production, ``REDIS_URL``), so every web process counts
together: a fixed window per limit, one atomic ``INCR`` per request. A request over a limit is
answered before the view runs — before the body is read — with 429, ``Retry-After`` and a
sentence in the user's language; the same answer whatever the request names (a known phone
number, an unknown one, a project that exists or not).

Limits on a *person's* contact (codes per phone number, questions per contact) need the body
and stay in the domain (gongshi.participation.questions), raising the same
:class:`~gongshi.core.refusals.RateLimited`. The table below names every anonymous write and
every expensive public read; tests check that each anonymous write route is in it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongshi.core.refusals import RateLimited


@dataclass(frozen=True)
class Limit:
    """At most ``count`` requests per ``seconds`` for one address (and target, if ``per``)."""

    name: str
    count: int
    seconds: int
    per: str = ""  # a URL keyword argument (``code``, ``token``…): counted per its value too


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: the reverse proxy sets it (gunicorn's forwarded-allow-ips, nginx's
    # real_ip); X-Forwarded-For from the client would let anyone choose their address.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def message(seconds: int) -> str:
    return ngettext(
        "请求过于频繁，请在 %(seconds)d 秒后再试。",
        "请求过于频繁，请在 %(seconds)d 秒后再试。",
        seconds,
    ) % {"seconds": seconds}


def hit(name: str, key: str, count: int, seconds: int) -> None:
    """Count one request for ``key``; raise :class:`RateLimited` once past ``count``."""
    scale = getattr(settings, "GONGSHI_RATE_LIMIT_SCALE", 1.0)
    allowed = max(1, int(count * scale))
    now = timezone.now().timestamp()
    window = int(now // seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"gongshi:rl:{name}:{digest}:{window}"
    cache.add(cache_key, 0, seconds + 5)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, seconds + 5)
        used = 1
    if used > allowed:
        retry_after = max(1, int((window + 1) * seconds - now + 0.999))
        raise RateLimited(message(retry_after), retry_after)


def check(request: HttpRequest, limits: tuple[Limit, ...], kwargs: dict) -> None:
    """Count the request against every limit (none is skipped), then refuse if any is past."""
    address = client_address(request)
    refusals = []
    for limit in limits:
        target = str(kwargs.get(limit.per, "")) if limit.per else ""
        key = f"{limit.per}={target}" if limit.per else f"ip={address}"
        try:
            hit(limit.name, key, limit.count, limit.seconds)
        except RateLimited as exc:
            refusals.append(exc)
    if refusals:
        raise max(refusals, key=lambda exc: exc.retry_after)


MINUTE, HOUR, DAY = 60, 3600, 86400
WRITE = "POST", "PUT", "PATCH", "DELETE"
# Everyone's anonymous writes from one address, whatever the route.
ANY_WRITE = Limit("write", 120, 10 * MINUTE)
EXPORT = Limit("export", 30, 10 * MINUTE)
PDF = Limit("pdf", 20, 10 * MINUTE)
SEARCH = Limit("search", 120, MINUTE)

# The same limits for a route's API and HTML forms (one count for both doors).
ASK = (Limit("ask", 30, DAY), Limit("ask-project", 300, DAY, per="code"))
FOLLOW = (Limit("follow", 10, HOUR), Limit("follow-project", 200, HOUR, per="code"))
# Owners prove who they are with a contract number and phone: guessing is limited per address
# and per flat; their problems per address.
OWNER_VERIFY = (Limit("owner-verify", 20, HOUR), Limit("owner-verify-flat", 10, HOUR, per="flat"))
OWNER_WRITE = (Limit("owner-write", 60, HOUR),)
# A company's self-registration makes an account: a few an hour from one address.
REGISTER = (Limit("register", 10, HOUR),)

# (URL namespace:name, methods) → limits. Methods "*" means every method.
ROUTES: dict[str, tuple[tuple[str, ...], tuple[Limit, ...]]] = {
    # Verification codes (per contact limits are in the domain), confirmations, questions.
    "api:contact-verifications": (WRITE, (Limit("code", 30, HOUR),)),
    "participation:verify": (WRITE, (Limit("code", 30, HOUR),)),
    "api:contact-verifications-confirm": (WRITE, (Limit("confirm", 30, HOUR),)),
    "participation:verify_confirm": (WRITE, (Limit("confirm", 30, HOUR),)),
    "api:project-questions": (WRITE, ASK),
    "participation:ask": (WRITE, ASK),
    "api:question-resolution": (WRITE, (Limit("resolution", 30, HOUR),)),
    "participation:asker": (WRITE, (Limit("resolution", 30, HOUR),)),
    # Following a project: e-mail subscriptions and webhooks.
    "api:project-subscriptions": (WRITE, FOLLOW),
    "participation:follow": (WRITE, FOLLOW),
    "api:project-webhooks": (
        WRITE,
        (Limit("webhook", 10, HOUR), Limit("webhook-project", 50, HOUR, per="code")),
    ),
    "api:webhook": (("*",), (Limit("webhook-token", 60, HOUR),)),
    "participation:confirm": (("*",), (Limit("follow-token", 60, HOUR),)),
    "participation:unsubscribe": (("*",), (Limit("follow-token", 60, HOUR),)),
    # Site open days: signing up.
    "participation:open_day": (
        WRITE,
        (Limit("open-day", 10, HOUR), Limit("open-day-target", 500, DAY, per="pk")),
    ),
    "participation:invitation": (WRITE, (Limit("invitation", 30, HOUR),)),
    # The owner's pre-handover inspection (gongshi.households): proving ownership, per flat too.
    "households:owner_contract": (WRITE, OWNER_VERIFY),
    "api:flat-owner-sessions": (WRITE, OWNER_VERIFY),
    "households:owner_code": (WRITE, (Limit("code", 30, HOUR),)),
    "api:flat-owner-codes": (WRITE, (Limit("code", 30, HOUR),)),
    "households:owner_confirm": (WRITE, (Limit("confirm", 30, HOUR),)),
    "households:owner": (WRITE, OWNER_WRITE),
    "households:owner_decide": (WRITE, OWNER_WRITE),
    "api:flat-problems": (WRITE, OWNER_WRITE),
    "api:flat-problem-decision": (WRITE, OWNER_WRITE),
    # Companies registering themselves (the page and the API count together).
    "registrations:register": (WRITE, REGISTER),
    "api:registrations": (WRITE, REGISTER),
    # Browsers' violation reports, and the language switch.
    "csp_report": (WRITE, (Limit("csp-report", 60, MINUTE),)),
    "set_language": (WRITE, (Limit("language", 60, MINUTE),)),
    # Expensive public reads: exports, the paper board, search.
    "public:projects_csv": (("*",), (EXPORT,)),
    "public:projects_xlsx": (("*",), (EXPORT,)),
    "public:disclosures_csv": (("*",), (EXPORT, Limit("export-project", 120, HOUR, per="code"))),
    "public:disclosures_xlsx": (("*",), (EXPORT, Limit("export-project", 120, HOUR, per="code"))),
    "public:board": (("*",), (PDF, Limit("pdf-project", 120, HOUR, per="code"))),
}
# Search is the home page and the API list with a query: limited only when one is given.
SEARCH_ROUTES = {"home", "api:project-list"}
SEARCH_PARAMETERS = ("q", "search")


def limits_for(request: HttpRequest, route: str) -> tuple[Limit, ...]:
    limits: tuple[Limit, ...] = ()
    if route in ROUTES:
        methods, limits = ROUTES[route]
        if "*" not in methods and request.method not in methods:
            limits = ()
    if route in SEARCH_ROUTES and any(request.GET.get(p) for p in SEARCH_PARAMETERS):
        limits += (SEARCH,)
    if request.method in WRITE and not request.user.is_authenticated:
        limits += (ANY_WRITE,)
    return limits


def too_many_requests(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """429 in the shape the caller reads: the API's error JSON, or a page that explains."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"error": {"code": exc.code, "message": exc.message}}, status=429
        )
    else:
        response = render(
            request, "429.html", {"message": exc.message, "title": _("请求过于频繁")}, status=429
        )
    response["Retry-After"] = str(exc.retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    """Apply :data:`ROUTES` before the view; turn any :class:`RateLimited` into a 429."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        route = match.view_name if match else ""
        try:
            check(request, limits_for(request, route), view_kwargs)
        except RateLimited as exc:
            return too_many_requests(request, exc)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception)
        return None
