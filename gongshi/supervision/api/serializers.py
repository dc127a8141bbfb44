from rest_framework import serializers

from gongshi.core.choices import Stage
from gongshi.supervision.models import (
    ActionKind,
    RecordEvent,
    RectificationStep,
    RegulatorRecord,
)


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
    rectification_state = serializers.SerializerMethodField(
        help_text="Penalties and credit records with a deadline, on the record that made the "
        "action: due, overdue, reported, rejected or accepted; null otherwise."
    )
    developer_disclosure = serializers.SerializerMethodField(
        help_text="Penalties and credit punishments in force: whether the developer's published "
        "disclosure (catalogue item other.penalties, §4.6) lists the decision — listed, none "
        "(it answered 无), not_listed (the decision number is missing) or not_published; "
        "null for other records."
    )

    def get_rectification_state(self, record) -> str | None:
        track = getattr(record, "track", None)
        return track["state"].code if track else None

    def get_developer_disclosure(self, record) -> str | None:
        return getattr(record, "developer_disclosure", None)

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
            "rectification_state",
            "developer_disclosure",
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
    complaint_frequency = serializers.FloatField(
        allow_null=True,
        help_text="Questions and complaints about those projects per 10,000 m² of their total "
        "floor area (null when no floor area is recorded).",
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


# --- The regulator's console --------------------------------------------------------------


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="GB/T 2260 code")
    name = serializers.CharField()
    level = serializers.CharField(help_text="province / prefecture / county")


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.FloatField()
    drill = serializers.CharField(
        help_text="Query string for /api/v1/supervision/projects/ listing the projects behind "
        "the figure ('' when the figure has no drill-down)."
    )


class DashboardTotalsSerializer(serializers.Serializer):
    projects = serializers.IntegerField()
    average_completeness = serializers.FloatField(allow_null=True, help_text="0–1")
    missing_required = serializers.IntegerField(help_text="Projects missing a required item.")
    late_publications = serializers.IntegerField()
    complaints_per_project = serializers.FloatField(allow_null=True)
    complaints_per_10k_m2 = serializers.FloatField(allow_null=True)
    open_discrepancies = serializers.IntegerField()
    overdue_inspections = serializers.IntegerField()
    online_required = serializers.IntegerField()
    without_open_day = serializers.IntegerField()
    scan_mismatches = serializers.IntegerField()
    stale_boards = serializers.IntegerField()
    pending_registrations = serializers.IntegerField()
    answered_rate = serializers.FloatField(allow_null=True, help_text="0–1")
    resolved_rate = serializers.FloatField(allow_null=True, help_text="0–1")


class TrendSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    publications = serializers.IntegerField()
    questions = serializers.IntegerField()


class CityComparisonSerializer(serializers.Serializer):
    city = serializers.CharField(source="city.code")
    name = serializers.CharField(source="city.name")
    projects = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True, help_text="Average completeness, 0–1.")
    missing = serializers.IntegerField()
    late = serializers.IntegerField()
    complaints = serializers.IntegerField()
    drill = serializers.SerializerMethodField(
        help_text="Query string: the dashboard of this city (?region=) ."
    )

    def get_drill(self, row) -> str:
        return f"region={row['city'].code}"


class SubregionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    today = serializers.DateField()
    months = serializers.IntegerField(help_text="Months covered by the trends.")
    totals = DashboardTotalsSerializer()
    by_stage = FigureSerializer(many=True)
    by_type = FigureSerializer(many=True)
    completeness = FigureSerializer(many=True)
    timeliness = FigureSerializer(many=True)
    questions = FigureSerializer(many=True)
    trends = TrendSerializer(many=True)
    by_city = CityComparisonSerializer(
        many=True, help_text="The province's cities side by side (empty below the province)."
    )
    subregions = SubregionSerializer(
        many=True, help_text="The regions one level down, for drilling into (?region=code)."
    )


class ConsoleProjectSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField(source="region.code")
    region_name = serializers.SerializerMethodField()
    stage = serializers.CharField()
    housing_type = serializers.CharField()
    delivery_standard = serializers.CharField()
    developer = serializers.CharField(source="developer.name")
    developer_credit_code = serializers.CharField(source="developer.credit_code")
    completeness = serializers.FloatField(help_text="0–1")
    score = serializers.FloatField(help_text="Disclosure score 0–100 (see /score/).")
    questions_asked = serializers.IntegerField()
    questions_overdue = serializers.IntegerField()
    open_discrepancies = serializers.IntegerField()
    floor_area = serializers.FloatField(help_text="Total floor area, m².")
    questions_per_10k = serializers.FloatField(
        help_text="Questions and complaints per 10,000 m² of floor area (Hefei's practice); "
        "above GONGSHI_COMPLAINT_FREQUENCY_THRESHOLD a project is proposed for key supervision."
    )
    next_inspection = serializers.DateField(
        allow_null=True,
        default=None,
        help_text="worklist=inspections_due only: when the project is next due for inspection.",
    )
    key_supervised = serializers.BooleanField(
        allow_null=True,
        default=None,
        help_text="worklist=inspections_due only: the date comes from a key-supervision plan.",
    )
    inspection_overdue = serializers.BooleanField(
        allow_null=True, default=None, help_text="worklist=inspections_due only."
    )
    undisclosed_penalties = serializers.SerializerMethodField(
        help_text="worklist=undisclosed_penalties only: the recorded penalties or credit "
        "punishments the developer's published disclosure (other.penalties) misses, with what "
        "it says (developer_answer: none = 无, not_listed = the decision number is not listed)."
    )

    def get_undisclosed_penalties(self, project) -> list[dict] | None:
        findings = getattr(project, "undisclosed_penalties", None)
        return None if findings is None else [f.as_dict() for f in findings]

    def get_region_name(self, project) -> str:
        parent = project.region.parent
        return f"{parent.name if parent else ''}{project.region.name}"


