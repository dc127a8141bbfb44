"""Scan cross-check (issue 18): precision and recall of the OCR check on generated permits.

    .venv/bin/python bench/scan_ocr_bench.py [--images 40] [--seed 18]

Each image is the demo's construction permit (gongshi.demo.documents.permit_pdf, the
project's own PDF code) with random known fields, rendered at 115 dpi, rotated ±2.5°, with
Gaussian noise (σ = 12 grey levels) and JPEG quality 35–70 (gongshi.scancheck.testing). It
is OCR'd once (RapidOCR, ONNX models from the wheel), then checked twice:

* faithful — the typed values are the printed ones: any flag is a false positive;
* corrupted — one field typed wrong, in turn: the certificate number with two adjacent
  digits swapped, the issue date a few days off, or another project name: a flag on that
  field is a true positive, a missing one a false negative, a flag on another field a
  false positive.

Prints precision, recall, per-field recall and OCR time per image (wall clock and this
process's CPU time, with the load average: the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongshi.settings")
os.environ.setdefault("GONGSHI_DATA_DIR", tempfile.mkdtemp(prefix="gongshi-scan-bench-"))

import django  # noqa: E402

django.setup()

from gongshi.scancheck import compare, ocr  # noqa: E402
from gongshi.scancheck.testing import permit_fields, permit_image, swapped  # noqa: E402

FIELDS = [
    {"key": "project_name", "label": "项目名称", "type": "text"},
    {"key": "certificate_number", "label": "证书编号", "type": "text"},
    {"key": "issue_date", "label": "发证日期", "type": "date"},
]
NAMES = ["松北新城3期", "丽江花园7期", "东方明珠小区2期", "滨江壹号家园5期"]


def corrupt(fields: dict, which: str, rng: random.Random) -> dict:
    if which == "certificate_number":
        return {**fields, which: swapped(fields[which], rng)}
    if which == "issue_date":
        day = dt.date.fromisoformat(fields[which]) + dt.timedelta(days=rng.choice([-9, -3, 2, 7]))
        return {**fields, which: day.isoformat()}
    other = rng.choice([n for n in NAMES if n != fields[which]])
    return {**fields, which: other}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    ocr.engine()  # load the models before timing
    tp = fp = fn = 0
    per_field = {d["key"]: [0, 0] for d in FIELDS}  # caught, corrupted
    wall, cpu, false_flags = [], [], []
    loads = [os.getloadavg()[0]]
    for n in range(args.images):
        fields = permit_fields(rng)
        image = permit_image(fields, rng)
        started, started_cpu = time.perf_counter(), time.process_time()
        text, _method = ocr.scan_text(image, "image/jpeg")
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        for mismatch in compare.mismatches(FIELDS, fields, text):
            fp += 1
            false_flags.append((n, mismatch))
        which = FIELDS[n % len(FIELDS)]["key"]
        typed = corrupt(fields, which, rng)
        flagged = {m.key for m in compare.mismatches(FIELDS, typed, text)}
        per_field[which][1] += 1
        if which in flagged:
            tp += 1
            per_field[which][0] += 1
        else:
            fn += 1
        fp += len(flagged - {which})
        loads.append(os.getloadavg()[0])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"images: {args.images} (seed {args.seed}); checks: {2 * args.images}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  (TP {tp}, FP {fp}, FN {fn})")
    for key, (caught, total) in per_field.items():
        print(f"  {key}: caught {caught}/{total}")
    for n, mismatch in false_flags:
        print(f"  false flag on faithful image {n}: {mismatch}")
    print(
        f"OCR per image: wall median {statistics.median(wall):.2f} s (max {max(wall):.2f} s),"
        f" CPU median {statistics.median(cpu):.2f} s"
    )
    print(
        f"load average (1 min) during the run: {min(loads):.1f}–{max(loads):.1f}, nproc {os.cpu_count()}"
    )


if __name__ == "__main__":
    main()
