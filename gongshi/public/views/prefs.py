"""Reader preferences: elderly mode (larger type, higher contrast), remembered in a cookie."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

ELDERLY_COOKIE = "elderly"
ONE_YEAR = 365 * 24 * 3600


def is_elderly(request: HttpRequest) -> bool:
    return request.COOKIES.get(ELDERLY_COOKIE) == "1"


# Only a cookie of the reader's own display preference changes: no token needed, so public
# pages carrying this button are the same bytes for every reader (gongshi.public.page_cache).
@csrf_exempt
@require_POST
def toggle_elderly(request: HttpRequest) -> HttpResponse:
    """One tap switches elderly mode on or off and returns the reader where they were."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if is_elderly(request):
        response.delete_cookie(ELDERLY_COOKIE, samesite="Lax")
    else:
        response.set_cookie(ELDERLY_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response
