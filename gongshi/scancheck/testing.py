"""Generated permit scans with known fields, for the OCR test and bench/scan_ocr_bench.py:
the demo's permit PDF (the project's own PDF code), rendered, then degraded like a phone
photo or a cheap scanner — rotation, noise, JPEG compression."""

from __future__ import annotations

import datetime as dt
import io
import random

import numpy as np
import pypdfium2 as pdfium
from django.utils import timezone
from PIL import Image

from gongshi.demo.documents import permit_pdf


def permit_fields(rng: random.Random) -> dict:
    city = rng.choice(["230103", "230109", "230602", "231002", "230203"])
    # Issued within the last year, whatever day the suite or the benchmark runs.
    issued = timezone.localdate() - dt.timedelta(days=rng.randrange(1, 300))
    name = rng.choice(["星河湾", "松北新城", "丽江花园", "滨江壹号", "保障房", "东方明珠"])
    return {
        "certificate_number": f"{city}{issued:%Y%m%d}{rng.randrange(10**4):04d}",
        "project_name": f"{name}{rng.choice(['花园', '小区', '家园'])}{rng.randint(1, 9)}期",
        "issue_date": issued.isoformat(),
    }


def permit_image(fields: dict, rng: random.Random, *, scale: float = 1.6) -> bytes:
    """A JPEG 'scan' of a construction permit that prints ``fields``."""
    pdf = permit_pdf(
        "建筑工程施工许可证",
        fields["certificate_number"],
        [("建设单位", "哈尔滨测试置业有限公司"), ("工程名称", fields["project_name"]),
         ("建设地址", "哈尔滨市松北区世茂大道 88 号"), ("合同工期", "720 日历天")],
        "哈尔滨市住房和城乡建设局",
        dt.date.fromisoformat(fields["issue_date"]),
        "经审查，本建筑工程符合施工条件，准予施工。",
    )  # fmt: skip
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()
    image = image.rotate(rng.uniform(-2.5, 2.5), expand=True, fillcolor=235)
    pixels = np.asarray(image, dtype=np.float32)
    pixels += np.random.default_rng(rng.randrange(2**32)).normal(0, 12, pixels.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=rng.randint(35, 70))
    return out.getvalue()


def swapped(number: str, rng: random.Random) -> str:
    """The number with two different adjacent digits swapped (a typing slip)."""
    positions = [i for i in range(len(number) - 1) if number[i] != number[i + 1]]
    i = rng.choice(positions)
    return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
