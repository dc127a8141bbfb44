"""The public verification page and the public key at a stable URL."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gongshi.integrity import keys, log, tiles, witnessing
from gongshi.integrity.note import NoteError, verify_checkpoint
from gongshi.integrity.records import project_records
from gongshi.integrity.tlog_tiles import TILE_WIDTH, TileError, parse_tile_path
from gongshi.integrity.tree import MissingNodeError
from gongshi.projects.models import Project


def _messages() -> dict[str, str]:
    """The page script's sentences, translated here so the script needs no catalogue."""
    return {
        "all_ok": _("已核验：本项目全部 %(n)s 个公示版本均在日志中，内容与文件均未改变。"),
        "nothing_to_verify": _("本项目尚无公示版本，无需核验。"),
        "failed": _("核验未通过：本页显示的公示与日志不一致，请勿依赖这些信息，并向住建部门反映。"),
        "row_ok": _("已核验"),
        "stage_correction": _("监管部门的阶段日期更正"),
        "corrections_ok": _("本项目 %(n)s 次阶段日期更正均在日志中，内容未改变。"),
        "row_failed": _("不一致"),
        "no_webcrypto": _(
            "此浏览器无法进行核验（需要 HTTPS 和较新的浏览器）。请改用命令行核验工具。"
        ),
        "no_checkpoint": _("日志没有检查点，无法核验。"),
        "bad_signature": _("检查点的签名无效：它不是用本站公布的公钥签署的。"),
        "signature_browser": _("检查点签名已在您的浏览器中核验（Ed25519）。"),
        "signature_server": _(
            "此浏览器不支持 Ed25519，检查点签名由服务器核验；要独立核验签名，请使用命令行工具。"
        ),
        "checkpoint": _("依据的检查点：日志大小 %(size)s，根哈希 %(root)s。"),
        "rolled_back": _(
            "日志被回滚：此前本浏览器见过大小为 %(before)s 的日志，现在只有 %(now)s。"
        ),
        "forked": _("日志被改写：大小 %(before)s 的旧日志不是现在大小 %(now)s 的日志的前缀。"),
        "consistent": _("与本浏览器上次见到的日志（大小 %(before)s）一致，只有追加。"),
        "not_logged": _("%(label)s：没有日志序号，不在日志中。"),
        "not_covered": _("%(label)s：日志序号 %(index)s 不在最新检查点（大小 %(size)s）之内。"),
        "entry_missing": _("%(label)s：日志中缺少第 %(index)s 条。"),
        "proof_missing": _("%(label)s：日志数据不完整，无法证明第 %(index)s 条。"),
        "fields_differ": _("%(label)s：显示的内容与日志第 %(index)s 条不一致，字段：%(fields)s。"),
        "not_included": _(
            "%(label)s：日志第 %(index)s 条的包含证明不成立（日志条目被改动或调换）。"
        ),
        "file_changed": _("%(label)s：文件「%(name)s」的内容已被改变，与公示时的 SHA-256 不符。"),
        "file_unavailable": _("%(label)s：文件「%(name)s」无法下载，未能核对。"),
        "http_error": _("无法获取 %(url)s（HTTP %(status)s）。"),
        "note_malformed": _("检查点格式不正确。"),
    }


def _version_label(version) -> str:
    return _("「%(title)s」第 %(number)s 版") % {
        "title": version.disclosure.item.title,
        "number": version.number,
    }


def witness_rows(checkpoint) -> list[dict]:
    """Each configured witness: its key, and the largest checkpoint it cosigned, when."""
    latest = {c.witness: c for c in witnessing.latest_by_witness()}
    return [
        {
            "name": witness.name,
            "vkey": witness.vkey,
            "cosignature": latest.get(witness.name),
            "current": checkpoint is not None
            and latest.get(witness.name) is not None
            and latest[witness.name].checkpoint_id == checkpoint.pk,
        }
        for witness in witnessing.configured()
    ]


@require_safe
def verify_project(request: HttpRequest, code: str) -> HttpResponse:
    project = get_object_or_404(Project, code=code)
    checkpoint = log.latest_checkpoint()
    size = checkpoint.tree_size if checkpoint else 0
    records = project_records(project, size)
    public_key = keys.public_key()
    server_signature_ok = False
    if checkpoint is not None:
        try:
            verify_checkpoint(checkpoint.signed_note, public_key)
            server_signature_ok = True
        except NoteError:
            server_signature_ok = False
    data = {
        "urls": {
            "checkpoint": reverse("api:log-checkpoint"),
            "public_key": reverse("api:log-public-key"),
            "consistency": reverse("api:log-consistency-proof"),
            "entries": reverse("api:log-project-entries", args=[project.code]),
        },
        "server_signature_ok": server_signature_ok,
        "messages": _messages(),
        "versions": [
            {
                "label": _version_label(r.version),
                "leaf_index": r.version.leaf_index,
                "published": r.published,
                "files": r.files,
            }
            for r in records
        ],
    }
    witnesses = witness_rows(checkpoint)
    highlight = request.GET.get("leaf", "")
    return render(
        request,
        "integrity/verify.html",
        {
            "project": project,
            "checkpoint": checkpoint,
            "records": records,
            "data": data,
            "public_key": public_key,
            "witnesses": witnesses,
            "highlight": int(highlight) if highlight.isdigit() else None,
        },
    )


@require_safe
def public_key_text(request: HttpRequest) -> HttpResponse:
    """The signed-note verifier key, one line: what ``gongshi verify --pubkey`` reads."""
    response = HttpResponse(keys.public_key().text + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def public_key_pem(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(keys.public_key_pem(), content_type="application/x-pem-file")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# C2SP tlog-tiles ------------------------------------------------------------------------

IMMUTABLE = "public, max-age=31536000, immutable"
PARTIAL = "public, max-age=60"  # a partial tile may be replaced by the full one later


@require_safe
def tlog_checkpoint(request: HttpRequest) -> HttpResponse:
    """The latest checkpoint with the witnesses' cosignatures (tlog-tiles ``/checkpoint``)."""
    checkpoint = log.latest_checkpoint()
    if checkpoint is None:
        return HttpResponseNotFound(
            _("日志还没有检查点。"), content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(
        tiles.checkpoint_text(checkpoint), content_type="text/plain; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=5"
    return response


@require_safe
def tlog_tile(request: HttpRequest, path: str) -> HttpResponse:
    """``/tile/<L>/<N>[.p/<W>]`` and ``/tile/entries/<N>[.p/<W>]`` from the stored subtrees."""
    try:
        level, index, width = parse_tile_path(path)
    except TileError as exc:
        return HttpResponseNotFound(str(exc), content_type="text/plain; charset=utf-8")
    size = tiles.published_size()
    if not tiles.servable(level or 0, index, width, size):
        return HttpResponseNotFound(
            _("日志（大小 %(size)s）中没有这个瓦片。") % {"size": size},
            content_type="text/plain; charset=utf-8",
        )
    try:
        if level is None:
            body = tiles.entry_bundle(index, width)
        else:
            body = tiles.tile_hashes(level, index, width)
    except MissingNodeError:
        return HttpResponseServerError(
            _("日志数据不完整，无法给出这个瓦片。"), content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(body, content_type="application/octet-stream")
    response["Cache-Control"] = IMMUTABLE if width == TILE_WIDTH else PARTIAL
    return response
