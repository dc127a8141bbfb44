from rest_framework import serializers

from gongshi.supervision.models import RegulatorRecord


class RegulatorRecordSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    subject = serializers.CharField(source="subject.name", read_only=True)
    subject_credit_code = serializers.CharField(source="subject.credit_code", read_only=True)
    regulator = serializers.CharField(source="regulator.name", read_only=True)
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True)
    is_current = serializers.BooleanField(
        read_only=True, help_text="No later record corrects or lifts this one."
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
            "supersedes",
            "is_current",
            "leaf_index",
            "created_at",
        ]
