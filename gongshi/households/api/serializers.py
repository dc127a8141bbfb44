"""What the household archive API answers with, and (for the schema) what it accepts.

Input is validated by the same forms as the pages (``gongshi.households.forms``) and applied
by the same domain functions. The public serializers carry no owner data at all.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from gongshi.core.crypto import mask_contact
from gongshi.households.models import (
    ArchivePhoto,
    FlatArchive,
    InspectionProblem,
    Measurement,
    MeasurementKind,
    ProblemEvent,
)


class ErrorSerializer(serializers.Serializer):
    """The one error shape: {"error": {"code", "message", "fields"}}."""

    error = serializers.DictField()


class FlatSerializer(serializers.ModelSerializer):
    """A flat and its printed code."""

    code = serializers.CharField(help_text="户码（印在档案页和二维码上）")
    building = serializers.CharField(source="flat.building.name")
    unit = serializers.CharField(source="flat.unit")
    floor = serializers.IntegerField(source="flat.floor")
    number = serializers.CharField(source="flat.number")
    area = serializers.DecimalField(
        source="flat.area", max_digits=8, decimal_places=2, allow_null=True
    )
    url = serializers.SerializerMethodField(help_text="公开档案页地址（稳定）")
    published = serializers.SerializerMethodField(help_text="实测实量数据和照片是否已公开")

    class Meta:
        model = FlatArchive
        fields = ["code", "building", "unit", "floor", "number", "area", "url", "published"]

    def get_url(self, archive: FlatArchive) -> str:
        return reverse("households:flat", args=[archive.project.code, archive.code])

    def get_published(self, archive: FlatArchive) -> bool:
        return archive.is_published


class MeasurementSerializer(serializers.ModelSerializer):
    passed = serializers.BooleanField(read_only=True, help_text="|实测值 − 设计值| ≤ 允许偏差")
    kind = serializers.ChoiceField(choices=MeasurementKind.choices)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "kind",
            "room",
            "design_value",
            "measured_value",
            "allowed_deviation",
            "measured_on",
            "passed",
        ]


class PhotoSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="file.sha256")
    url = serializers.SerializerMethodField()

    class Meta:
        model = ArchivePhoto
        fields = ["caption", "sha256", "url"]

    def get_url(self, photo: ArchivePhoto) -> str:
        return reverse("files:download", args=[photo.file.sha256])


class SummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()


class AcceptanceSerializer(serializers.Serializer):
    result = serializers.CharField(help_text="pass / fail")
    result_label = serializers.CharField()
    date = serializers.CharField()
    rectification = serializers.CharField()
    item = serializers.CharField(source="version.disclosure.item.code")
    version = serializers.IntegerField(source="version.number")


class WarrantyContactSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class PublicArchiveSerializer(serializers.Serializer):
    """Anyone's view of a flat: no owner data, measured data only once published."""

    flat = FlatSerializer(source="archive")
    acceptance = AcceptanceSerializer(allow_null=True)
    summary = SummarySerializer(allow_null=True)
    measurements = MeasurementSerializer(many=True)
    photos = PhotoSerializer(many=True)
    warranty_contacts = WarrantyContactSerializer(many=True)


class WorkspaceArchiveSerializer(FlatSerializer):
    """The developer's view: whether an owner is recorded (phone masked), the summary."""

    has_owner = serializers.BooleanField()
    owner_phone = serializers.SerializerMethodField(help_text="脱敏显示，如 138****5678")
    published_at = serializers.DateTimeField(allow_null=True)
    measurements = MeasurementSerializer(many=True, read_only=True)

    class Meta(FlatSerializer.Meta):
        fields = [
            *FlatSerializer.Meta.fields,
            "has_owner",
            "owner_phone",
            "published_at",
            "measurements",
        ]

    def get_owner_phone(self, archive: FlatArchive) -> str:
        return mask_contact(archive.owner_phone) if archive.owner_phone else ""


class ArchiveInputSerializer(serializers.Serializer):
    published = serializers.BooleanField(required=False, help_text="公开（true）或取消公开")
    owner_name = serializers.CharField(required=False, allow_blank=True)
    owner_phone = serializers.CharField(required=False, allow_blank=True)
    contract_number = serializers.CharField(required=False, allow_blank=True)


class GenerateInputSerializer(serializers.Serializer):
    building = serializers.IntegerField(help_text="楼栋 id")
    floors_from = serializers.IntegerField()
    floors_to = serializers.IntegerField()
    per_floor = serializers.IntegerField()


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProblemEvent
        fields = ["action", "by_owner", "note", "at"]


class ProblemSerializer(serializers.ModelSerializer):
    flat = serializers.CharField(source="archive.code")
    photo_sha256 = serializers.CharField(source="photo.sha256", allow_null=True, default=None)
    events = EventSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionProblem
        fields = [
            "id",
            "flat",
            "location",
            "description",
            "photo_sha256",
            "status",
            "answer",
            "fix_by",
            "recorded_at",
            "events",
        ]


class ProblemInputSerializer(serializers.Serializer):
    location = serializers.CharField()
    description = serializers.CharField()
    photo = serializers.FileField(required=False, help_text="JPEG 或 PNG")


class OwnerDecisionInputSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="true 确认整改；false 重新提出（须填 note）")
    note = serializers.CharField(required=False, allow_blank=True)


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField()
    fix_by = serializers.DateField()


class OwnerSessionInputSerializer(serializers.Serializer):
    """Either contract_number + phone, or phone + the code sent to it."""

    phone = serializers.CharField()
    contract_number = serializers.CharField(required=False)
    code = serializers.CharField(required=False)


class OwnerSessionSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Authorization: Owner <token>，24 小时内有效")
    expires_at = serializers.DateTimeField()


class PhoneInputSerializer(serializers.Serializer):
    phone = serializers.CharField()


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()


class ProductSerializer(serializers.Serializer):
    cells = serializers.ListField(child=serializers.CharField())
    location = serializers.CharField()


class SampleRoomSerializer(serializers.Serializer):
    name = serializers.CharField()
    sample = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    products = ProductSerializer(many=True)
    item = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)


class WorkspaceSampleRoomSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="标签码（二维码打开 /p/<项目>/s/<标签码>/）")
    name = serializers.CharField(help_text="房间，如“厨房”")
    locations = serializers.CharField(help_text="对应的“使用部位”词；空则用房间名")
    url = serializers.SerializerMethodField(help_text="标签打开的公开页面")

    def get_url(self, room) -> str:
        from django.urls import reverse

        return reverse("households:room", args=[room.project.code, room.code])


class WorkspaceSampleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="样板间名称，如“A户型样板间”")
    layout = serializers.CharField(help_text="户型说明")
    rooms = WorkspaceSampleRoomSerializer(many=True, source="rooms.all")


class SampleInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    layout = serializers.CharField(max_length=100, required=False)
    rooms = serializers.ListField(
        child=serializers.CharField(max_length=30),
        required=False,
        help_text="房间名称列表（也可用顿号分隔的一段文字）；每个房间一张标签",
    )


class RoomInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=30)
    locations = serializers.CharField(max_length=200, required=False)
