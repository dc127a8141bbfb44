"""What the workspace API answers with, and (for the schema) what it accepts.

Input is validated by the same Django forms as the browser's (``gongshi.workspace.forms``)
and applied by the same domain functions; the request serializers below document it.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongshi.core.choices import Stage, UnitRole
from gongshi.disclosures.models import DisclosureVersion, VersionKind, VersionStatus
from gongshi.disclosures.workflow import OPEN_STATUSES
from gongshi.projects.models import Building, Participation, Project
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
    instance = serializers.IntegerField(
        source="disclosure.instance", help_text="第几份（可多份公示的事项，否则为 1）"
    )
    supplied_by = serializers.CharField(source="supplied_by.credit_code")
    files = WorkspaceAttachmentSerializer(source="attachments", many=True, read_only=True)

    class Meta:
        model = DisclosureVersion
        fields = [
            "id",
            "item",
            "instance",
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


class WorkspaceChecklistInstanceSerializer(serializers.Serializer):
    """One instance (第 n 份) of an item on the checklist."""

    number = serializers.IntegerField(help_text="份号，从 1 起，不再改变")
    title = serializers.CharField(help_text="名称，未命名为“第 n 份”")
    buildings = serializers.ListField(
        child=serializers.CharField(), source="building_names", help_text="涵盖楼栋"
    )
    state = serializers.CharField()
    public = serializers.BooleanField(
        source="is_public", help_text="已公示且有内容（计入应公示份数；撤回的不计）"
    )
    current_version = serializers.IntegerField(source="current.pk", allow_null=True, default=None)
    pending_version = serializers.IntegerField(source="pending.pk", allow_null=True, default=None)


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
    state = serializers.CharField(
        help_text="事项整体的状态：可多份公示的事项，已公示份数达到应公示份数才为已公示"
    )
    timeliness_days = serializers.IntegerField(allow_null=True)
    current_version = serializers.IntegerField(
        source="current.pk", allow_null=True, default=None, help_text="第 1 份的最新已公示版本"
    )
    pending_version = serializers.IntegerField(
        source="pending.pk", allow_null=True, default=None, help_text="第 1 份的未公示版本"
    )
    repeatable = serializers.BooleanField(help_text="可多份公示；否则只有第 1 份")
    required_instances = serializers.IntegerField(help_text="应公示份数（达到即事项完整）")
    required_reason = serializers.CharField(
        allow_null=True, help_text="份数由计划得出时的依据，如“每个销售批次一份，共3个批次”"
    )
    public_instances = serializers.SerializerMethodField(help_text="已公示（未撤回）的份数")
    instances = WorkspaceChecklistInstanceSerializer(
        many=True, help_text="已开始的每一份（含草稿、已撤回的），按份号"
    )

    def get_public_instances(self, entry) -> int:
        return len(entry.public_instances)


class WorkspaceChecklistSerializer(serializers.Serializer):
    completeness = serializers.FloatField()
    required_due = serializers.IntegerField()
    required_published = serializers.IntegerField()
    entries = WorkspaceChecklistEntrySerializer(many=True)


class WorkspaceBuildingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="楼栋号")


class WorkspaceInstanceSerializer(serializers.Serializer):
    """One instance of an item (第 n 份) as the workspace sees it, drafts included."""

    number = serializers.IntegerField(source="instance", help_text="份号，从 1 起，不再改变")
    label = serializers.CharField(help_text="名称，如“第二批（3号楼、4号楼）”")
    title = serializers.CharField(source="instance_title", help_text="名称，未命名为“第 n 份”")
    buildings = serializers.SerializerMethodField(help_text="涵盖楼栋")
    state = serializers.SerializerMethodField(
        help_text="empty 未填报、open 有未公示的版本、published 已公示、withdrawn 已撤回、"
        "inapplicable 已声明不适用"
    )
    frozen = serializers.SerializerMethodField(help_text="已公示过：名称和涵盖楼栋不能再改")
    current_version = serializers.SerializerMethodField(help_text="最新已公示版本的 id")
    pending_version = serializers.SerializerMethodField(help_text="未公示版本（草稿、待审）的 id")

    def _versions(self, disclosure) -> list[DisclosureVersion]:
        return list(disclosure.versions.all()) if disclosure.pk else []

    def _current(self, disclosure) -> DisclosureVersion | None:
        published = [v for v in self._versions(disclosure) if v.status == VersionStatus.PUBLISHED]
        return max(published, key=lambda v: v.number) if published else None

    def _pending(self, disclosure) -> DisclosureVersion | None:
        return next((v for v in self._versions(disclosure) if v.status in OPEN_STATUSES), None)

    @extend_schema_field(WorkspaceBuildingRefSerializer(many=True))
    def get_buildings(self, disclosure) -> list[dict]:
        if disclosure.pk is None:
            return []
        covered = sorted(disclosure.buildings.all(), key=lambda b: (b.position, b.pk))
        return [{"id": b.pk, "name": b.name} for b in covered]

    def get_state(self, disclosure) -> str:
        current = self._current(disclosure)
        if current is None:
            return "open" if self._pending(disclosure) else "empty"
        if current.kind == VersionKind.WITHDRAWAL:
            return "withdrawn"
        if current.kind == VersionKind.INAPPLICABLE:
            return "inapplicable"
        return "published"

    def get_frozen(self, disclosure) -> bool:
        return self._current(disclosure) is not None

    def get_current_version(self, disclosure) -> int | None:
        current = self._current(disclosure)
        return current.pk if current else None

    def get_pending_version(self, disclosure) -> int | None:
        pending = self._pending(disclosure)
        return pending.pk if pending else None


class WorkspaceInstanceListSerializer(serializers.Serializer):
    item = serializers.CharField()
    repeatable = serializers.BooleanField(help_text="可多份公示；否则只有第 1 份")
    covers_buildings = serializers.BooleanField(help_text="每份须注明涵盖楼栋")
    required_instances = serializers.IntegerField(help_text="本项目应公示份数")
    required_reason = serializers.CharField(
        allow_null=True, help_text="份数由计划得出时的依据，如“每个销售批次一份，共3个批次”"
    )
    required_declared = serializers.BooleanField(help_text="份数由建设单位填报（不再随楼栋变化）")
    instances = WorkspaceInstanceSerializer(many=True)


class WorkspaceInstanceInputSerializer(serializers.Serializer):
    label = serializers.CharField(required=False, allow_blank=True, help_text="名称，最多 100 字")
    buildings = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="涵盖楼栋的 id（本项目的楼栋）"
    )


class WorkspaceRequiredInputSerializer(serializers.Serializer):
    required = serializers.IntegerField(min_value=1, help_text="应公示份数")


class WorkspaceBuildingSerializer(serializers.ModelSerializer):
    published = serializers.SerializerMethodField(
        help_text="已被公示的某份引用：楼栋号不能再改，也不能删除"
    )

    class Meta:
        model = Building
        fields = [
            "id", "name", "position", "units", "floors_above", "floors_below", "floor_area",
            "household_count", "sales_batch", "published",
        ]  # fmt: skip

    def get_published(self, building) -> bool:
        return building.pk in self.context.get("published", set())


class WorkspaceBuildingInputSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="楼栋号，如“1号楼”")
    units = serializers.IntegerField(help_text="单元数")
    floors_above = serializers.IntegerField(help_text="地上层数")
    floors_below = serializers.IntegerField(required=False, help_text="地下层数")
    floor_area = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, help_text="建筑面积（平方米）"
    )
    household_count = serializers.IntegerField(required=False, help_text="户数")
    sales_batch = serializers.IntegerField(
        required=False, allow_null=True, help_text="销售批次（第几批预售）"
    )


class WorkspaceBuildingImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="按楼栋模板填写的 Excel（.xlsx）")


class WorkspaceBuildingImportSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="新增栋数")
    updated = serializers.IntegerField(help_text="更新栋数")
    buildings = WorkspaceBuildingSerializer(many=True)


class WorkspaceErrorSerializer(serializers.Serializer):
    """The one error shape: {"error": {"code", "message", "fields"}}."""

    error = serializers.DictField()
