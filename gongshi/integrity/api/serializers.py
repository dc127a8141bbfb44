"""Response shapes of the log API (documentation for /api/schema/ and the verifiers)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class CosignatureSerializer(serializers.Serializer):
    witness = serializers.CharField(help_text=_("见证人名称（其公钥的名称）。"))
    key_id = serializers.CharField(help_text=_("见证人密钥编号（4 字节，十六进制）。"))
    signed_at = serializers.DateTimeField(help_text=_("见证人联署的时间。"))


class CheckpointSerializer(serializers.Serializer):
    origin = serializers.CharField(help_text=_("日志名称（签名文本第一行）。"))
    tree_size = serializers.IntegerField(help_text=_("检查点覆盖的日志条目数。"))
    root_hash = serializers.CharField(help_text=_("根哈希，base64。"))
    root_hex = serializers.CharField(help_text=_("根哈希，十六进制。"))
    signed_note = serializers.CharField(help_text=_("C2SP signed-note 格式的签名检查点。"))
    cosigned_note = serializers.CharField(
        help_text=_("同一检查点，附见证人联署签名行（C2SP tlog-cosignature）。")
    )
    cosignatures = CosignatureSerializer(many=True)
    created_at = serializers.DateTimeField()


class PublicKeySerializer(serializers.Serializer):
    origin = serializers.CharField()
    verifier_key = serializers.CharField(
        help_text=_("signed-note 验证密钥：名称+密钥编号+base64。")
    )
    key_id = serializers.CharField(help_text=_("密钥编号（4 字节，十六进制）。"))
    pem = serializers.CharField(help_text=_("Ed25519 公钥，PEM 格式。"))


class EntrySerializer(serializers.Serializer):
    index = serializers.IntegerField()
    kind = serializers.CharField()
    entry = serializers.CharField(help_text=_("规范化 JSON 文本（UTF-8）；叶哈希对其字节计算。"))
    leaf_hash = serializers.CharField(help_text=_("SHA-256(0x00 ‖ 条目)，base64。"))
    created_at = serializers.DateTimeField()


class InclusionProofSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    tree_size = serializers.IntegerField()
    leaf_hash = serializers.CharField()
    hashes = serializers.ListField(
        child=serializers.CharField(), help_text=_("审计路径，base64，自叶向根。")
    )


class ConsistencyProofSerializer(serializers.Serializer):
    first = serializers.IntegerField()
    second = serializers.IntegerField()
    hashes = serializers.ListField(child=serializers.CharField())


class ProjectFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    sha256 = serializers.CharField()
    url = serializers.CharField(help_text=_("下载地址，用于核对文件的 SHA-256。"))


class ProjectVersionSerializer(serializers.Serializer):
    leaf_index = serializers.IntegerField(allow_null=True)
    item_title = serializers.CharField()
    published = serializers.JSONField(help_text=_("按本站当前数据重建的日志条目内容。"))
    files = ProjectFileSerializer(many=True)
    entry = EntrySerializer(allow_null=True, help_text=_("日志中该序号的条目；缺失为 null。"))
    inclusion_proof = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text=_("对 tree_size 的包含证明。")
    )


class ProjectStageCorrectionSerializer(serializers.Serializer):
    leaf_index = serializers.IntegerField(allow_null=True)
    published = serializers.JSONField(help_text=_("按本站当前的更正记录重建的日志条目内容。"))
    entry = EntrySerializer(allow_null=True, help_text=_("日志中该序号的条目；缺失为 null。"))
    inclusion_proof = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text=_("对 tree_size 的包含证明。")
    )


class ProjectEntriesSerializer(serializers.Serializer):
    project = serializers.CharField()
    tree_size = serializers.IntegerField()
    versions = ProjectVersionSerializer(many=True)
    stage_corrections = ProjectStageCorrectionSerializer(
        many=True, help_text=_("监管部门对项目阶段日期的更正，各为日志中的一条。")
    )
