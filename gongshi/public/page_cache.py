"""The finished bytes of public project pages, kept per data fingerprint.

A launch day has a thousand phones ask for the same page within minutes. Each is answered
by :class:`StoredPageMiddleware`, near the top of the middleware stack, from the project's
fingerprint (one indexed query, ``gongshi.public.conditional``) and, when the page was
already rendered for the same data, language, display mode and address, the stored
response — body and headers as the full stack produced them: no template, no object graph,
no unpickling beyond ``bytes``. The key is the fingerprint itself, so an entry never needs
deleting: a publication, correction, withdrawal, answer or regulator record bumps a stamp,
every process computes a new key, and the old entry simply stops being asked for.

Two levels: a small per-process store (most recently used first, bounded in bytes) in front
of Django's cache (Redis in production, shared by every worker), so a page rendered by one
worker is served by the others without rendering it again.

Only readers who see the same page are served from here: anonymous (no session cookie),
no pending messages, no query string, not an htmx request. A response that sets a cookie or
carries a CSRF token or a CSP nonce is never stored (the language and elderly-mode switches need none).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response

from gongshi.public.conditional import Fingerprint, project_fingerprint, stamp

#: Seconds an entry stays in the shared cache; a change of data changes the key anyway.
SHARED_SECONDS = 86400
#: Bytes of page bodies each process keeps in memory.
LOCAL_BYTES = 32 * 1024 * 1024

#: The pages served from stored bytes: a project's page and an item's page.
STORED_PATHS = re.compile(r"^/p/(?P<code>[A-Za-z0-9]{1,32})/(?:i/[A-Za-z0-9._-]{1,100}/)?$")
#: Headers that are per response, not per page.
_OWN_HEADERS = {"etag", "last-modified", "content-length", "date", "set-cookie"}


@dataclass(frozen=True)
class StoredPage:
    body: bytes
    #: the response's headers as the whole middleware stack left them, but _OWN_HEADERS
    headers: tuple[tuple[str, str], ...]

    @property
    def size(self) -> int:
        return len(self.body)


class LocalPages:
    """Most recently used pages of this process, at most ``limit`` bytes of them."""

    def __init__(self, limit: int = LOCAL_BYTES) -> None:
        self.limit = limit
        self._pages: OrderedDict[str, StoredPage] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> StoredPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: StoredPage) -> None:
        if page.size > self.limit:
            return
        with self._lock:
            if (old := self._pages.pop(key, None)) is not None:
                self._size -= old.size
            self._pages[key] = page
            self._size += page.size
            while self._size > self.limit:
                _, evicted = self._pages.popitem(last=False)
                self._size -= evicted.size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0


local_pages = LocalPages()


def shares_page(request: HttpRequest) -> bool:
    """Whether this reader sees exactly what any other reader with the same cookies sees."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # signed in, or messages
        and "messages" not in request.COOKIES
        and "HTTP_HX_REQUEST" not in request.META
    )


def page_key(request: HttpRequest, fingerprint: Fingerprint) -> str:
    variant = "|".join([request.path, request.COOKIES.get("elderly", "")])
    digest = hashlib.sha256(variant.encode()).hexdigest()[:16]
    return f"public:page-bytes:{fingerprint.content_key}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        # A page that used this request's CSP nonce cannot be replayed to another request
        # (django-csp sets ``_csp_nonce`` once the nonce is read).
        not isinstance(getattr(request, "_csp_nonce", None), str)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and b"csrfmiddlewaretoken" not in response.content
    )


def _stored(response: HttpResponse) -> StoredPage:
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in _OWN_HEADERS
    )
    return StoredPage(body=response.content, headers=headers)


def _replay(page: StoredPage, response: HttpResponse, fingerprint: Fingerprint) -> HttpResponse:
    for name, value in page.headers:
        if response.status_code == 304 and name.lower() == "content-type":
            continue
        response.headers[name] = value
    return stamp(response, fingerprint)


class StoredPageMiddleware:
    """Answer anonymous readers of project and item pages from the stored response.

    Placed right after ``SecurityMiddleware`` (whose headers it gets like any response);
    the middleware below it ran when the page was first rendered, and their headers
    (language, framing, CSP) are replayed from the stored copy.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = STORED_PATHS.match(request.path_info)
        if match is None or not shares_page(request):
            return self.get_response(request)
        # What LocaleMiddleware (further down) would choose; the page differs by it.
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            fingerprint = project_fingerprint(match["code"], request)
        except Http404:
            return self.get_response(request)
        pages = local_pages
        key = page_key(request, fingerprint)
        page = pages.get(key)
        if page is None and (page := cache.get(key)) is not None:
            pages.put(key, page)
        if page is None:
            response = self.get_response(request)
            if _storable(request, response):
                page = _stored(response)
                cache.set(key, page, SHARED_SECONDS)
                pages.put(key, page)
            return response
        conditional = get_conditional_response(
            request,
            etag=fingerprint.etag,
            last_modified=int(fingerprint.last_modified.timestamp()),
        )
        if conditional is not None:
            return _replay(page, conditional, fingerprint)
        return _replay(page, HttpResponse(page.body), fingerprint)
