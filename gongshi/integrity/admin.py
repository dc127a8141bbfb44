"""Admin: the audit log (list, filter, CSV export) and read-only views of the log.

Only administrators (superusers) see these; nothing here can be added, changed or deleted.
"""

from __future__ import annotations

import csv
import json

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshi.integrity import audit
from gongshi.integrity.models import (
    AuditEvent,
    Checkpoint,
    LogEntry,
    WitnessCosignature,
    WitnessRefusal,
)

CSV_COLUMNS = [
    ("created_at", "时间 / time"),
    ("actor_label", "操作人 / actor"),
    ("action", "操作 / action"),
    ("object_type", "对象类型 / object type"),
    ("object_id", "对象编号 / object id"),
    ("object_repr", "对象 / object"),
    ("ip_address", "来源 IP / IP"),
    ("details", "详情 / details"),
]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def audit_csv(events) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response.write("\ufeff")  # Excel needs the BOM to read UTF-8 Chinese
    writer = csv.writer(response)
    writer.writerow([label for _, label in CSV_COLUMNS])
    for event in events:
        row = []
        for name, _label in CSV_COLUMNS:
            value = getattr(event, name)
            if name == "created_at":
                value = timezone.localtime(value).isoformat()
            elif name == "details":
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            row.append("" if value is None else value)
        writer.writerow(row)
    return response


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "object_repr", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = [
        "actor_label",
        "action",
        "object_id",
        "object_repr",
        "ip_address",
        "request_id",
    ]
    date_hierarchy = "created_at"
    actions = ["export_csv"]

    def get_actions(self, request: HttpRequest):
        # The delete action would only fail (append-only); offer the export alone.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("导出所选审计事件为 CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset) -> HttpResponse:
        count = queryset.count()
        # Exporting who did what from where is itself a view of private data.
        audit.record(request, "audit.export", None, count=count)
        return audit_csv(queryset.order_by("created_at", "id"))


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ["index", "kind", "created_at"]
    list_filter = ["kind"]
    fields = ["index", "kind", "entry_text", "created_at"]
    readonly_fields = fields


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["tree_size", "root_hex", "created_at"]
    fields = ["tree_size", "root_hex", "signed_note", "created_at"]
    readonly_fields = fields


@admin.register(WitnessRefusal)
class WitnessRefusalAdmin(ReadOnlyAdmin):
    """Witnesses that would not cosign: ``inconsistent`` means a witness holds a checkpoint
    this log does not extend — a fork, or a restored backup; investigate before anything."""

    list_display = ["created_at", "witness", "kind", "checkpoint_size", "witness_size", "status"]
    list_filter = ["kind", "witness"]
    fields = [
        "created_at", "witness", "url", "kind", "status", "checkpoint", "witness_size", "detail",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("检查点大小"))
    def checkpoint_size(self, obj: WitnessRefusal) -> int:
        return obj.checkpoint.tree_size

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("checkpoint")


@admin.register(WitnessCosignature)
class WitnessCosignatureAdmin(ReadOnlyAdmin):
    list_display = ["signed_at", "witness", "checkpoint"]
    list_filter = ["witness"]
    fields = ["witness", "key_id", "signed_at", "checkpoint", "line", "created_at"]
    readonly_fields = fields
