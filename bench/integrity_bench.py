"""Benchmarks of the publication log (gongshi.integrity); prints figures for BENCHMARKS.md.

    .venv/bin/python bench/integrity_bench.py [--leaves 1000000]

Runs against a fresh SQLite file in a temporary directory (the embedded deployment's
settings: WAL, IMMEDIATE transactions), or against DATABASE_URL when it is set (the
tables are created in that database and dropped afterwards — use a scratch database).
Only the log's own tables are created, so the figures measure the log alone.

Targets (issue 7): append ≥ 2,000 leaves/s; an inclusion proof in a 1,000,000-leaf log
< 5 ms; checkpoint verification < 1 ms.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def setup(data_dir: str) -> None:
    os.environ["GONGSHI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongshi.settings")
    os.environ["GONGSHI_LOG_SIGNING_KEY"] = base64.b64encode(os.urandom(32)).decode()
    os.environ["GONGSHI_LOG_ORIGIN"] = "bench.gongshi.example/log"
    import django

    django.setup()


def create_tables():
    from django.db import connection

    from gongshi.integrity.models import Checkpoint, LogEntry, LogHead, LogNode

    models = [LogHead, LogEntry, LogNode, Checkpoint]
    with connection.schema_editor() as editor:
        for model in models:
            editor.create_model(model)
    return models


def drop_tables(models) -> None:
    from django.db import connection

    with connection.schema_editor() as editor:
        for model in reversed(models):
            editor.delete_model(model)


def payload(n: int) -> dict:
    """About the size of a real disclosure version's entry (~600 bytes)."""
    return {
        "project": "K7M2Q9HX",
        "item": "procedure.construction_permit",
        "version": n % 7 + 1,
        "kind": "publication",
        "status": "published",
        "values": {
            "certificate_number": f"230103202{n:09d}",
            "issuing_authority": "哈尔滨市住房和城乡建设局",
            "project_name": "测试花园一期",
            "issued_on": "2026-03-18",
        },
        "information_date": "2026-03-18",
        "published_at": "2026-03-20T08:00:00.000000Z",
        "reason": "",
        "supplier": "91230103MA1B2C3D4E",
        "files": [{"name": "施工许可证.pdf", "sha256": f"{n:064x}"}],
    }


class Clock:
    """Wall time and this process's CPU time. On a shared machine the wall figures include
    waiting for a core; with SQLite (in-process) the CPU time is the work itself."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def bench_append(count: int) -> dict[str, float]:
    """Leaves/s, one transaction per leaf (as publications arrive), and in batches."""
    from django.db import transaction

    from gongshi.integrity import log

    with Clock() as single:
        for n in range(count):
            with transaction.atomic():
                log.append_leaf("disclosure_version", payload(n), checkpoint=False)
    with Clock() as batched:
        for first in range(0, count, 500):
            log.append_leaves(
                [("disclosure_version", payload(n)) for n in range(first, first + 500)],
                checkpoint=False,
            )
    return {
        "single_wall": count / single.wall,
        "single_cpu": count / single.cpu,
        "batched_wall": count / batched.wall,
        "batched_cpu": count / batched.cpu,
    }


def grow_to(leaves: int) -> float:
    """Fill the log to ``leaves`` entries in big batches; returns seconds taken."""
    from gongshi.integrity import log

    start = time.perf_counter()
    size = log.tree_size()
    batch = 20_000
    while size < leaves:
        n = min(batch, leaves - size)
        log.append_leaves([("bench", {"n": i}) for i in range(size, size + n)], checkpoint=False)
        size += n
        print(f"\r  filled {size:,} / {leaves:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def bench_proofs(size: int, samples: int = 1000) -> dict[str, float]:
    from gongshi.integrity import log
    from gongshi.integrity.merkle import verify_consistency, verify_inclusion
    from gongshi.integrity.models import LogEntry

    checkpoint = log.make_checkpoint()
    root = bytes(checkpoint.root_hash)
    rng = random.Random(9162)
    inclusion, inclusion_cpu, consistency = [], [], []
    for _ in range(samples):
        index = rng.randrange(size)
        with Clock() as clock:
            proof = log.inclusion_proof(index, size)
        inclusion.append(clock.wall * 1000)
        inclusion_cpu.append(clock.cpu * 1000)
        leaf = bytes(LogEntry.objects.values_list("leaf_hash", flat=True).get(index=index))
        verify_inclusion(index, size, leaf, proof, root)
    for _ in range(samples // 10):
        first = rng.randrange(1, size)
        with Clock() as clock:
            proof = log.consistency_proof(first, size)
        consistency.append(clock.wall * 1000)
        verify_consistency(first, size, proof, log.root_at(first), root)
    return {
        "inclusion_median_ms": statistics.median(inclusion),
        "inclusion_p99_ms": percentile(inclusion, 0.99),
        "inclusion_cpu_median_ms": statistics.median(inclusion_cpu),
        "consistency_median_ms": statistics.median(consistency),
        "consistency_p99_ms": percentile(consistency, 0.99),
    }


def bench_checkpoint_verification(samples: int = 2000) -> tuple[float, float]:
    from gongshi.integrity import keys, log
    from gongshi.integrity.note import verify_checkpoint

    note = log.latest_checkpoint().signed_note
    key = keys.public_key()
    with Clock() as clock:
        for _ in range(samples):
            verify_checkpoint(note, key)
    return clock.wall * 1000 / samples, clock.cpu * 1000 / samples


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} × {model}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongshi-bench-") as data_dir:
        setup(data_dir)
        from django.db import connection

        models = create_tables()
        try:
            print(f"machine: {machine()}; database: {connection.vendor}")
            print(f"load average at start: {os.getloadavg()[0]:.1f}")
            rates = bench_append(args.appends)
            print(
                f"append, one transaction per leaf: {rates['single_wall']:,.0f} leaves/s wall,"
                f" {rates['single_cpu']:,.0f} leaves/CPU-s"
            )
            print(
                f"append, batches of 500:           {rates['batched_wall']:,.0f} leaves/s wall,"
                f" {rates['batched_cpu']:,.0f} leaves/CPU-s"
            )
            seconds = grow_to(args.leaves)
            print(f"filled to {args.leaves:,} leaves in {seconds:,.1f} s")
            proofs = bench_proofs(args.leaves)
            print(
                f"inclusion proof in {args.leaves:,} leaves: median"
                f" {proofs['inclusion_median_ms']:.2f} ms wall"
                f" ({proofs['inclusion_cpu_median_ms']:.2f} ms CPU),"
                f" p99 {proofs['inclusion_p99_ms']:.2f} ms"
            )
            print(
                f"consistency proof: median {proofs['consistency_median_ms']:.2f} ms,"
                f" p99 {proofs['consistency_p99_ms']:.2f} ms"
            )
            wall, cpu = bench_checkpoint_verification()
            print(f"checkpoint verification: {wall:.3f} ms wall ({cpu:.3f} ms CPU)")
            print(f"load average at end: {os.getloadavg()[0]:.1f}")
        finally:
            if connection.vendor != "sqlite":
                drop_tables(models)


if __name__ == "__main__":
    main()
