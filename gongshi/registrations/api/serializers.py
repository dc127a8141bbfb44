from rest_framework import serializers

from gongshi.registrations.models import Invitation, Registration


class RegistrationSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    credit_code = serializers.CharField(source="organisation.credit_code", read_only=True)
    kind = serializers.CharField(source="organisation.kind", read_only=True)
    region = serializers.CharField(source="organisation.region.code", read_only=True)
    licence_sha256 = serializers.CharField(source="licence.sha256", read_only=True)
    licence_url = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "organisation",
            "credit_code",
            "kind",
            "region",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "contact_email",
            "licence_name",
            "licence_sha256",
            "licence_url",
            "status",
            "reason",
            "submitted_at",
            "decided_at",
        ]

    def get_licence_url(self, obj: Registration) -> str:
        return obj.licence.download_url(obj.licence_name)


class DecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, help_text="不予通过时必填，申请单位可见")


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = [
            "id",
            "role",
            "credit_code",
            "name",
            "leader_name",
            "leader_title",
            "email",
            "created_at",
            "accepted_at",
        ]
        read_only_fields = ["created_at", "accepted_at"]


class ApplicationInputSerializer(serializers.Serializer):
    """A company's particulars, its business-licence scan and its contact (multipart)."""

    kind = serializers.CharField(
        help_text="单位类型：developer, survey, design, contractor, supervision, "
        "drawing_review or testing (regulators are created by the platform's administrators)"
    )
    credit_code = serializers.CharField(help_text="统一社会信用代码（18 位，GB 32100 校验）")
    name = serializers.CharField(max_length=200, help_text="单位名称（与营业执照一致）")
    region = serializers.CharField(help_text="注册地区县的 GB/T 2260 代码，例如 230103")
    address = serializers.CharField(max_length=300, required=False)
    legal_representative = serializers.CharField(max_length=50)
    licence = serializers.FileField(help_text="营业执照扫描件（PDF、JPG 或 PNG）")
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=40)
    contact_email = serializers.EmailField(help_text="审核结果发到此邮箱")


class RegistrationInputSerializer(ApplicationInputSerializer):
    """A new company and the account of the person registering it."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True)
    password_again = serializers.CharField(write_only=True)


class ResubmissionInputSerializer(ApplicationInputSerializer):
    """A rejected company's corrected application: the kind and the code stay as registered;
    without a new licence scan the previous one is kept."""

    kind = None
    credit_code = None
    licence = serializers.FileField(required=False)


class RegisteredSerializer(serializers.Serializer):
    registration = RegistrationSerializer()
    token = serializers.CharField(
        help_text="The applicant's API token (Authorization: Token …), shown this once: read "
        "the application's state at /api/v1/registrations/mine/."
    )
