"""The per-household archive (一户一档), its measured data, the owner's pre-handover
inspection, and the sample flat's rooms (样板间).

A :class:`~gongshi.projects.models.Flat` is the building's fact (building, unit, floor,
number); everything a household's archive holds hangs off :class:`FlatArchive`, one per flat,
which gives the flat its short printed code (``/p/<project>/h/<code>/``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshi.core.appendonly import AppendOnlyModel
from gongshi.core.crypto import EncryptedTextField, lookup_hash
from gongshi.projects.models import CODE_ALPHABET

# Five characters of the read-aloud alphabet: 28 million codes, one per flat of a project.
FLAT_CODE_LENGTH = 5


def new_flat_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(FLAT_CODE_LENGTH))


class ArchiveQuerySet(models.QuerySet):
    def published(self) -> ArchiveQuerySet:
        """Archives whose measured data and photos the developer has made public."""
        return self.filter(published_at__isnull=False)


class FlatArchive(models.Model):
    """A flat's archive (一户一档): its printed code, whether its data is public, its owner.

    The owner's name, phone and contract number are encrypted at rest (``core.crypto``);
    the keyed hashes find the archive when an owner proves who they are. None of them is
    ever shown on a public page or in the public API.
    """

    flat = models.OneToOneField(
        "projects.Flat", on_delete=models.CASCADE, related_name="archive", verbose_name=_("房屋")
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="flat_archives"
    )
    code = models.CharField(
        _("户码"),
        max_length=8,
        default=new_flat_code,
        editable=False,
        help_text=_("印在档案页和二维码上的短码，一经生成不再改变。"),
    )
    published_at = models.DateTimeField(
        _("公开时间"),
        null=True,
        blank=True,
        help_text=_("建设单位公开实测实量数据和照片的时间；未公开时公众只看到档案存在。"),
    )
    owner_name = EncryptedTextField(_("业主姓名"), blank=True, default="")
    owner_phone = EncryptedTextField(_("业主手机号"), blank=True, default="")
    owner_phone_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    contract_number = EncryptedTextField(_("购房合同编号"), blank=True, default="")
    contract_number_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("建档时间"), default=timezone.now)

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        ordering = ["flat"]
        verbose_name = _("分户档案")
        verbose_name_plural = _("分户档案")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="archive_unique_code",
                violation_error_message=_("本项目已有此户码。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.flat} ({self.code})"

    def save(self, *args, **kwargs):
        self.owner_phone_hash = lookup_hash(self.owner_phone) if self.owner_phone else ""
        self.contract_number_hash = (
            lookup_hash(normalise_contract(self.contract_number)) if self.contract_number else ""
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"owner_phone", "contract_number"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "owner_phone_hash", "contract_number_hash"}
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_owner(self) -> bool:
        return bool(self.owner_phone_hash)


def normalise_contract(value: str) -> str:
    """Contract numbers are compared without spaces and case: "hf-2025 0012" = "HF-20250012"."""
    return "".join(str(value or "").split()).upper()


class MeasurementKind(models.TextChoices):
    """What is measured (实测实量), each in millimetres."""

    NET_HEIGHT = "net_height", _("室内净高")
    BAY = "bay", _("开间")
    DEPTH = "depth", _("进深")
    FLOOR_FLATNESS = "floor_flatness", _("地面平整度")
    WALL_VERTICALITY = "wall_verticality", _("墙面垂直度")
    WINDOW_SIZE = "window_size", _("窗洞口尺寸")
    DOOR_SIZE = "door_size", _("门洞口尺寸")


# Flatness and verticality are deviations from a plane: their design value is 0 mm.
DEVIATION_KINDS = {MeasurementKind.FLOOR_FLATNESS, MeasurementKind.WALL_VERTICALITY}


class Measurement(models.Model):
    """One measured value against its design value and allowed deviation (允许偏差), in mm.

    Passes when ``|measured − design| ≤ allowed``; the mark is derived, never stored.
    """

    archive = models.ForeignKey(FlatArchive, on_delete=models.CASCADE, related_name="measurements")
    kind = models.CharField(_("检查项目"), max_length=20, choices=MeasurementKind.choices)
    room = models.CharField(_("房间/部位"), max_length=40, help_text=_("如“客厅”“主卧北窗”。"))
    design_value = models.DecimalField(
        _("设计值（mm）"), max_digits=8, decimal_places=1, default=Decimal("0")
    )
    measured_value = models.DecimalField(_("实测值（mm）"), max_digits=8, decimal_places=1)
    allowed_deviation = models.DecimalField(_("允许偏差（±mm）"), max_digits=6, decimal_places=1)
    measured_on = models.DateField(_("测量日期"))
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["archive", "position", "pk"]
        verbose_name = _("实测实量")
        verbose_name_plural = _("实测实量")
        constraints = [
            models.CheckConstraint(
                condition=Q(allowed_deviation__gte=0),
                name="measurement_deviation_not_negative",
                violation_error_message=_("允许偏差不能为负数。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.get_kind_display()}"

    @property
    def deviation(self) -> Decimal:
        return self.measured_value - self.design_value

    @property
    def passed(self) -> bool:
        return abs(self.deviation) <= self.allowed_deviation


class ArchivePhoto(models.Model):
    """A photo of the flat taken at household acceptance; public once the archive is."""

    archive = models.ForeignKey(FlatArchive, on_delete=models.CASCADE, related_name="photos")
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("文件名"), max_length=200)
    caption = models.CharField(_("说明"), max_length=100)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["archive", "pk"]
        verbose_name = _("分户照片")
        verbose_name_plural = _("分户照片")

    def __str__(self) -> str:
        return self.caption


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复，待业主确认")
    ACCEPTED = "accepted", _("业主已确认")
    REOPENED = "reopened", _("业主重新提出")


class InspectionProblem(models.Model):
    """A problem the owner found at the pre-handover inspection (交付前查验).

    The owner records it (location, description, photo); the developer answers with a fix
    date; the owner accepts or reopens. Every change of status is a :class:`ProblemEvent`.
    Private to the owner and the developer: nothing of it is public.
    """

    archive = models.ForeignKey(FlatArchive, on_delete=models.CASCADE, related_name="problems")
    location = models.CharField(_("位置"), max_length=60, help_text=_("如“主卧窗台”“卫生间地漏”。"))
    description = models.TextField(_("问题描述"), max_length=1000)
    photo = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("照片"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    answer = models.TextField(_("建设单位答复"), blank=True, max_length=1000)
    fix_by = models.DateField(_("整改完成日期"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        ordering = ["archive", "recorded_at", "pk"]
        verbose_name = _("查验问题")
        verbose_name_plural = _("查验问题")
        indexes = [
            # The developer's list of problems waiting for an answer, per project.
            models.Index(fields=["archive", "status"], name="problem_archive_status"),
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.description[:20]}"


class ProblemAction(models.TextChoices):
    RECORDED = "recorded", _("业主提出")
    ANSWERED = "answered", _("建设单位答复")
    ACCEPTED = "accepted", _("业主确认整改")
    REOPENED = "reopened", _("业主重新提出")


class ProblemEvent(AppendOnlyModel):
    """One change of a problem's status, with who made it (the owner, or a developer's user)."""

    problem = models.ForeignKey(InspectionProblem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=ProblemAction.choices)
    by_owner = models.BooleanField(_("业主操作"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["problem", "at", "pk"]
        verbose_name = _("查验问题记录")
        verbose_name_plural = _("查验问题记录")

    def __str__(self) -> str:
        return f"{self.problem_id} {self.get_action_display()}"


class OwnerSessionMethod(models.TextChoices):
    CONTRACT = "contract", _("合同编号和手机号")
    SMS = "sms", _("短信验证码")


class OwnerSession(models.Model):
    """Proof, for 24 hours, that the holder of a token is the owner of one flat.

    Only the token's keyed hash is stored; the token lives in the owner's session cookie or
    in the API's ``Authorization: Owner <token>`` header.
    """

    archive = models.ForeignKey(FlatArchive, on_delete=models.CASCADE, related_name="sessions")
    token_hash = models.CharField(max_length=64, unique=True)
    method = models.CharField(_("验证方式"), max_length=10, choices=OwnerSessionMethod.choices)
    created_at = models.DateTimeField(_("验证时间"), default=timezone.now)

    class Meta:
        verbose_name = _("业主验证")
        verbose_name_plural = _("业主验证")

    def __str__(self) -> str:
        return f"{self.archive} · {self.get_method_display()}"


class SampleFlat(models.Model):
    """A sample flat (样板间/层) at the sales office, shown room by room."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="sample_flats"
    )
    name = models.CharField(_("样板间名称"), max_length=60, help_text=_("如“A户型样板间”。"))
    layout = models.CharField(_("户型说明"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["project", "position", "pk"]
        verbose_name = _("样板间")
        verbose_name_plural = _("样板间")

    def __str__(self) -> str:
        return self.name


class SampleRoom(models.Model):
    """A room of a sample flat with its printed label (``/p/<project>/s/<code>/``).

    Its page lists the published fit-out materials whose "where used" (使用部位) contains
    one of the room's ``locations`` (the room's name when none are given).
    """

    sample = models.ForeignKey(SampleFlat, on_delete=models.CASCADE, related_name="rooms")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("标签码"), max_length=8, default=new_flat_code, editable=False)
    name = models.CharField(_("房间"), max_length=30, help_text=_("如“客厅”“厨房”。"))
    locations = models.CharField(
        _("对应使用部位"),
        max_length=200,
        blank=True,
        help_text=_("材料清单“使用部位”中的词，用顿号或逗号分隔；不填则用房间名。"),
    )
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sample", "position", "pk"]
        verbose_name = _("样板间房间")
        verbose_name_plural = _("样板间房间")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="sample_room_unique_code",
                violation_error_message=_("本项目已有此标签码。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sample} · {self.name}"

    def terms(self) -> list[str]:
        raw = self.locations.replace("，", ",").replace("、", ",")
        return [t.strip() for t in raw.split(",") if t.strip()] or [self.name]


class SheetsExport(models.Model):
    """A batch of archive sheets too big for one request, rendered by the task worker.

    The developer asks for it from the flats page; ``gongshi.households.tasks`` renders it part
    by part, records its progress here and stores the finished PDF under its SHA-256
    (``exports/sheets/…``). Its state is derived from the columns when it is read.
    """

    STALE_AFTER = dt.timedelta(hours=1)  # unfinished this long: the worker stopped; ask again
    KEEP_FOR = dt.timedelta(days=7)  # finished exports older than this are removed

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="sheets_exports"
    )
    building = models.ForeignKey(
        "projects.Building", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    size = models.CharField(_("纸张"), max_length=2)
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    flats = models.PositiveIntegerField(_("户数"))
    done = models.PositiveIntegerField(_("已生成户数"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    storage_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)  # for the administrators; the page says "failed"

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("档案页后台生成")
        verbose_name_plural = _("档案页后台生成")
        indexes = [models.Index(fields=["project", "-requested_at"], name="sheets_export_recent")]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.size} · {self.flats}"

    @property
    def state(self) -> str:
        """queued, running, done, failed — or stale: unfinished past ``STALE_AFTER``."""
        if self.error:
            return "failed"
        if self.storage_name:
            return "done"
        if timezone.now() - self.requested_at > self.STALE_AFTER:
            return "stale"
        return "running" if self.started_at else "queued"

    @property
    def in_flight(self) -> bool:
        return self.state in ("queued", "running")
