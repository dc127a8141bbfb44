"""The finished bytes of public project pages, kept per data fingerprint.

A launch day has a thousand phones ask for the same page within minutes. Each is answered
from the project's fingerprint (one indexed query, ``gongshi.public.conditional``) and,
when the page was already rendered for the same data, language, display mode and address,
the stored response body: no template, no object graph, no unpickling beyond a tuple of
``bytes``. The key is the fingerprint itself, so an entry never needs deleting: a
publication, correction, withdrawal, answer or regulator record changes the stamps, every
process computes a new key, and the old entry simply stops being asked for.

Two levels: a small per-process store (most-recently-used first, bounded in bytes) in
front of Django's cache (Redis in production, shared by every worker), so a page rendered
by one worker is served by the others without rendering it again.

Only readers who see the same page are served from here: anonymous (no session cookie),
no pending messages, no query string. The page's CSRF tokens (the language and
elderly-mode forms) are cut out when storing and each reader gets their own when serving.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from gongshi.public.conditional import Fingerprint, stamp

#: Seconds an entry stays in the shared cache; a change of data changes the key anyway.
SHARED_SECONDS = 86400
#: Bytes of page bodies each process keeps in memory.
LOCAL_BYTES = 32 * 1024 * 1024

_TOKEN = re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(?=")')


@dataclass(frozen=True)
class StoredPage:
    #: the body cut at each CSRF token
    chunks: tuple[bytes, ...]
    content_type: str

    @property
    def size(self) -> int:
        return sum(len(c) for c in self.chunks)


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
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # signed in, or messages
        and "messages" not in request.COOKIES
    )


def page_key(request: HttpRequest, fingerprint: Fingerprint) -> str:
    variant = "|".join([request.path, request.COOKIES.get("elderly", "")])
    digest = hashlib.sha256(variant.encode()).hexdigest()[:16]
    return f"public:page-bytes:{fingerprint.content_key}:{digest}"


def _store(response: HttpResponse) -> StoredPage:
    return StoredPage(
        chunks=tuple(_TOKEN.split(response.content)), content_type=response["Content-Type"]
    )


def _serve(request: HttpRequest, page: StoredPage) -> HttpResponse:
    if len(page.chunks) == 1:
        body = page.chunks[0]
    else:
        body = get_token(request).encode().join(page.chunks)
    return HttpResponse(body, content_type=page.content_type)


def cached_page(
    request: HttpRequest,
    fingerprint: Fingerprint,
    render: Callable[[], HttpResponse],
    *,
    pages: LocalPages | None = None,
) -> HttpResponse:
    """The page for this reader: from the stored bytes if rendered before, else ``render()``."""
    if not shares_page(request):
        return stamp(render(), fingerprint)
    pages = pages or local_pages
    key = page_key(request, fingerprint)
    page = pages.get(key)
    if page is None:
        page = cache.get(key)
        if page is None:
            response = render()
            if response.status_code != 200 or response.streaming or response.cookies:
                return stamp(response, fingerprint)
            page = _store(response)
            cache.set(key, page, SHARED_SECONDS)
        pages.put(key, page)
    return stamp(_serve(request, page), fingerprint)
