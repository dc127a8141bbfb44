"""Taking in an uploaded file: check it by its content, then store it once under its SHA-256.

:func:`ingest_upload` is the only way a :class:`~gongshi.files.models.StoredFile` comes into
being. The upload is copied in chunks to a temporary file while it is hashed and measured, so
a 50 MB scan is never held in memory; the copy is then checked (type by magic bytes, PDF opens
and is not encrypted, image passes Pillow's decompression-bomb guard) and only a file that
passes reaches storage and the database. A rejected file raises :class:`FileRejected` and
leaves no row, no stored object and no temporary file behind.

Bytes are written to storage before the row is inserted. If the caller's transaction later
rolls back, the bytes stay without a row; ``gongshi purge_orphan_files`` removes such objects
once they are old enough that no transaction can still be about to commit them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import unicodedata
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError
from pypdf import PdfReader

from gongshi.files.models import ContentType, StoredFile, storage_name_for

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
# Acrobat and pypdf look for the end-of-file marker in the last kilobyte; a scan cut short in
# transfer loses it, and pypdf's lenient parser would otherwise happily "recover" half a file.
PDF_EOF_WINDOW = 1024
# Used when an operator has switched Pillow's guard off (MAX_IMAGE_PIXELS = None): we still
# refuse images that would take gigabytes to decode.
FALLBACK_MAX_IMAGE_PIXELS = 89_478_485

MAGIC_BYTES: list[tuple[bytes, str]] = [
    (b"%PDF-", ContentType.PDF),
    (b"\xff\xd8\xff", ContentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", ContentType.PNG),
]


class FileRejected(ValidationError):
    """An upload that cannot be accepted; ``code`` says why, the message says what to do.

    Codes: ``empty_file``, ``file_too_large``, ``file_type``, ``pdf_unreadable``,
    ``pdf_encrypted``, ``pdf_no_pages``, ``image_unreadable``, ``image_bomb``.
    """


@dataclass(frozen=True)
class _Inspection:
    content_type: str
    page_count: int | None = None
    width: int | None = None
    height: int | None = None


def format_size(n_bytes: int) -> str:
    """A size as people write it on a form: "50 MB", "1.5 MB", "800 KB", "100 字节"."""
    mib, kib = 1024 * 1024, 1024
    if n_bytes >= mib:
        return f"{n_bytes / mib:.1f}".removesuffix(".0") + " MB"
    if n_bytes >= kib:
        return f"{n_bytes / kib:.1f}".removesuffix(".0") + " KB"
    return _("%(n)d 字节") % {"n": n_bytes}


def _max_image_pixels() -> int:
    return Image.MAX_IMAGE_PIXELS or FALLBACK_MAX_IMAGE_PIXELS


def _copy_hashing(upload: IO[bytes], target: IO[bytes], max_bytes: int) -> tuple[str, int]:
    """Copy ``upload`` into ``target`` chunk by chunk; returns (sha256 hex, size).

    Stops as soon as the size passes ``max_bytes``, so an oversize upload costs at most one
    chunk more than the cap in disk and never the whole file in memory.
    """
    if getattr(upload, "seekable", lambda: False)():
        upload.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := upload.read(CHUNK_SIZE):
        size += len(chunk)
        if size > max_bytes:
            raise FileRejected(
                _("文件超过 %(limit)s 上限，请压缩后重新上传。")
                % {"limit": format_size(max_bytes)},
                code="file_too_large",
            )
        digest.update(chunk)
        target.write(chunk)
    if size == 0:
        raise FileRejected(_("文件是空的（0 字节），请选择正确的文件重新上传。"), code="empty_file")
    target.flush()
    return digest.hexdigest(), size


def _describe_unaccepted(head: bytes) -> str:
    """A short Chinese name for what a rejected file actually is, for the error message."""
    known = [
        (b"MZ", _("Windows 可执行程序")),
        (b"\x7fELF", _("Linux 可执行程序")),
        (b"PK\x03\x04", _("ZIP 压缩包或 Office 文档")),
        (b"Rar!", _("RAR 压缩包")),
        (b"7z\xbc\xaf\x27\x1c", _("7z 压缩包")),
        (b"\xd0\xcf\x11\xe0", _("旧版 Office 文档（doc/xls）")),
        (b"GIF8", _("GIF 图片")),
        (b"II*\x00", _("TIFF 图片")),
        (b"MM\x00*", _("TIFF 图片")),
        (b"BM", _("BMP 图片")),
    ]
    for magic, label in known:
        if head.startswith(magic):
            return label
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _("WebP 图片")
    if b"ftypheic" in head[:32] or b"ftypheix" in head[:32] or b"ftypmif1" in head[:32]:
        return _("HEIC 图片（苹果手机照片）")
    try:
        name = puremagic.from_string(head, mime=False)
    except puremagic.PureError:
        name = ""
    if name:
        return name.lstrip(".").upper()
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("无法识别的格式")
    return _("文本")


def _sniff(head: bytes) -> str:
    for magic, content_type in MAGIC_BYTES:
        if head.startswith(magic):
            return content_type
    raise FileRejected(
        _(
            "只接受 PDF、JPG、PNG 文件；此文件的内容实为“%(kind)s”，"
            "请转换为 PDF 或图片后重新上传（仅修改文件名无效）。"
        )
        % {"kind": _describe_unaccepted(head)},
        code="file_type",
    )


def _inspect_pdf(fh: IO[bytes], size: int) -> _Inspection:
    unreadable = FileRejected(
        _("PDF 文件已损坏或不完整，无法打开；请重新导出或重新扫描后上传。"), code="pdf_unreadable"
    )
    fh.seek(max(0, size - PDF_EOF_WINDOW))
    if b"%%EOF" not in fh.read(PDF_EOF_WINDOW):
        raise unreadable
    fh.seek(0)
    try:
        # A file object, not a path: given a path pypdf reads the whole file into memory.
        reader = PdfReader(fh)
        encrypted = reader.is_encrypted
        page_count = None if encrypted else len(reader.pages)
    except Exception as exc:  # pypdf raises many types on malformed input; all mean "broken"
        logger.info("PDF rejected as unreadable: %r", exc)
        raise unreadable from exc
    if encrypted:
        raise FileRejected(_("PDF 已加密，请上传未加密的扫描件。"), code="pdf_encrypted")
    if not page_count:
        raise FileRejected(_("PDF 没有任何页面，请上传包含内容的扫描件。"), code="pdf_no_pages")
    return _Inspection(ContentType.PDF, page_count=page_count)


def _bomb_error() -> FileRejected:
    limit = _max_image_pixels() // 10_000
    return FileRejected(
        _("图片像素过多（超过 %(limit)d 万像素），请缩小尺寸后重新上传。") % {"limit": limit},
        code="image_bomb",
    )


_TRUNCATION_LOCK = threading.Lock()


@contextmanager
def _refuse_truncated_images():
    """Make Pillow fail on truncated data while we decode an upload.

    WeasyPrint sets ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` for the whole process when it
    is imported (the printable board imports it), after which Pillow pads a cut-off JPEG
    with grey instead of failing. The flag is a module global, so it is switched off under
    a lock and restored afterwards.
    """
    with _TRUNCATION_LOCK:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _inspect_image(fh: IO[bytes], content_type: str) -> _Inspection:
    unreadable = FileRejected(
        _("图片文件已损坏或不完整，无法打开；请重新导出或重新拍摄后上传。"),
        code="image_unreadable",
    )
    try:
        with warnings.catch_warnings():
            # Pillow only raises above twice its limit and merely warns between one and two
            # times; a warning is an error here. (The explicit size check below is what
            # protects us when another thread has changed the warning filters.)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            fh.seek(0)
            with Image.open(fh) as image:
                width, height = image.size
                if width * height > _max_image_pixels():
                    raise _bomb_error()
                # verify() walks every chunk (PNG: checks each CRC to the end marker) without
                # decoding pixels, so a truncated or corrupted file is caught cheaply.
                image.verify()
            if content_type == ContentType.JPEG:
                # JPEG's verify() checks little; decode at 1/8 scale to prove the data is whole.
                fh.seek(0)
                with Image.open(fh) as image, _refuse_truncated_images():
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    image.load()
    except FileRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb_error() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        # Pillow signals a broken file with any of these.
        logger.info("image rejected as unreadable: %r", exc)
        raise unreadable from exc
    return _Inspection(content_type, width=width, height=height)


def _inspect(fh: IO[bytes], size: int) -> _Inspection:
    fh.seek(0)
    content_type = _sniff(fh.read(64))
    if content_type == ContentType.PDF:
        return _inspect_pdf(fh, size)
    return _inspect_image(fh, content_type)


def _store_bytes(name: str, fh: IO[bytes], sha256: str) -> bool:
    """Put the checked bytes in storage under ``name``; returns True if this call wrote them.

    An object already there without a row (left by a rolled-back upload) is written again so
    its modification time is fresh and ``purge_orphan_files`` will not take it from under
    the row about to be created.
    """
    if default_storage.exists(name):
        if StoredFile.objects.filter(sha256=sha256).exists():
            return False
        default_storage.delete(name)
    fh.seek(0)
    saved = default_storage.save(name, File(fh, name=os.path.basename(name)))
    if saved != name:
        # Another upload of the same bytes stored them between our check and our save; the
        # storage gave ours another name. Same content, so keep theirs and drop the copy.
        default_storage.delete(saved)
        return False
    stamp_with_app_clock(name)
    return True


def stamp_with_app_clock(name: str) -> None:
    """Set a locally stored object's modification time from the application's clock.

    ``purge_orphan_files`` compares object ages with ``timezone.now()``; the operating system
    stamps files with its own clock, which a frozen or moved application clock (tests, a
    machine whose clock was corrected) would not follow. Object stores set their own
    ``LastModified`` and have no local path; they are left as they are.
    """
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        return
    _stamp_path(path)


def _stamp_path(path: str) -> None:
    moment = timezone.now().timestamp()
    os.utime(path, (moment, moment))


def ingest_upload(upload: Any, *, max_bytes: int | None = None) -> StoredFile:
    """Check ``upload`` by its content and store it; returns its (possibly existing) row.

    ``upload`` is a Django ``UploadedFile`` or any binary file object. Raises
    :class:`FileRejected` with a sentence saying what to do; nothing is left behind then.
    """
    if max_bytes is None:
        max_bytes = settings.GONGSHI_MAX_UPLOAD_BYTES
    with tempfile.NamedTemporaryFile(
        prefix="gongshi-ingest-", suffix=".part", dir=settings.FILE_UPLOAD_TEMP_DIR
    ) as tmp:
        sha256, size = _copy_hashing(upload, tmp, max_bytes)
        tmp.flush()
        _stamp_path(tmp.name)  # the sweep reads the part file's age on the app's clock too
        existing = StoredFile.objects.filter(sha256=sha256).first()
        if existing is not None and default_storage.exists(existing.storage_name):
            return existing  # same bytes, already checked and stored: one row, one object
        inspection = _inspect(tmp, size)
        name = storage_name_for(sha256, inspection.content_type)
        wrote = _store_bytes(name, tmp, sha256)
        try:
            # A savepoint, so a lost race on the unique sha256 does not break the caller's
            # transaction; get_or_create then returns the winner's row.
            with transaction.atomic():
                stored, _created = StoredFile.objects.get_or_create(
                    sha256=sha256,
                    defaults={
                        "size": size,
                        "content_type": inspection.content_type,
                        "page_count": inspection.page_count,
                        "width": inspection.width,
                        "height": inspection.height,
                    },
                )
        except Exception:
            if wrote:
                default_storage.delete(name)
            raise
    return stored


MAX_NAME_LENGTH = 200
EXTENSIONS_BY_TYPE: dict[str, tuple[str, ...]] = {
    ContentType.PDF: ("pdf",),
    ContentType.JPEG: ("jpg", "jpeg"),
    ContentType.PNG: ("png",),
}


def clean_file_name(name: str, content_type: str) -> str:
    """The uploader's file name made safe to show and to send back in Content-Disposition.

    Drops any folder part (old browsers send ``C:\\fakepath\\scan.pdf``) and control
    characters, gives the name the extension its content deserves, and keeps it within the
    column's 200 characters without losing that extension.
    """
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().strip(".")
    stem, dot, extension = name.rpartition(".")
    allowed = EXTENSIONS_BY_TYPE[content_type]
    if not dot or extension.lower() not in allowed:
        stem, extension = name, allowed[0]
    stem = stem.strip() or _("附件")
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1]
    return f"{stem}.{extension}"
