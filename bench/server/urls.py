"""The application's URLs and two floor views served by the same stack."""

from django.http import HttpResponse
from django.urls import include, path

_BODIES: dict[int, bytes] = {}


def trivial(request):
    return HttpResponse("ok")


def same_size(request):
    """A constant body of ``?bytes=`` bytes (the measured page's size)."""
    size = min(int(request.GET.get("bytes", "100000")), 10_000_000)
    if size not in _BODIES:
        _BODIES[size] = b"x" * size
    return HttpResponse(_BODIES[size], content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/same-size/", same_size),
    path("", include("gongshi.urls")),
]
