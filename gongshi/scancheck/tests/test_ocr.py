"""Real OCR (RapidOCR, its ONNX models from the wheel, offline) on one generated scan:
slow on two cores, so one image; bench/scan_ocr_bench.py measures precision and recall."""

from __future__ import annotations

import random

from gongshi.scancheck import compare, ocr
from gongshi.scancheck.testing import permit_fields, permit_image, swapped
from gongshi.scancheck.tests.test_compare import FIELDS


def test_ocr_reads_a_degraded_permit_scan_and_catches_a_swapped_number():
    rng = random.Random(18)
    fields = permit_fields(rng)
    text, method = ocr.scan_text(permit_image(fields, rng), "image/jpeg")
    assert method == "ocr"
    assert compare.mismatches(FIELDS, fields, text) == []
    typed = {**fields, "certificate_number": swapped(fields["certificate_number"], rng)}
    [mismatch] = compare.mismatches(FIELDS, typed, text)
    assert mismatch.key == "certificate_number"
