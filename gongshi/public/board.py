"""The paper board (公示牌) for the sales office or site (guidance §5.2, offline channel).

One page, A4 or A1: the project's facts, each category's status and last update, the date
it was printed, the integrity checkpoint (tree size and root) the page was generated from,
and QR codes — one to the project page and one per category (an anchor on that page) — so
the paper board and the website can be matched by anyone with a phone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from gongshi.public.models import BoardPrint
from gongshi.public.page import ProjectPage
from gongshi.public.qr import project_url, qr_png_data_uri

PRINT_DIR = Path(__file__).resolve().parent / "print"
# Each size has its own layout: A4 a handout read at arm's length, A1 a poster read from
# 1–2 m (signage type sizes, QR codes ≥ 4 cm). Templates and stylesheets per size.
BOARD_SIZES = {
    "A4": {"template": "public/board.html", "stylesheet": PRINT_DIR / "board_a4.css"},
    "A1": {"template": "public/board_a1.html", "stylesheet": PRINT_DIR / "board_a1.css"},
}
#: The query parameter each QR code carries: the log size the board was printed at.
BOARD_PARAMETER = "board"
#: How long a rendered board is kept; its key changes with the project's content and the day.
BOARD_PDF_CACHE_SECONDS = 24 * 3600
#: How long the worker waits for a rendering of the same board already under way.
BOARD_PDF_WAIT_SECONDS = 30
#: How long a web request waits for one: then it answers a page saying to reload, so a
#: crowd asking for a board being rendered does not hold the app's threads (a question post
#: queued behind eight sleeping board requests waited seconds under load: bench/stack_load.py).
BOARD_PDF_REQUEST_WAIT_SECONDS = 2
#: When that page says to reload (and its Retry-After).
BOARD_PDF_RETRY_SECONDS = 3


def board_url(code: str, tree_size: int, anchor: str = "") -> str:
    url = f"{project_url(code)}?{BOARD_PARAMETER}={tree_size}"
    return f"{url}#{anchor}" if anchor else url


def board_stylesheet(size: str) -> str:
    return BOARD_SIZES[size]["stylesheet"].read_text(encoding="utf-8")


@dataclass
class BoardCategory:
    number: int
    label: str
    status_word: str
    tone: str
    percent: int
    last_published_at: object
    url: str
    qr: str  # data URI of the PNG


@dataclass
class BoardPermit:
    """One line of the board's permits table: an item, or one instance of a repeatable one
    (the second batch's pre-sale permit is a line of its own, with its label)."""

    title: str
    instance: str  # the instance's label ("第二批"), empty for an item disclosed once
    buildings: str
    facts: str  # the short fields, e.g. 证书编号 哈预2025002
    status_word: str
    tone: str
    published_at: object


def _facts(view) -> str:
    return "；".join(f"{f.label} {f.value}" for f in view.short_fields[:2] if f.value)


def board_permits(page: ProjectPage) -> list[BoardPermit]:
    """The permits and certificates on the board, every instance on its own line."""
    lines = []
    for view in page.permits():
        parts = view.instances if view.item.repeatable else [view]
        for part in parts:
            instance = part.instance if view.item.repeatable else None
            current = part.version or (instance.current if instance else view.entry.current)
            lines.append(
                BoardPermit(
                    title=view.item.display_title,
                    instance=part.title if instance else "",
                    buildings="、".join(part.building_names) if instance else "",
                    facts=_facts(part),
                    status_word=part.status.word,
                    tone=part.status.tone,
                    published_at=current.published_at if current else None,
                )
            )
    return lines


def board_context(page: ProjectPage, size: str, tree_size: int) -> dict:
    """What the board shows; its QR codes carry ``tree_size`` (the log's size at printing)."""
    from gongshi.integrity.log import latest_checkpoint
    from gongshi.integrity.witnessing import latest_by_witness as witnessed_by

    code = page.project.code
    categories = [
        BoardCategory(
            number=i,
            label=str(cat.category.label),
            status_word=cat.status.word,
            tone=cat.status.tone,
            percent=cat.percent,
            last_published_at=cat.last_published_at,
            url=board_url(code, tree_size, cat.anchor),
            qr=qr_png_data_uri(board_url(code, tree_size, cat.anchor)),
        )
        for i, cat in enumerate(page.categories, start=1)
    ]
    return {
        "page": page,
        "project": page.project,
        "size": size,
        "tree_size": tree_size,
        "url": project_url(code),
        "qr": qr_png_data_uri(board_url(code, tree_size)),
        "categories": categories,
        "permits": board_permits(page),
        "checkpoint": latest_checkpoint(),
        "witnesses": witnessed_by(),
        "printed_at": timezone.localtime(),
    }


@dataclass(frozen=True)
class RenderedBoard:
    pdf: bytes
    #: the log's size when it was rendered: what its QR codes carry and its prints record
    tree_size: int


def board_cache_key(code: str, size: str, board_key: str) -> str:
    """``board_key`` is the fingerprint's: what the board shows of the project's data (not
    its questions and open days), the language and the day."""
    return f"board-pdf:{code}:{size}:{board_key}"


def render_board(page: ProjectPage, size: str) -> RenderedBoard:
    """The board as a PDF (seconds of CPU), with the log's size at this moment."""
    from gongshi.core.pdf import render_pdf
    from gongshi.integrity.log import tree_size

    at = tree_size()
    html = render_to_string(BOARD_SIZES[size]["template"], board_context(page, size, at))
    pdf = render_pdf(html, base_url=settings.SITE_URL, stylesheets=[board_stylesheet(size)])
    return RenderedBoard(pdf, at)


def shared_rendering(
    key: str, render, wait: float = BOARD_PDF_WAIT_SECONDS, render_after_wait: bool = True
) -> RenderedBoard | None:
    """The board cached under ``key``, or ``render()``'s, rendered by one caller at a time.

    Callers asking for a board being rendered (a crowd at a sales office, or a request while
    the background task renders it after a publication) wait for that rendering, up to
    ``wait`` seconds, rather than start their own. The lock lives in the shared cache, so it
    holds across processes. After the wait, a caller renders it itself, or, with
    ``render_after_wait=False`` (a web request), gets None: the rendering is still under way.
    """
    if (board := cache.get(key)) is not None:
        return board
    if not cache.add(key + ":rendering", 1, BOARD_PDF_WAIT_SECONDS):
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if (board := cache.get(key)) is not None:
                return board
        if not render_after_wait:
            return None
    try:
        board = render()
        cache.set(key, board, BOARD_PDF_CACHE_SECONDS)
    finally:
        cache.delete(key + ":rendering")
    return board


def record_print(project, size: str, user, tree_size: int | None = None) -> BoardPrint:
    """Record a generation of the board at ``tree_size`` (its QR codes carry it), by default
    the log's current size."""
    from gongshi.integrity.log import tree_size as log_size
    from gongshi.organisations.models import Membership

    by_developer = bool(
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(user=user, organisation=project.developer_id).exists()
    )
    return BoardPrint.objects.create(
        project=project,
        size=size,
        tree_size=log_size() if tree_size is None else tree_size,
        printed_by=user if user is not None and user.is_authenticated else None,
        by_developer=by_developer,
    )


@dataclass
class BoardAge:
    """What a board printed at ``tree_size`` no longer shows: items published since."""

    tree_size: int
    printed_at: object  # None when no record of the print is found (an older board)
    changes: list = field(default_factory=list)  # (item, latest version since), by item

    @property
    def count(self) -> int:
        return len(self.changes)


def board_age(project, raw: str | None) -> BoardAge | None:
    """The banner for a project page opened from a board's QR code (``?board=N``)."""
    from gongshi.disclosures.models import DisclosureVersion, VersionStatus
    from gongshi.integrity.log import tree_size as current_size

    if not raw or not raw.isdigit() or len(raw) > 18:
        return None
    since = int(raw)
    if since > current_size():
        return None
    printed = (
        BoardPrint.objects.filter(project=project, tree_size=since)
        .order_by("printed_at")
        .values_list("printed_at", flat=True)
        .first()
    )
    versions = (
        DisclosureVersion.objects.filter(
            disclosure__project=project,
            status=VersionStatus.PUBLISHED,
            leaf_index__gte=since,
        )
        .select_related("disclosure__item")
        .order_by("leaf_index")
    )
    latest = {}
    for version in versions:  # the last version of each item wins
        latest[version.disclosure.item_id] = (version.disclosure.item, version)
    return BoardAge(tree_size=since, printed_at=printed, changes=list(latest.values()))
