"""Ingest streams: it reads uploads in bounded chunks and never holds a big file in memory."""

from __future__ import annotations

import io
import os
import tracemalloc

import pytest
from pypdf import PdfWriter

from gongshi.files.ingest import CHUNK_SIZE, FileRejected, ingest_upload
from gongshi.files.testing import make_pdf_bytes

from .conftest import NOTHING, leftovers

pytestmark = pytest.mark.django_db


class RecordingReader(io.RawIOBase):
    """A binary stream that records the size of every read() it is asked for."""

    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)
        self.sizes: list[int | None] = []

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        self.sizes.append(size)
        return self._inner.read(size)


class EndlessReader(io.RawIOBase):
    """A stream that never ends (a client that keeps sending)."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        assert size is not None and size > 0, "ingest asked for the whole stream at once"
        self.served += size
        return b"%PDF-1.7\n" + b"0" * (size - 9)


def test_it_never_reads_an_upload_whole():
    reader = RecordingReader(make_pdf_bytes(pages=2) + b"\n" * (3 * CHUNK_SIZE))
    with pytest.raises(FileRejected):  # trailing newlines push %%EOF out of the tail window
        ingest_upload(reader)
    assert reader.sizes, "ingest did not read the upload"
    assert all(size is not None and 0 < size <= CHUNK_SIZE for size in reader.sizes)


def test_it_stops_reading_an_endless_upload_at_the_cap(upload_temp_dir):
    reader = EndlessReader()
    with pytest.raises(FileRejected) as caught:
        ingest_upload(reader, max_bytes=5 * CHUNK_SIZE)
    assert caught.value.code == "file_too_large"
    assert reader.served <= 6 * CHUNK_SIZE
    assert leftovers(upload_temp_dir) == NOTHING


def big_pdf(path, payload_bytes: int) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    # Random bytes do not compress: the file really is this big on disk.
    writer.add_attachment("payload.bin", os.urandom(payload_bytes))
    with path.open("wb") as fh:
        writer.write(fh)


def test_a_20_mb_pdf_is_ingested_with_little_memory(tmp_path, upload_temp_dir):
    path = tmp_path / "big.pdf"
    big_pdf(path, 20 * 1024 * 1024)
    size = path.stat().st_size
    assert size > 20 * 1024 * 1024
    tracemalloc.start()
    try:
        with path.open("rb") as fh:
            stored = ingest_upload(fh)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.size == size
    assert stored.page_count == 1
    # Chunked copy + hashing + pypdf on a file handle: a few MB, not the file's 20.
    assert peak < 4 * 1024 * 1024, f"peak Python memory {peak / 1e6:.1f} MB"
    assert leftovers(upload_temp_dir)["temp"] == []
