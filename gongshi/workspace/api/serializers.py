"""What the workspace API answers with, and (for the schema) what it accepts.

Input is validated by the same Django forms as the browser's (``gongshi.workspace.forms``)
and applied by the same domain functions; the request serializers below document it.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from gongshi.core.choices import Stage, UnitRole
from gongshi.disclosures.models import DisclosureVersion
from gongshi.projects.models import Participation, Project
from gongshi.workspace.models import PLAN_FIELDS, DisclosurePlan, PlanChannel


class WorkspaceParticipationSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    credit_code = serializers.CharField(source="organisation.credit_code")

    class Meta:
        model = Participation
        fields = ["id", "role", "organisation", "credit_code", "leader_name", "leader_title"]


class WorkspaceProjectSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    developer = serializers.CharField(source="developer.credit_code")
    units = WorkspaceParticipationSerializer(source="participations", many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "address",
            "region",
            "developer",
            "housing_type",
            "delivery_standard",
            "floor_area",
            "building_count",
            "household_count",
            "structure_type",
            "contract_duration_days",
            "stage",
            "started_on",
            "completion_accepted_on",
            "handed_over_on",
            "units",
        ]


class WorkspaceProjectInputSerializer(serializers.Serializer):
    """Register (POST, all required but developer when you belong to one) or update (PATCH)."""

    developer = serializers.CharField(help_text="建设单位的统一社会信用代码", required=False)
    leader_name = serializers.CharField(
        help_text="建设单位项目负责人（登记时必填）", required=False
    )
    leader_title = serializers.CharField(required=False)
    name = serializers.CharField()
    address = serializers.CharField()
    region = serializers.CharField(help_text="区县 GB/T 2260 代码，如 230103")
    housing_type = serializers.CharField()
    delivery_standard = serializers.CharField()
    floor_area = serializers.DecimalField(max_digits=12, decimal_places=2)
    building_count = serializers.IntegerField()
    household_count = serializers.IntegerField()
    structure_type = serializers.CharField()
    contract_duration_days = serializers.IntegerField()


class WorkspaceUnitInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=UnitRole.choices)
    credit_code = serializers.CharField()
    leader_name = serializers.CharField()
    leader_title = serializers.CharField(required=False)


class WorkspaceStageInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    started_on = serializers.DateField(required=False)
    completion_accepted_on = serializers.DateField(
        required=False, help_text="进入已竣工验收/已交付时必填"
    )
    handed_over_on = serializers.DateField(required=False)


class WorkspacePlanSerializer(serializers.ModelSerializer):
    channels = serializers.ListField(child=serializers.ChoiceField(choices=PlanChannel.choices))

    class Meta:
        model = DisclosurePlan
        fields = ["id", *PLAN_FIELDS, "published_at"]
        read_only_fields = ["id", "published_at"]


class WorkspaceAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sha256 = serializers.CharField(source="file.sha256")
    content_type = serializers.CharField(source="file.content_type")
    size = serializers.IntegerField(source="file.size")
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return reverse("files:download", args=[obj.file.sha256])


class WorkspaceVersionSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="disclosure.item.code")
    supplied_by = serializers.CharField(source="supplied_by.credit_code")
    files = WorkspaceAttachmentSerializer(source="attachments", many=True, read_only=True)

    class Meta:
        model = DisclosureVersion
        fields = [
            "id",
            "item",
            "number",
            "kind",
            "status",
            "values",
            "information_date",
            "reason",
            "return_reason",
            "supplied_by",
            "lock_version",
            "files",
            "created_at",
            "updated_at",
            "submitted_at",
            "published_at",
            "timeliness_days",
        ]


class WorkspaceVersionInputSerializer(serializers.Serializer):
    """JSON, or multipart with ``values`` as a JSON string and one or more ``files``."""

    values = serializers.JSONField(required=False, help_text="字段内容，表格为行的列表")
    information_date = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, help_text="更正原因（事项已公示时必填）")
    files = serializers.ListField(child=serializers.FileField(), required=False)


class WorkspaceDraftInputSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(help_text="读取时的 lock_version；已被他人修改则 409")
    values = serializers.JSONField(required=False)
    information_date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False)


class WorkspaceFilesInputSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(required=False)
    files = serializers.ListField(child=serializers.FileField())


class WorkspaceLockInputSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(required=False)


class WorkspaceReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    lock_version = serializers.IntegerField(required=False)


class WorkspaceChecklistEntrySerializer(serializers.Serializer):
    item = serializers.CharField(source="item.code")
    title = serializers.CharField(source="item.title")
    category = serializers.CharField(source="item.category")
    supplier = serializers.CharField(source="item.supplier")
    requirement = serializers.CharField()
    required = serializers.BooleanField(
        source="is_required", help_text="是否必须公示（本地事项施行前已过该阶段的为否）"
    )
    not_required_reason = serializers.CharField(
        allow_null=True, help_text="不要求公示的原因，如本地事项施行时项目已过该阶段"
    )
    due = serializers.BooleanField()
    state = serializers.CharField()
    timeliness_days = serializers.IntegerField(allow_null=True)
    current_version = serializers.IntegerField(source="current.pk", allow_null=True, default=None)
    pending_version = serializers.IntegerField(source="pending.pk", allow_null=True, default=None)


class WorkspaceChecklistSerializer(serializers.Serializer):
    completeness = serializers.FloatField()
    required_due = serializers.IntegerField()
    required_published = serializers.IntegerField()
    entries = WorkspaceChecklistEntrySerializer(many=True)


class WorkspaceErrorSerializer(serializers.Serializer):
    """The one error shape: {"error": {"code", "message", "fields"}}."""

    error = serializers.DictField()
