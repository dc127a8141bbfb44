"""The developer's side of an archive: measured data, photos, the owner, publishing.

The HTML views and the API call these; each checks nothing about *who* (the caller passed
:func:`gongshi.households.access.developer_project`) and everything about *what*, raising
``ValidationError`` with a sentence that says what to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.files.ingest import clean_file_name, ingest_upload
from gongshi.files.models import ContentType
from gongshi.households.models import (
    DEVIATION_KINDS,
    ArchivePhoto,
    FlatArchive,
    Measurement,
    MeasurementKind,
)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Allowed deviations the measuring sheets of Heilongjiang's household acceptance commonly use
# (mm); the developer may enter another value for each measurement.
DEFAULT_ALLOWED = {
    MeasurementKind.NET_HEIGHT: Decimal("15"),
    MeasurementKind.BAY: Decimal("15"),
    MeasurementKind.DEPTH: Decimal("15"),
    MeasurementKind.FLOOR_FLATNESS: Decimal("4"),
    MeasurementKind.WALL_VERTICALITY: Decimal("4"),
    MeasurementKind.WINDOW_SIZE: Decimal("10"),
    MeasurementKind.DOOR_SIZE: Decimal("10"),
}


def normalise_mobile(raw: str) -> str:
    digits = re.sub(r"[\s-]", "", raw or "").removeprefix("+86").removeprefix("0086")
    if not _MOBILE.match(digits):
        raise ValidationError(
            {"owner_phone": _("请填写 11 位手机号码，例如 13800000000。")}, code="invalid_phone"
        )
    return digits


@dataclass(frozen=True)
class Summary:
    """Measured data at a glance: how many values, how many within their allowed deviation."""

    total: int
    passed: int

    @property
    def failed(self) -> int:
        return self.total - self.passed

    @property
    def all_passed(self) -> bool:
        return self.total > 0 and self.failed == 0


def summary_of(measurements) -> Summary:
    measurements = list(measurements)
    return Summary(len(measurements), sum(m.passed for m in measurements))


def add_measurement(
    archive: FlatArchive,
    *,
    kind: str,
    room: str,
    measured_value: Decimal,
    measured_on: dt.date,
    design_value: Decimal | None = None,
    allowed_deviation: Decimal | None = None,
) -> Measurement:
    if kind not in MeasurementKind.values:
        raise ValidationError({"kind": _("请选择检查项目。")}, code="invalid_kind")
    if design_value is None:
        if kind not in DEVIATION_KINDS:
            raise ValidationError(
                {"design_value": _("请填写设计值（毫米）；平整度、垂直度的设计值为 0。")},
                code="design_value_required",
            )
        design_value = Decimal("0")
    if allowed_deviation is None:
        allowed_deviation = DEFAULT_ALLOWED[MeasurementKind(kind)]
    if allowed_deviation < 0:
        raise ValidationError(
            {"allowed_deviation": _("允许偏差不能为负数。")}, code="negative_deviation"
        )
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("测量日期不能晚于今天。")}, code="future_date")
    position = archive.measurements.count()
    return Measurement.objects.create(
        archive=archive,
        kind=kind,
        room=room.strip(),
        design_value=design_value,
        measured_value=measured_value,
        allowed_deviation=allowed_deviation,
        measured_on=measured_on,
        position=position,
    )


def remove_measurement(archive: FlatArchive, pk: int) -> None:
    deleted, _rows = Measurement.objects.filter(archive=archive, pk=pk).delete()
    if not deleted:
        raise ValidationError(_("这条实测数据已不存在，请刷新页面。"), code="not_found")


PHOTO_TYPES = (ContentType.JPEG, ContentType.PNG)


def add_photo(archive: FlatArchive, upload, caption: str) -> ArchivePhoto:
    """A photo through the file store (type by content, SHA-256); JPEG or PNG only."""
    caption = (caption or "").strip()
    if not caption:
        raise ValidationError({"caption": _("请写一句照片说明，例如“客厅窗台”。")}, code="caption")
    with transaction.atomic():
        stored = ingest_upload(upload)
        if stored.content_type not in PHOTO_TYPES:
            raise ValidationError(
                {"photo": _("照片须为 JPEG 或 PNG 图片；PDF 请作为公示事项的扫描件上传。")},
                code="not_a_photo",
            )
        return ArchivePhoto.objects.create(
            archive=archive,
            file=stored,
            name=clean_file_name(getattr(upload, "name", "") or "photo", stored.content_type),
            caption=caption[:100],
        )


def set_owner(
    archive: FlatArchive, *, owner_name: str, owner_phone: str, contract_number: str
) -> FlatArchive:
    """Record (or clear, all blank) the owner an inspection is verified against."""
    owner_name, contract_number = owner_name.strip(), contract_number.strip()
    if not (owner_name or owner_phone.strip() or contract_number):
        archive.owner_name = archive.owner_phone = archive.contract_number = ""
    else:
        errors = {}
        if not owner_name:
            errors["owner_name"] = _("请填写业主姓名。")
        if len(contract_number) < 4:
            errors["contract_number"] = _("请填写购房合同编号（至少 4 位）。")
        if errors:
            raise ValidationError(errors, code="invalid_owner")
        archive.owner_phone = normalise_mobile(owner_phone)
        archive.owner_name = owner_name[:50]
        archive.contract_number = contract_number[:60]
    archive.save(update_fields=["owner_name", "owner_phone", "contract_number"])
    archive.sessions.all().delete()  # a new owner: earlier proofs no longer hold
    return archive


def publish(
    archive: FlatArchive, published: bool, *, now: dt.datetime | None = None
) -> FlatArchive:
    """Make the measured data and photos public (or take them back)."""
    if published and not archive.measurements.exists():
        raise ValidationError(_("还没有实测实量数据：请先录入再公开。"), code="nothing_to_publish")
    archive.published_at = (now or timezone.now()) if published else None
    archive.save(update_fields=["published_at"])
    return archive
