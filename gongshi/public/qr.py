"""QR codes that lead from paper to the project page: always absolute URLs on SITE_URL.

A printed QR code outlives deployments, so it encodes only the stable ``/p/<code>/`` address
(plus a category anchor for the board's per-category codes).
"""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse


def project_url(code: str, anchor: str = "") -> str:
    url = settings.SITE_URL + reverse("public:project", args=[code])
    return f"{url}#{anchor}" if anchor else url


def make_qr(url: str) -> segno.QRCode:
    # Level M survives a smudged or partly covered print; segno raises the level further
    # when the version allows it at no cost in size.
    return segno.make(url, error="m", micro=False)


def qr_png(url: str, scale: int = 10, border: int = 4) -> bytes:
    out = io.BytesIO()
    make_qr(url).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def qr_svg(url: str, scale: int = 4, border: int = 4) -> bytes:
    out = io.BytesIO()
    make_qr(url).save(out, kind="svg", scale=scale, border=border, xmldecl=False, svgns=True)
    return out.getvalue()


def qr_png_data_uri(url: str, scale: int = 10) -> str:
    return make_qr(url).png_data_uri(scale=scale, border=4)
