from rest_framework import serializers

from gongshi.core.choices import Stage
from gongshi.supervision.models import RectificationStep, RegulatorRecord


class RectificationStepSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    organisation_credit_code = serializers.CharField(
        source="organisation.credit_code", read_only=True
    )

    class Meta:
        model = RectificationStep
        fields = [
            "step",
            "text",
            "organisation",
            "organisation_credit_code",
            "leaf_index",
            "created_at",
        ]


class RegulatorRecordSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    subject = serializers.CharField(source="subject.name", read_only=True)
    subject_credit_code = serializers.CharField(source="subject.credit_code", read_only=True)
    regulator = serializers.CharField(source="regulator.name", read_only=True)
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True)
    is_current = serializers.BooleanField(
        read_only=True, help_text="No later record corrects, lifts or revokes this one."
    )
    rectification_steps = RectificationStepSerializer(
        many=True,
        read_only=True,
        help_text="Penalties and credit records: the rectification track (on the record that "
        "made the action; the deadline is rectify_by of the chain's current record).",
    )

    class Meta:
        model = RegulatorRecord
        fields = [
            "id",
            "kind",
            "event",
            "project",
            "project_name",
            "subject",
            "subject_credit_code",
            "regulator",
            "decided_on",
            "reason",
            "credit_incentive",
            "inspection_interval_days",
            "decision_number",
            "issuing_authority",
            "legal_basis",
            "content",
            "amount",
            "rectify_by",
            "rectification_steps",
            "supersedes",
            "is_current",
            "leaf_index",
            "created_at",
        ]


class EnterpriseProjectSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    city = serializers.CharField(source="region.city.name")
    region = serializers.CharField(source="region.code")
    stage = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), source="enterprise_roles")
    score = serializers.FloatField(help_text="Disclosure score 0–100 (see /score/).")
    first_publications = serializers.IntegerField()
    on_time_publications = serializers.IntegerField(
        help_text="First publications within the region's timeliness threshold."
    )
    questions_asked = serializers.IntegerField()
    open_questions = serializers.IntegerField(help_text="Visible questions not yet answered.")
    questions_overdue = serializers.IntegerField()


class EnterpriseSerializer(serializers.Serializer):
    credit_code = serializers.CharField(source="organisation.credit_code")
    name = serializers.CharField(source="organisation.name")
    kind = serializers.CharField(source="organisation.kind")
    region = serializers.CharField(source="organisation.region.code")
    average_score = serializers.FloatField(allow_null=True)
    projects = EnterpriseProjectSerializer(many=True)
    records = RegulatorRecordSerializer(many=True)


class EnterpriseRankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    projects = serializers.IntegerField(help_text="The developer's projects in the area.")
    average = serializers.FloatField(
        help_text="Average disclosure score of those projects (see /score/ for the formula)."
    )
    penalties = serializers.IntegerField(help_text="Penalties and credit records in force.")
    bad_conduct = serializers.IntegerField()
    key_supervision = serializers.IntegerField()
    commendations = serializers.IntegerField()


class StageCorrectionInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="更正原因（公开）")
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    started_on = serializers.DateField(required=False, allow_null=True)
    completion_accepted_on = serializers.DateField(required=False, allow_null=True)
    handed_over_on = serializers.DateField(required=False, allow_null=True)


class StageCorrectionSerializer(serializers.Serializer):
    project = serializers.CharField(source="project.code")
    regulator = serializers.CharField(source="regulator.name")
    reason = serializers.CharField()
    before = serializers.JSONField()
    after = serializers.JSONField()
    leaf_index = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
