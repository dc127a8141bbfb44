"""What everyone reads: a flat's archive page and a sample room's materials page.

The flat page always says that the archive exists, with the flat's household acceptance row
(already public in the summary table) and the warranty contacts; measured data and photos
only once the developer published them. The owner's data and inspection never appear here.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from gongshi.households.access import public_archive
from gongshi.households.archive import summary_of
from gongshi.households.disclosed import (
    AcceptanceIndex,
    fitout_products,
    products_for_room,
    warranty_contacts,
)
from gongshi.households.models import SampleRoom
from gongshi.households.sheets import flat_url, qr_data_uri


@require_safe
def flat(request: HttpRequest, code: str, flat: str) -> HttpResponse:
    archive = public_archive(code, flat)
    project = archive.project
    measurements, photos = [], []
    if archive.is_published:
        measurements = list(archive.measurements.all())
        photos = list(archive.photos.select_related("file"))
    warranty, contacts = warranty_contacts(project)
    url = flat_url(project.code, archive.code)
    return render(
        request,
        "households/flat.html",
        {
            "project": project,
            "archive": archive,
            "flat": archive.flat,
            "acceptance": AcceptanceIndex(project).for_flat(archive.flat),
            "measurements": measurements,
            "summary": summary_of(measurements),
            "photos": photos,
            "warranty": warranty,
            "contacts": contacts,
            "url": url,
            "qr": qr_data_uri(url),
        },
    )


@require_safe
def room(request: HttpRequest, code: str, room: str) -> HttpResponse:
    sample_room = get_object_or_404(
        SampleRoom.objects.select_related("sample", "project"),
        project__code=code,
        code=room.upper(),
    )
    project = sample_room.project
    version, columns, products = fitout_products(project)
    return render(
        request,
        "households/room.html",
        {
            "project": project,
            "room": sample_room,
            "version": version,
            "columns": columns,
            "products": products_for_room(products, sample_room.terms()),
            "other_rooms": sample_room.sample.rooms.exclude(pk=sample_room.pk),
        },
    )
