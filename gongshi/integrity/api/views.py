"""The log API: checkpoint, public key, entries and proofs — public, read-only.

Bad parameters answer the one error shape (``gongshi.core.api``) with a sentence saying
what to send; a proof the damaged tables cannot give answers ``log_damaged``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from gongshi.core.api import error_response
from gongshi.integrity import keys, log, tiles, tree
from gongshi.integrity.api import serializers
from gongshi.integrity.models import Checkpoint, LogEntry
from gongshi.integrity.records import project_records
from gongshi.integrity.stage_records import stage_correction_records
from gongshi.projects.models import Project


def b64(value: bytes) -> str:
    return base64.b64encode(bytes(value)).decode()


def checkpoint_data(checkpoint: Checkpoint) -> dict:
    return {
        "origin": checkpoint.signed_note.split("\n", 1)[0],
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_b64,
        "root_hex": checkpoint.root_hex,
        "signed_note": checkpoint.signed_note,
        "cosigned_note": tiles.checkpoint_text(checkpoint),
        "cosignatures": [
            {"witness": c.witness, "key_id": c.key_id, "signed_at": c.signed_at}
            for c in checkpoint.cosignatures.order_by("witness")
        ],
        "created_at": checkpoint.created_at,
    }


def entry_data(entry: LogEntry) -> dict:
    return {
        "index": entry.index,
        "kind": entry.kind,
        "entry": entry.entry_text,
        "leaf_hash": b64(entry.leaf_hash),
        "created_at": entry.created_at,
    }


def param_error(name: str, message: str, code: str) -> ValidationError:
    """A 400 in the one error shape, naming the parameter (its code survives the dict)."""
    return ValidationError({name: ValidationError(message, code=code)})


def _int_param(request: Request, name: str, default: Callable[[], int] | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if default is not None:
            return default()
        raise param_error(
            name, _("缺少参数 %(name)s：请给出一个非负整数。") % {"name": name}, "missing_parameter"
        )
    if not raw.isdigit() or len(raw) > 18:
        raise param_error(
            name, _("参数 %(name)s 必须是非负整数。") % {"name": name}, "invalid_parameter"
        )
    return int(raw)


def _checkpoint_size() -> int:
    checkpoint = log.latest_checkpoint()
    return checkpoint.tree_size if checkpoint else 0


def _too_large(name: str, value: int, size: int) -> ValidationError:
    return param_error(
        name,
        _("%(name)s=%(value)d 超出了日志的大小（%(size)d 条）。")
        % {"name": name, "value": value, "size": size},
        "out_of_range",
    )


def _damaged(exc: Exception) -> Response:
    return error_response(
        "log_damaged", _("日志数据不完整，无法给出证明：%(detail)s") % {"detail": exc}, 500
    )


TREE_SIZE = OpenApiParameter(
    "tree_size", OpenApiTypes.INT, description="树的大小；缺省为最新检查点的大小。"
)


@extend_schema(responses=serializers.CheckpointSerializer, summary="最新签名检查点")
@api_view(["GET"])
@permission_classes([AllowAny])
def checkpoint(request: Request) -> Response:
    latest = log.latest_checkpoint()
    if latest is None:
        return error_response("no_checkpoint", _("日志还没有检查点：尚无任何公示。"), 404)
    return Response(checkpoint_data(latest))


@extend_schema(responses=serializers.PublicKeySerializer, summary="检查点签名公钥")
@api_view(["GET"])
@permission_classes([AllowAny])
def public_key(request: Request) -> Response:
    try:
        key = keys.public_key()
    except ImproperlyConfigured as exc:
        return error_response("no_signing_key", str(exc), 503)
    return Response(
        {
            "origin": key.name,
            "verifier_key": key.text,
            "key_id": key.key_id.hex(),
            "pem": keys.public_key_pem(),
        }
    )


@extend_schema(responses=serializers.EntrySerializer, summary="一条日志条目")
@api_view(["GET"])
@permission_classes([AllowAny])
def entry(request: Request, index: int) -> Response:
    found = LogEntry.objects.filter(index=index).first()
    if found is None:
        return error_response(
            "not_found", _("日志中没有序号为 %(index)d 的条目。") % {"index": index}, 404
        )
    return Response(entry_data(found))


@extend_schema(
    parameters=[OpenApiParameter("index", OpenApiTypes.INT, required=True), TREE_SIZE],
    responses=serializers.InclusionProofSerializer,
    summary="包含证明（RFC 9162 §2.1.3）",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def inclusion_proof(request: Request) -> Response:
    index = _int_param(request, "index")
    size = _int_param(request, "tree_size", default=_checkpoint_size)
    current = log.tree_size()
    if size > current:
        raise _too_large("tree_size", size, current)
    if index >= size and LogEntry.objects.filter(index=index).exists():
        # Logged, but not yet in the signed tree (PostgreSQL integrates after the commit).
        return error_response(
            "not_integrated",
            _("日志第 %(index)d 条已经记录，但还没有并入已签名的日志树：请稍后再取包含证明。")
            % {"index": index},
            409,
        )
    if index >= size:
        raise param_error(
            "index",
            _("index=%(index)d 不在大小为 %(size)d 的日志中：index 必须小于 tree_size。")
            % {"index": index, "size": size},
            "out_of_range",
        )
    try:
        hashes = tree.inclusion_proof(index, size, log.fetch_nodes)
        leaf = LogEntry.objects.values_list("leaf_hash", flat=True).get(index=index)
    except (tree.MissingNodeError, LogEntry.DoesNotExist) as exc:
        return _damaged(exc)
    return Response(
        {
            "index": index,
            "tree_size": size,
            "leaf_hash": b64(leaf),
            "hashes": [b64(h) for h in hashes],
        }
    )


@extend_schema(
    parameters=[
        OpenApiParameter("first", OpenApiTypes.INT, required=True),
        OpenApiParameter("second", OpenApiTypes.INT, required=True),
    ],
    responses=serializers.ConsistencyProofSerializer,
    summary="一致性证明（RFC 9162 §2.1.4）",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def consistency_proof(request: Request) -> Response:
    first = _int_param(request, "first")
    second = _int_param(request, "second")
    if first > second:
        raise param_error(
            "first", _("first 不能大于 second：请先给较早（较小）的日志大小。"), "out_of_range"
        )
    current = log.tree_size()
    if second > current:
        raise _too_large("second", second, current)
    try:
        hashes = tree.consistency_proof(first, second, log.fetch_nodes)
    except tree.MissingNodeError as exc:
        return _damaged(exc)
    return Response({"first": first, "second": second, "hashes": [b64(h) for h in hashes]})


def project_entries_data(project: Project, size: int) -> dict:
    versions = []
    for record in project_records(project, size):
        versions.append(
            {
                "leaf_index": record.version.leaf_index,
                "item_title": record.version.disclosure.item.title,
                "published": record.published,
                "files": record.files,
                "entry": entry_data(record.entry) if record.entry else None,
                "inclusion_proof": (
                    [b64(h) for h in record.proof] if record.proof is not None else None
                ),
            }
        )
    corrections = [
        {
            "leaf_index": record.correction.leaf_index,
            "published": record.published,
            "entry": entry_data(record.entry) if record.entry else None,
            "inclusion_proof": [b64(h) for h in record.proof] if record.proof is not None else None,
        }
        for record in stage_correction_records(project, size)
    ]
    return {
        "project": project.code,
        "tree_size": size,
        "versions": versions,
        "stage_corrections": corrections,
    }


@extend_schema(
    parameters=[TREE_SIZE],
    responses=serializers.ProjectEntriesSerializer,
    summary="项目的全部公示版本、其日志条目与包含证明",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def project_entries(request: Request, code: str) -> Response:
    project = get_object_or_404(Project, code=code)
    size = _int_param(request, "tree_size", default=_checkpoint_size)
    current = log.tree_size()
    if size > current:
        raise _too_large("tree_size", size, current)
    return Response(project_entries_data(project, size))
