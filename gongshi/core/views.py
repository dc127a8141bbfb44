from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from gongshi.accounts.models import User


def _passes_csrf(request: HttpRequest) -> bool:
    return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {}) is None


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher, also remembered on the account of a signed-in user.

    Switching the language cookie needs no CSRF token, so public pages can be served as the
    same bytes to every reader (``gongshi.public.page_cache``) with the switcher on them;
    writing the choice to an account does, and is skipped without one. The account's
    choice is applied again at every sign-in (gongshi.accounts.views).
    """
    response = django_set_language(request)
    language = request.POST.get("language")
    if (
        request.user.is_authenticated
        and _passes_csrf(request)
        and language in dict(User._meta.get_field("preferred_language").choices)
    ):
        User.objects.filter(pk=request.user.pk).update(preferred_language=language)
    return response
