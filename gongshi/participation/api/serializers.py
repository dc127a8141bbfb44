"""API shapes. The asker's contact appears in none of them."""

from __future__ import annotations

from rest_framework import serializers

from gongshi.participation.models import FindingResult, QuestionKind
from gongshi.participation.workdays import PROVISIONAL_DEADLINE_NOTE


class ContactSerializer(serializers.Serializer):
    contact = serializers.CharField(max_length=254, help_text="电子邮箱或 11 位手机号码")


class VerificationSentSerializer(serializers.Serializer):
    contact_kind = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ConfirmSerializer(serializers.Serializer):
    contact = serializers.CharField(max_length=254)
    code = serializers.CharField(max_length=6, help_text="收到的 6 位验证码")


class VerificationTokenSerializer(serializers.Serializer):
    verification_token = serializers.CharField(help_text="24 小时内提问、报名时使用")
    expires_at = serializers.DateTimeField()


class AskSerializer(serializers.Serializer):
    verification_token = serializers.CharField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices, default=QuestionKind.QUESTION)
    body = serializers.CharField(max_length=2000)


class QuestionSerializer(serializers.Serializer):
    """A question as the public sees it; a hidden one keeps only its times and the reason."""

    id = serializers.IntegerField(source="question.pk")
    kind = serializers.CharField(source="question.kind")
    hidden = serializers.BooleanField(source="question.is_hidden")
    hidden_reason = serializers.CharField(source="question.hidden_reason")
    body = serializers.SerializerMethodField()
    asked_at = serializers.DateTimeField(source="question.asked_at")
    deadline_working_days = serializers.IntegerField(source="question.deadline_working_days")
    deadline = serializers.DateField(help_text="答复期限（当地日期，含当天）")
    deadline_provisional = serializers.BooleanField(
        source="provisional",
        help_text="期限跨入尚未录入节假日安排的年份：按周末推算，录入后可能调整",
    )
    deadline_note = serializers.SerializerMethodField(
        help_text="期限为暂定时的说明（用户所选语言），否则为空"
    )
    status = serializers.CharField(help_text="waiting / overdue / answered / answered_late")
    overdue = serializers.BooleanField(source="is_overdue")
    answer = serializers.SerializerMethodField()
    answered_at = serializers.DateTimeField(source="question.answered_at")
    resolution = serializers.CharField(
        source="question.resolution", help_text="'' 未评价 / resolved / not_resolved"
    )

    def get_deadline_note(self, state) -> str | None:
        return str(PROVISIONAL_DEADLINE_NOTE) if state.provisional else None

    def get_body(self, state) -> str | None:
        return None if state.question.is_hidden else state.question.body

    def get_answer(self, state) -> str | None:
        return None if state.question.is_hidden else (state.question.answer or None)


class AskedSerializer(QuestionSerializer):
    asker_token = serializers.SerializerMethodField(
        help_text="提问人专用凭证，只返回这一次；用于评价答复是否解决问题"
    )

    def get_asker_token(self, state) -> str:
        return self.context["asker_token"]


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)


class ResolutionSerializer(serializers.Serializer):
    asker_token = serializers.CharField()
    resolved = serializers.BooleanField()


class FindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.CharField(source="version.disclosure.item.code")
    version = serializers.IntegerField(source="version.number")
    result = serializers.ChoiceField(choices=FindingResult.choices)
    note = serializers.CharField()
    photos = serializers.SerializerMethodField()
    developer_response = serializers.CharField()
    responded_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField()
    open = serializers.BooleanField(source="is_open_discrepancy")

    def get_photos(self, finding) -> list[str]:
        return [p.file.sha256 for p in finding.photos.all()]


class OpenDaySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    place = serializers.CharField()
    stage_of_work = serializers.CharField()
    capacity = serializers.IntegerField()
    registered = serializers.IntegerField()
    showing = serializers.CharField()
    report_published_at = serializers.DateTimeField()
    attendance = serializers.IntegerField()
    report_summary = serializers.CharField()
    findings = serializers.SerializerMethodField()

    def get_findings(self, day) -> list[dict]:
        return FindingSerializer(day.findings.all(), many=True).data


class WebhookCreateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500)


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    created_at = serializers.DateTimeField()
    confirmed = serializers.BooleanField(
        source="is_confirmed", help_text="回调地址已原样返回 challenge；此后才推送事件"
    )
    confirmed_at = serializers.DateTimeField()
    failing = serializers.BooleanField(source="is_failing")
    failing_since = serializers.DateTimeField()
    last_error = serializers.CharField()


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(help_text="HMAC-SHA256 签名密钥，只返回这一次")
    manage_token = serializers.SerializerMethodField(help_text="查看状态或删除订阅时使用")

    def get_manage_token(self, subscription) -> str:
        return self.context["manage_token"]


class EmailSubscribeSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
