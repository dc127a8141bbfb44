from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from gongshi.accounts.models import User


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher, also remembered on the account of a signed-in user.

    The account's choice is applied again at every sign-in (gongshi.accounts.views).
    """
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(
        User._meta.get_field("preferred_language").choices
    ):
        User.objects.filter(pk=request.user.pk).update(preferred_language=language)
    return response
