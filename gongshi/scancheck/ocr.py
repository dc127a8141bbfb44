"""Text of a scan: the PDF's own text layer when it has one (an electronic certificate),
else OCR (RapidOCR's ONNX models, shipped inside its wheel: nothing is downloaded).

Runs in the background task worker only — a page takes seconds on two cores.
"""

from __future__ import annotations

import functools
import io
import threading

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageOps

MAX_PAGES = 2  # permits and certificates are one page; a long scan's first pages say it all
RENDER_SCALE = 2.0  # PDF points to pixels (144 dpi)
MIN_TEXT_LAYER = 20  # fewer characters than this: a scanned PDF, OCR its pages
_PDFIUM = threading.Lock()  # PDFium is not thread-safe


@functools.cache
def engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def ocr_image(image: Image.Image) -> str:
    """The lines RapidOCR reads, top to bottom."""
    image = ImageOps.exif_transpose(image).convert("RGB")
    result, _elapsed = engine()(np.asarray(image)[:, :, ::-1])  # RapidOCR wants BGR
    if not result:
        return ""
    boxes = sorted(result, key=lambda r: (round(r[0][0][1] / 12), r[0][0][0]))
    return "\n".join(text for _box, text, _score in boxes)


def pdf_pages(data: bytes) -> tuple[str, list[Image.Image]]:
    """(text layer, rendered pages) of a PDF's first pages."""
    with _PDFIUM:
        document = pdfium.PdfDocument(data)
        try:
            texts, images = [], []
            for index in range(min(MAX_PAGES, len(document))):
                page = document[index]
                textpage = page.get_textpage()
                texts.append(textpage.get_text_bounded())
                images.append(page.render(scale=RENDER_SCALE).to_pil())
        finally:
            document.close()
    return "\n".join(texts), images


def scan_text(data: bytes, content_type: str) -> tuple[str, str]:
    """(text, method) of a stored file; method is ``text_layer`` or ``ocr``."""
    if content_type == "application/pdf":
        text, images = pdf_pages(data)
        if len(text.strip()) >= MIN_TEXT_LAYER:
            return text, "text_layer"
        return "\n".join(ocr_image(image) for image in images), "ocr"
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return ocr_image(image), "ocr"
