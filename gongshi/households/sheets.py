"""Paper: the archive sheets for handover folders (one A4 or A5 page per flat) and the
sample flat's room labels, each with a QR code to its page.

A printed code outlives deployments, so QR codes encode only the stable addresses
``/p/<project>/h/<flat>/`` and ``/p/<project>/s/<room>/`` on ``SITE_URL``.

A big project's sheets are rendered ``SHEETS_PER_RENDER`` flats at a time and the parts joined
into one file on disk, which the view streams: the memory a batch needs is that of one part,
not of a thousand laid-out pages (bench/sheets_bench.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import segno
from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from gongshi.core.pdf import render_pdf
from gongshi.households.archive import Summary, summary_of
from gongshi.households.disclosed import AcceptanceIndex, AcceptanceRow, warranty_contacts
from gongshi.households.models import FlatArchive, Measurement, SampleRoom

PRINT_DIR = Path(__file__).resolve().parent / "print"
SHEET_SIZES = ("A4", "A5")
# One request renders at most this many flats: it must finish within the proxy's 60 s, and
# 1,000 sheets took 59 s of CPU on a loaded 2-core machine (500: ~30 s). A bigger set is
# never cut short: the flats page offers to render it in the task worker (SheetsExport).
MAX_SHEETS = 500
SHEETS_PER_RENDER = 100  # flats laid out by WeasyPrint at once


def flat_url(project_code: str, flat_code: str) -> str:
    return settings.SITE_URL + reverse("households:flat", args=[project_code, flat_code])


def room_url(project_code: str, room_code: str) -> str:
    return settings.SITE_URL + reverse("households:room", args=[project_code, room_code])


def qr_data_uri(url: str) -> str:
    # Level M survives a smudged print (as the board's codes).
    return segno.make(url, error="m", micro=False).png_data_uri(scale=8, border=4)


@dataclass
class Sheet:
    archive: FlatArchive
    url: str
    qr: str
    acceptance: AcceptanceRow | None
    measurements: list[Measurement]
    summary: Summary


def archives_for_sheets(project, building=None):
    archives = FlatArchive.objects.filter(project=project).select_related("flat__building")
    if building is not None:
        archives = archives.filter(flat__building=building)
    return archives.order_by(
        "flat__building__position", "flat__building_id", "flat__unit", "flat__floor", "flat__number"
    ).prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("position", "pk"))
    )


def write_sheets_pdf(
    project,
    archives,
    out: BinaryIO,
    size: str = "A4",
    *,
    limit: int | None = MAX_SHEETS,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the sheets of ``archives`` (a queryset, in page order) to ``out`` as one PDF,
    rendered ``SHEETS_PER_RENDER`` flats at a time; returns the number of pages.

    ``limit`` caps the flats (None: all of them, for the task worker); ``progress`` is called
    with the number of flats rendered after each part."""
    import io

    from pypdf import PdfWriter

    context = _sheets_context(project)
    stylesheet = sheets_stylesheet(size)
    writer = PdfWriter()
    pages = 0
    while limit is None or pages < limit:
        end = pages + SHEETS_PER_RENDER if limit is None else min(pages + SHEETS_PER_RENDER, limit)
        part = list(archives[pages:end])
        if not part:
            break
        html = _render_sheets(project, part, size, context)
        pdf = render_pdf(html, base_url=settings.SITE_URL, stylesheets=[stylesheet])
        writer.append(io.BytesIO(pdf))
        pages += len(part)
        if progress is not None:
            progress(pages)
    writer.write(out)
    return pages


def sheets_stylesheet(size: str) -> str:
    return (PRINT_DIR / "sheet.css").read_text() + f"\n@page {{ size: {size} portrait; }}\n"


def _sheets_context(project) -> dict:
    """What every sheet of the project shares (its acceptances, its warranty contacts)."""
    warranty, contacts = warranty_contacts(project)
    return {"index": AcceptanceIndex(project), "warranty": warranty, "contacts": contacts}


def sheets_html(project, archives, size: str = "A4") -> str:
    """The sheets' HTML, as WeasyPrint prints it (the browser tests read it too)."""
    return _render_sheets(project, archives[:MAX_SHEETS], size, _sheets_context(project))


def _render_sheets(project, archives, size: str, context: dict) -> str:
    index = context["index"]
    sheets = []
    for archive in archives:
        measurements = list(archive.measurements.all())
        url = flat_url(project.code, archive.code)
        sheets.append(
            Sheet(
                archive=archive,
                url=url,
                qr=qr_data_uri(url),
                acceptance=index.for_flat(archive.flat),
                measurements=measurements,
                summary=summary_of(measurements),
            )
        )
    return render_to_string(
        "households/sheets.html",
        {
            "project": project,
            "sheets": sheets,
            "contacts": context["contacts"],
            "warranty": context["warranty"],
            "printed": timezone.localdate(),
            "size": size,
        },
    )


@dataclass
class Label:
    room: SampleRoom
    url: str
    qr: str


def labels_pdf(project, rooms: list[SampleRoom]) -> bytes:
    """The room labels of a project's sample flats, six to an A4 page, to cut and stick."""
    html = labels_html(project, rooms)
    return render_pdf(html, base_url=settings.SITE_URL, stylesheets=[labels_stylesheet()])


def labels_stylesheet() -> str:
    return (PRINT_DIR / "labels.css").read_text()


def labels_html(project, rooms: list[SampleRoom]) -> str:
    """The labels' HTML, as WeasyPrint prints it (the browser tests read it too)."""
    labels = []
    for room in rooms:
        url = room_url(project.code, room.code)
        labels.append(Label(room=room, url=url, qr=qr_data_uri(url)))
    return render_to_string(
        "households/labels.html",
        {"project": project, "labels": labels, "printed": timezone.localdate()},
    )
