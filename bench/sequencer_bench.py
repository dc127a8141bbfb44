"""The log's sequencer under concurrent publishers; prints figures for BENCHMARKS.md.

    .venv/bin/python bench/sequencer_bench.py [--publishers 32] [--leaves 4000] [--processes 4]

Each publisher is a thread with its own connection appending one leaf per transaction
(``append_leaf`` inside ``transaction.atomic()``, as ``publish_version`` does, with its
checkpoint: on PostgreSQL the leaf is integrated and signed after the commit, one signature
per integration batch). With ``--processes N`` the publishers are split among N forked
processes (one Python process's CPU capped the head-lock design near 1,100 leaves/s); the
figures are then given for one process and for N, the floor measured the same way each
time. Then one thread appends the same number in batches of 500 (``append_leaves``).
The floor is measured in the same run with the same threads and transactions: a trivial one-row INSERT per
transaction into a table of its own, and a 500-row INSERT per transaction for the batches.
Speed is given as a ratio to that floor, so the figure means the same on a loaded machine.

Runs against a fresh SQLite file (WAL, IMMEDIATE transactions, as the embedded deployment)
or against DATABASE_URL (use a scratch database: the tables are created and dropped).
After the concurrent run it checks what the log promises: indices 0…n-1 with no gap or
duplicate, and the stored tree's root equal to one recomputed from the leaves.

Target (issue 15): ≥ 2,000 leaves/s on PostgreSQL with 32 concurrent publishers.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from integrity_bench import create_tables, drop_tables, machine, payload, setup  # noqa: E402

FLOOR_TABLE = "bench_sequencer_floor"


def run_threads(publishers: int, per_thread: int, work) -> tuple[float, float]:
    """Run ``work(thread, n)`` per_thread times in each of ``publishers`` threads; returns
    (wall seconds, this process's CPU seconds)."""
    from django.db import connections

    barrier = threading.Barrier(publishers + 1)
    errors: list[BaseException] = []

    def body(thread: int) -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                work(thread, n)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=body, args=(t,)) for t in range(publishers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    wall, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if errors:
        raise errors[0]
    return wall, cpu


def run_processes(processes: int, publishers: int, per_thread: int, work) -> tuple[float, float]:
    """``run_threads`` split among ``processes`` forked processes; returns (wall seconds,
    the children's CPU seconds)."""
    if processes <= 1:
        return run_threads(publishers, per_thread, work)
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's socket
    context = multiprocessing.get_context("fork")
    start = context.Barrier(processes + 1)
    results = context.Queue()

    def child(threads: int) -> None:
        start.wait()
        cpu = time.process_time()
        run_threads(threads, per_thread, work)
        results.put(time.process_time() - cpu)

    shares = [publishers // processes + (p < publishers % processes) for p in range(processes)]
    children = [context.Process(target=child, args=(share,)) for share in shares]
    for process in children:
        process.start()
    start.wait()
    wall = time.perf_counter()
    cpu = sum(results.get(timeout=600) for _ in children)
    wall = time.perf_counter() - wall
    for process in children:
        process.join(60)
    if any(process.exitcode for process in children):
        raise RuntimeError("a publishing process failed")
    return wall, cpu


def floor_insert(thread: int, n: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FLOOR_TABLE} (body) VALUES (%s)", [b"x" * 600])


def publish(thread: int, n: int) -> None:
    from django.db import transaction

    from gongshi.integrity import log

    with transaction.atomic():
        log.append_leaf("disclosure_version", payload(os.getpid() * 1_000 + thread * 100_000 + n))


def floor_batch(batch: int):
    def work(thread: int, n: int) -> None:
        from django.db import connection, transaction

        marks = ", ".join(["(%s)"] * batch)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FLOOR_TABLE} (body) VALUES {marks}", [b"x" * 600] * batch)

    return work


def publish_batch(batch: int):
    def work(thread: int, n: int) -> None:
        from gongshi.integrity import log

        log.append_leaves(
            [("disclosure_version", payload(n * batch + i)) for i in range(batch)],
            checkpoint=False,
        )

    return work


def assert_signed() -> None:
    """Once every publication has returned, its leaf is in the tree and a checkpoint covers it."""
    from gongshi.integrity import log
    from gongshi.integrity.models import LogEntry

    size, signed = log.tree_size(), log.latest_checkpoint()
    assert size == LogEntry.objects.count(), "published leaves are not all integrated"
    assert signed is not None and signed.tree_size == size, "the checkpoint lags the tree"


def check_log() -> int:
    """Indices dense and unique, stored root = root recomputed from the leaves."""
    from gongshi.integrity import log, tree
    from gongshi.integrity.models import LogEntry

    settled = log.settle(timeout=60)
    assert not settled.blocked, "a number is still not integrated"
    log.make_checkpoint()  # the batches were appended without one
    size = log.tree_size()
    indices = list(LogEntry.objects.order_by("index").values_list("index", flat=True))
    assert indices == list(range(size)), "indices are not 0…n-1"
    frontier: list[bytes] = []
    for n, digest in enumerate(
        LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True).iterator()
    ):
        list(tree.frontier_append(frontier, n, bytes(digest)))
    assert tree.frontier_root(frontier) == log.root_at(size), "stored tree differs"
    return size