class LateItemSerializer(serializers.Serializer):
    project = serializers.CharField(source="project.code")
    project_name = serializers.CharField(source="project.name")
    item = serializers.CharField(source="item.code")
    item_title = serializers.CharField(source="item.display_title")
    instance = serializers.IntegerField()
    first_information_date = serializers.DateField(allow_null=True)
    first_published_at = serializers.DateTimeField()
    first_timeliness_days = serializers.IntegerField(
        help_text="Days from the information's date to its first publication."
    )


class OverdueQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.CharField(source="project.code")
    project_name = serializers.CharField(source="project.name")
    kind = serializers.CharField()
    body = serializers.CharField()
    asked_at = serializers.DateTimeField()
    deadline_working_days = serializers.IntegerField()


class InspectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.CharField(source="project.code")
    project_name = serializers.CharField(source="project.name")
    record = serializers.IntegerField(
        source="record_id", help_text="The key-supervision record the inspection follows."
    )
    scheduled_on = serializers.DateField()
    performed_on = serializers.DateField(allow_null=True)
    findings = serializers.CharField()
    inspector = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField(
        help_text="planned / overdue / performed / cancelled (its decision lifted or revoked)"
    )

    def get_inspector(self, inspection) -> str | None:
        user = inspection.inspector
        return (user.get_full_name() or user.username) if user else None

    def get_status(self, inspection) -> str:
        if inspection.performed_on is not None:
            return "performed"
        if inspection.record_id not in self.context["in_force"]:
            return "cancelled"
        return "overdue" if inspection.is_overdue(self.context["today"]) else "planned"


class InspectionResultInputSerializer(serializers.Serializer):
    performed_on = serializers.DateField(help_text="实际检查日期")
    findings = serializers.CharField(
        max_length=4000, help_text="检查发现（公开；没有问题也请写明）"
    )


class InspectionResultSerializer(serializers.Serializer):
    performed = InspectionSerializer()
    next = InspectionSerializer(
        allow_null=True, help_text="The next inspection, while key supervision is in force."
    )


class SubjectSerializer(serializers.Serializer):
    credit_code = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(help_text="developer, or the unit's role on the project")


class ConsoleProjectDetailSerializer(serializers.Serializer):
    project = ConsoleProjectSerializer()
    subjects = SubjectSerializer(
        many=True, help_text="Who a record can be about: the developer and the project's units."
    )
    records = RegulatorRecordSerializer(many=True)
    inspections = InspectionSerializer(many=True)


class ActionInputSerializer(serializers.Serializer):
    """A new record. The penalty particulars go with the penalty kinds only."""

    kind = serializers.ChoiceField(choices=ActionKind.choices)
    subject = serializers.CharField(
        help_text="Credit code of the developer or of a participating unit of the project."
    )
    decided_on = serializers.DateField()
    reason = serializers.CharField(max_length=4000, help_text="事由（公开）")
    credit_incentive = serializers.CharField(
        required=False, max_length=300, help_text="信用激励措施（通报表扬必填）"
    )
    inspection_interval_days = serializers.IntegerField(
        required=False, min_value=1, max_value=365, help_text="检查频次（天，重点监管必填）"
    )
    decision_number = serializers.CharField(
        required=False, max_length=100, help_text="决定书文号（行政处罚必填）"
    )
    issuing_authority = serializers.CharField(
        required=False, max_length=200, help_text="作出机关（默认本部门）"
    )
    legal_basis = serializers.CharField(
        required=False, max_length=2000, help_text="法律依据（行政处罚必填）"
    )
    content = serializers.CharField(
        required=False, max_length=4000, help_text="处罚或惩戒内容（行政处罚必填）"
    )
    amount = serializers.DecimalField(
        required=False, max_digits=14, decimal_places=2, min_value=0, help_text="罚款金额（元）"
    )
    rectify_by = serializers.DateField(required=False, help_text="整改期限（责令整改必填）")


class ChangeInputSerializer(serializers.Serializer):
    """Correct, lift or revoke the current record of an action (a new record superseding it)."""

    event = serializers.ChoiceField(choices=[c for c in RecordEvent.choices if c[0] != "made"])
    decided_on = serializers.DateField()
    reason = serializers.CharField(max_length=4000, help_text="原因（公开）")
    credit_incentive = serializers.CharField(required=False, max_length=300)
    inspection_interval_days = serializers.IntegerField(required=False, min_value=1, max_value=365)
    rectify_by = serializers.DateField(
        required=False, help_text="A correction of a penalty or credit record may move it."
    )


class ReviewInputSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="true 验收通过 / false 退回重新整改")
    text = serializers.CharField(max_length=4000, help_text="验收意见（公开）")
