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
