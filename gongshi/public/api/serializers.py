"""Open data serializers: the same read model as the HTML pages (``page.py``, ``status.py``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongshi.projects.models import Project


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class StatusSerializer(serializers.Serializer):
    word = serializers.CharField(help_text="状态（中文或英文，随 Accept-Language）")
    tone = serializers.ChoiceField(
        choices=["ok", "warn", "bad", "none"], help_text="ok 绿、warn 琥珀、bad 红、none 灰"
    )


class ProjectSummarySerializer(serializers.ModelSerializer):
    """A project in a list: facts, place, developer and completeness."""

    city = serializers.SerializerMethodField()
    district = serializers.SerializerMethodField()
    developer = serializers.SerializerMethodField()
    completeness = serializers.SerializerMethodField(help_text="应公示事项中已公示的比例（%）")
    status = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="项目公示页（永久地址）")
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "code", "name", "address", "city", "district", "developer", "housing_type",
            "delivery_standard", "stage", "floor_area", "building_count", "household_count",
            "structure_type", "started_on", "completion_accepted_on", "handed_over_on",
            "completeness", "status", "url", "api_url",
        ]  # fmt: skip

    def _card(self, project):
        return self.context["cards"][project.pk]

    @extend_schema_field(RegionSerializer)
    def get_city(self, project) -> dict:
        city = project.region.city
        return {"code": city.code, "name": city.name}

    @extend_schema_field(RegionSerializer(allow_null=True))
    def get_district(self, project) -> dict | None:
        if project.region.level != "county":
            return None
        return {"code": project.region.code, "name": project.region.name}

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"name": {"type": "string"}, "credit_code": {"type": "string"}},
        }
    )
    def get_developer(self, project) -> dict:
        return {"name": project.developer.name, "credit_code": project.developer.credit_code}

    def get_completeness(self, project) -> int:
        return self._card(project).percent

    @extend_schema_field(StatusSerializer)
    def get_status(self, project) -> dict:
        status = self._card(project).status
        return {"word": status.word, "tone": status.tone}

    def get_url(self, project) -> str:
        return settings.SITE_URL + reverse("public:project", args=[project.code])

    def get_api_url(self, project) -> str:
        return settings.SITE_URL + reverse("api:project-detail", args=[project.code])


class FileSerializer(serializers.Serializer):
    name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    page_count = serializers.IntegerField(allow_null=True)
    url = serializers.URLField(help_text="下载地址；内容的 SHA-256 即文件标识")


class VersionSerializer(serializers.Serializer):
    instance = serializers.IntegerField(help_text="第几份（可多份公示的事项，否则为 1）")
    number = serializers.IntegerField()
    kind = serializers.CharField()
    published_at = serializers.DateTimeField()
    information_date = serializers.DateField(allow_null=True)
    timeliness_days = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    leaf_index = serializers.IntegerField(allow_null=True, help_text="公示日志中的序号")
    supplied_by = serializers.CharField()
    values = serializers.JSONField()
    files = FileSerializer(many=True)


class PublicBuildingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="楼栋号")
    url = serializers.URLField(help_text="楼栋公示页")
    api_url = serializers.URLField()


class PublicBuildingSerializer(PublicBuildingRefSerializer):
    units = serializers.IntegerField(help_text="单元数")
    floors_above = serializers.IntegerField(help_text="地上层数")
    floors_below = serializers.IntegerField(help_text="地下层数")
    floor_area = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="建筑面积（平方米）"
    )
    household_count = serializers.IntegerField(allow_null=True, help_text="户数")


class PublicInstanceSerializer(serializers.Serializer):
    """One published instance of an item (第 n 份), e.g. the second batch's pre-sale permit."""

    number = serializers.IntegerField(help_text="份号，从 1 起，不再改变")
    label = serializers.CharField(allow_blank=True, help_text="名称，如“第二批（3号楼、4号楼）”")
    title = serializers.CharField(help_text="名称，未命名时为“第 n 份”")
    state = serializers.CharField()
    status = StatusSerializer()
    buildings = PublicBuildingRefSerializer(many=True, help_text="涵盖楼栋")
    current_version = serializers.IntegerField(
        allow_null=True, help_text="当前版本号（见 versions 中 instance 相同的一项）"
    )
    url = serializers.URLField(help_text="此份的公示页")
    history_url = serializers.URLField(help_text="此份的历史版本及变化")


class ItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    requirement = serializers.CharField()
    required = serializers.BooleanField(help_text="是否必须公示（本地事项施行前已过该阶段的为否）")
    not_required_reason = serializers.CharField(
        allow_null=True, help_text="不要求公示的原因，如本地事项施行时项目已过该阶段"
    )
    due = serializers.BooleanField()
    state = serializers.CharField()
    status = StatusSerializer()
    retained_until = serializers.DateField(
        allow_null=True, help_text="保修事项按其保修期限在网上保留至（其他事项为空）"
    )
    fields = serializers.JSONField(help_text="字段定义（同目录接口）")
    repeatable = serializers.BooleanField(help_text="可多份公示（如每批一份预售许可证）")
    required_instances = serializers.IntegerField(help_text="应公示份数")
    required_reason = serializers.CharField(
        allow_null=True, help_text="份数由计划得出时的依据，如“每个销售批次一份，共3个批次”"
    )
    instances = PublicInstanceSerializer(many=True, help_text="已公示的每一份（含已撤回的）")
    versions = VersionSerializer(many=True, help_text="每一份的全部已公示版本，按公示时间从旧到新")


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    completeness = serializers.IntegerField()
    status = StatusSerializer()
    last_published_at = serializers.DateTimeField(allow_null=True)
    items = ItemSerializer(many=True)


class UnitSerializer(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.CharField()
    organisation = serializers.CharField()
    credit_code = serializers.CharField()
    leader_name = serializers.CharField()
    leader_title = serializers.CharField(allow_blank=True)


class WarrantyTermSerializer(serializers.Serializer):
    part = serializers.CharField(source="part.code", help_text="保修部位编码")
    title = serializers.CharField(source="part.display_title")
    measure = serializers.CharField(
        help_text="design_life（设计使用年限）、years 或 heating_seasons"
    )
    length = serializers.IntegerField(help_text="年数或采暖期数")
    default_design_life = serializers.BooleanField(
        help_text="项目未公示设计使用年限，按默认 50 年计"
    )
    runs_until = serializers.DateField(allow_null=True, help_text="保修至（交付前为空）")
    items = serializers.ListField(
        child=serializers.CharField(), source="item_codes", help_text="按此期限保留的保修事项编码"
    )


class RetentionSerializer(serializers.Serializer):
    completion_accepted_on = serializers.DateField(allow_null=True)
    handed_over_on = serializers.DateField(allow_null=True)
    online_until = serializers.DateField(allow_null=True)
    warranty_until = serializers.DateField(allow_null=True, help_text="最长保修期届满日")
    warranty = WarrantyTermSerializer(many=True, help_text="各部位保修期限，自交付之日起计算")


class ProjectDetailSerializer(ProjectSummarySerializer):
    units = UnitSerializer(many=True, source="_units")
    buildings = PublicBuildingSerializer(many=True, source="_buildings", help_text="楼栋")
    categories = CategorySerializer(many=True, source="_categories")
    retention = RetentionSerializer(source="_retention")
    plan = serializers.JSONField(source="_plan", allow_null=True)

    class Meta(ProjectSummarySerializer.Meta):
        fields = [
            *ProjectSummarySerializer.Meta.fields,
            "units",
            "buildings",
            "retention",
            "plan",
            "categories",
        ]


class PublicBuildingInstanceSerializer(PublicInstanceSerializer):
    item = serializers.CharField(help_text="事项编码")
    item_title = serializers.CharField()
    version = VersionSerializer(allow_null=True, help_text="公众所见的当前版本（已撤回的为空）")


class PublicBuildingDetailSerializer(PublicBuildingSerializer):
    project = serializers.CharField(help_text="项目公示编号")
    instances = PublicBuildingInstanceSerializer(
        many=True, help_text="涵盖此楼栋的每一份公示（预售许可、竣工验收等）"
    )