def create_sequence() -> None:
    """What migration 0005 makes (the bench builds its tables without migrations)."""
    from django.db import connection

    from gongshi.integrity import log, sequencer

    if log.sequenced():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SEQUENCE IF EXISTS {sequencer.SEQUENCE}")
            cursor.execute(f"CREATE SEQUENCE {sequencer.SEQUENCE} MINVALUE 0 START 0")
            migration = importlib.import_module(
                "gongshi.integrity.migrations.0005_log_index_sequence"
            )
            cursor.execute(migration.WAIT_FUNCTION)


def drop_sequence() -> None:
    from django.db import connection

    from gongshi.integrity import sequencer

    with connection.cursor() as cursor:
        cursor.execute(f"DROP SEQUENCE IF EXISTS {sequencer.SEQUENCE}")


def create_floor_table() -> None:
    from django.db import connection

    key = "id INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "id bigserial PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} ({key}, body bytea NOT NULL)")


def drop_floor_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--publishers", type=int, default=32)
    parser.add_argument("--leaves", type=int, default=4000, help="per measure, all threads")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--processes", type=int, default=1, help="also run the publishers in N processes"
    )
    args = parser.parse_args()
    per_thread = max(1, args.leaves // args.publishers)
    leaves = per_thread * args.publishers
    batches = max(1, args.leaves // args.batch)
    with tempfile.TemporaryDirectory(prefix="gongshi-bench-") as data_dir:
        setup(data_dir)
        from django.db import connection

        from gongshi.integrity.models import Checkpoint

        models = create_tables()
        create_sequence()
        create_floor_table()
        try:
            print(f"machine: {machine()}; database: {connection.vendor}")
            print(f"load average at start: {os.getloadavg()}")
            rows = []
            for processes in sorted({1, args.processes}):
                where = f"{processes} process{'es' if processes > 1 else ''}"
                wall, cpu = run_processes(processes, args.publishers, per_thread, floor_insert)
                floor = leaves / wall
                rows.append((f"floor: 1-row INSERT per tx, {where}", floor, leaves / cpu, 1.0))
                signed_before = Checkpoint.objects.count()
                wall, cpu = run_processes(processes, args.publishers, per_thread, publish)
                rate = leaves / wall
                assert_signed()
                batches_signed = Checkpoint.objects.count() - signed_before
                print(f"  {where}: {batches_signed} checkpoints for {leaves} leaves")
                name = f"append_leaf, one leaf per tx, {where}"
                rows.append((name, rate, leaves / cpu, rate / floor))
            wall, cpu = run_threads(1, batches, floor_batch(args.batch))
            floor_b = batches * args.batch / wall
            rows.append((f"floor: {args.batch}-row INSERT per transaction", floor_b, 0, 1.0))
            wall, cpu = run_threads(1, batches, publish_batch(args.batch))
            rate = batches * args.batch / wall
            rows.append((f"append_leaves, {args.batch} per transaction", rate, 0, rate / floor_b))
            size = check_log()
            print(f"{args.publishers} publishers, {leaves:,} leaves each measure")
            for name, wall_rate, cpu_rate, ratio in rows:
                cpu_text = f", {cpu_rate:,.0f}/client-CPU-s" if cpu_rate else ""
                print(f"  {name:<44} {wall_rate:>9,.0f}/s{cpu_text}  ratio {ratio:.2f}")
            print(
                f"log checked: {size:,} leaves, indices dense, stored root = recomputed root,"
                " the latest checkpoint covers them all"
            )
            print(f"load average at end: {os.getloadavg()}")
        finally:
            drop_floor_table()
            if connection.vendor != "sqlite":
                drop_tables(models)
                drop_sequence()


if __name__ == "__main__":
    main()
