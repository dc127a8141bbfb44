"""The publication log (append-only Merkle tree), its signed checkpoints and the audit log.

Every row here is append-only at the model layer, like a published DisclosureVersion:
``save()`` of an existing row, ``delete()`` and QuerySet ``update()``/``delete()`` refuse.
The log is also tamper-*evident*: a change made behind the ORM's back (raw SQL, a restored
backup) is caught by the verifiers, which is what the tests in ``tests/test_tamper_*.py``
demonstrate.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshi.core.appendonly import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet  # noqa: F401


class BytesField(models.BinaryField):
    """A BinaryField that always reads back as ``bytes`` (PostgreSQL's driver gives a
    memoryview), so ``checkpoint.root_hash == digest`` holds on every database."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else bytes(value)


class LogHead(models.Model):
    """The single row (pk 1) locked to grow the stored tree: tree size and frontier.

    ``frontier`` is the concatenated roots of the perfect subtrees making up the tree,
    largest first (32 bytes each), so an append needs neither the stored nodes nor a
    recount. On PostgreSQL ``pending_last``/``pending_xid`` are the integrator's watermark:
    once every transaction older than ``pending_xid`` has ended, every number up to
    ``pending_last`` still missing is a rolled-back publication's (``gongshi.integrity.log``).
    """

    tree_size = models.PositiveBigIntegerField(default=0)
    frontier = BytesField(default=b"")
    pending_last = models.BigIntegerField(null=True, blank=True)
    pending_xid = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("日志头")
        verbose_name_plural = _("日志头")

    def __str__(self) -> str:
        return f"log head: {self.tree_size} entries"


class LogEntry(AppendOnlyModel):
    """One leaf of the publication log (公示日志条目): what was published, canonically."""

    index = models.PositiveBigIntegerField(_("日志序号"), primary_key=True)
    kind = models.CharField(_("类型"), max_length=40)
    entry = BytesField(_("规范化内容"))
    leaf_hash = BytesField(_("叶哈希"), max_length=32)
    created_at = models.DateTimeField(_("写入时间"), default=timezone.now)

    class Meta:
        ordering = ["index"]
        verbose_name = _("日志条目")
        verbose_name_plural = _("日志条目")

    def __str__(self) -> str:
        return f"#{self.index} {self.kind}"

    @property
    def entry_text(self) -> str:
        return bytes(self.entry).decode("utf-8")


class LogNode(AppendOnlyModel):
    """A stored perfect subtree hash at ``level`` ≥ 1 (level 0 is LogEntry.leaf_hash).

    ``key`` packs (level, index) as ``level << 48 | index`` so a proof fetches all its nodes
    with one primary-key ``IN`` query.
    """

    key = models.PositiveBigIntegerField(primary_key=True)
    hash = BytesField(max_length=32)

    class Meta:
        verbose_name = _("日志节点")
        verbose_name_plural = _("日志节点")

    def __str__(self) -> str:
        level, index = unpack_node_key(self.key)
        return f"node ({level}, {index})"


NODE_KEY_SHIFT = 48


def pack_node_key(level: int, index: int) -> int:
    return level << NODE_KEY_SHIFT | index


def unpack_node_key(key: int) -> tuple[int, int]:
    return key >> NODE_KEY_SHIFT, key & ((1 << NODE_KEY_SHIFT) - 1)


class CheckpointQuerySet(AppendOnlyQuerySet):
    def latest_first(self) -> CheckpointQuerySet:
        return self.order_by("-tree_size", "-pk")


class Checkpoint(AppendOnlyModel):
    """A signed statement of the log's size and root hash (签名检查点)."""

    tree_size = models.PositiveBigIntegerField(_("日志条目数"))
    root_hash = BytesField(_("根哈希"), max_length=32)
    signed_note = models.TextField(_("签名文本"))
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查点")
        verbose_name_plural = _("检查点")
        indexes = [
            # latest_checkpoint(): the largest tree size first.
            models.Index(fields=["-tree_size", "-id"], name="checkpoint_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.tree_size} {self.root_hex[:16]}…"

    @property
    def root_hex(self) -> str:
        return bytes(self.root_hash).hex()

    @property
    def root_b64(self) -> str:
        return base64.b64encode(bytes(self.root_hash)).decode()


class AuditEvent(AppendOnlyModel):
    """Who did what to which object, when and from where (审计日志)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=60)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("来源 IP"), null=True, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    # The X-Request-ID of the request that did it: the same id is in that request's log lines.
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [
            # The admin list and CSV export: newest first.
            models.Index(fields=["-created_at"], name="audit_created"),
            # "What happened to this object": filtered by type and id.
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class WitnessCosignature(AppendOnlyModel):
    """A witness's timestamped cosignature of one of our checkpoints (见证人联署)."""

    checkpoint = models.ForeignKey(
        Checkpoint,
        verbose_name=_("检查点"),
        on_delete=models.PROTECT,
        related_name="cosignatures",
    )
    witness = models.CharField(_("见证人"), max_length=200)
    key_id = models.CharField(_("密钥 ID"), max_length=8)
    signed_at = models.DateTimeField(_("联署时间"))
    line = models.TextField(_("签名行"))
    created_at = models.DateTimeField(_("收到时间"), default=timezone.now)

    class Meta:
        ordering = ["-checkpoint__tree_size", "witness"]
        verbose_name = _("见证人联署")
        verbose_name_plural = _("见证人联署")
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "witness"], name="one_cosignature_per_witness"
            )
        ]

    def __str__(self) -> str:
        return f"{self.witness} @ {self.checkpoint.tree_size}"


class WitnessRefusal(AppendOnlyModel):
    """A witness that would not cosign a checkpoint, or could not be reached (拒签记录).

    ``inconsistent`` is what a fork looks like from outside: the witness holds a checkpoint
    our log is not an extension of. Administrators see these in the admin.
    """

    class Kind(models.TextChoices):
        INCONSISTENT = "inconsistent", _("与见证人记录的日志不一致")
        AHEAD = "ahead", _("见证人见过更大的日志")
        FORBIDDEN = "forbidden", _("见证人不认可本日志的签名")
        UNKNOWN_LOG = "unknown_log", _("见证人未配置本日志")
        UNREACHABLE = "unreachable", _("无法连接见证人")
        INVALID = "invalid", _("见证人的回应无效")

    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name=_("检查点"), on_delete=models.PROTECT, related_name="refusals"
    )
    witness = models.CharField(_("见证人"), max_length=200)
    url = models.CharField(_("地址"), max_length=500)
    kind = models.CharField(_("原因"), max_length=20, choices=Kind.choices)
    status = models.PositiveSmallIntegerField(_("HTTP 状态"), null=True, blank=True)
    witness_size = models.PositiveBigIntegerField(_("见证人记录的日志大小"), null=True, blank=True)
    detail = models.TextField(_("详情"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("见证人拒签")
        verbose_name_plural = _("见证人拒签")

    def __str__(self) -> str:
        return f"{self.witness}: {self.kind} @ {self.checkpoint.tree_size}"


class WitnessProgress(models.Model):
    """The tree size each witness last cosigned for us: the ``old`` of the next push."""

    witness = models.CharField(max_length=200, unique=True)
    tree_size = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("见证进度")
        verbose_name_plural = _("见证进度")

    def __str__(self) -> str:
        return f"{self.witness}: {self.tree_size}"
