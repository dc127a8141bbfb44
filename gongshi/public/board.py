"""The paper board (公示牌) for the sales office or site (guidance §5.2, offline channel).

One page, A4 or A1: the project's facts, each category's status and last update, the date
it was printed, the integrity checkpoint (tree size and root) the page was generated from,
and QR codes — one to the project page and one per category (an anchor on that page) — so
the paper board and the website can be matched by anyone with a phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from gongshi.public.page import ProjectPage
from gongshi.public.qr import project_url, qr_png_data_uri

# Page size and the base font size that makes the same layout fill it.
BOARD_SIZES = {
    "A4": {"page": "A4", "font_pt": 10, "qr_mm": 34, "main_qr_mm": 50},
    "A1": {"page": "A1", "font_pt": 28, "qr_mm": 95, "main_qr_mm": 140},
}


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


def board_context(page: ProjectPage, size: str) -> dict:
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
            url=project_url(code, cat.anchor),
            qr=qr_png_data_uri(project_url(code, cat.anchor)),
        )
        for i, cat in enumerate(page.categories, start=1)
    ]
    return {
        "page": page,
        "project": page.project,
        "size": size,
        "dims": BOARD_SIZES[size],
        "url": project_url(code),
        "qr": qr_png_data_uri(project_url(code)),
        "categories": categories,
        "checkpoint": latest_checkpoint(),
        "witnesses": witnessed_by(),
        "printed_at": timezone.localtime(),
    }
