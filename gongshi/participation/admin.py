from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongshi.participation.models import (
    CalendarDay,
    DeadlineSetting,
    Delivery,
    EmailSubscription,
    Finding,
    OpenDay,
    Question,
    WebhookSubscription,
)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The holiday calendar: edit a date, and every open question's deadline follows."""

    list_display = ["date", "kind", "name", "from_package", "updated_at"]
    list_filter = ["kind", "from_package"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        obj.from_package = False
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        from gongshi.participation.checks import missing_holiday_years_message
        from gongshi.participation.workdays import years_missing_holidays

        years = years_missing_holidays()
        if years and request.method == "GET":
            messages.warning(request, missing_holiday_years_message(years))
        return super().changelist_view(request, extra_context)


@admin.register(DeadlineSetting)
class DeadlineSettingAdmin(admin.ModelAdmin):
    list_display = ["region", "working_days", "updated_by", "updated_at"]
    autocomplete_fields = ["region"]
    readonly_fields = ["updated_by"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Read-only; the contact is not here. Hiding and reading the contact (audit-logged)
    happen on the question's management page."""

    list_display = [
        "pk",
        "project",
        "kind",
        "asked_at",
        "answered_at",
        "resolution",
        "hidden_at",
        "manage",
    ]
    list_filter = ["kind", "resolution"]
    search_fields = ["project__name", "project__code", "body"]
    fields = [
        "project", "kind", "body", "asked_at", "deadline_working_days", "answer",
        "answered_at", "answered_by", "resolution", "resolution_at", "hidden_at",
        "hidden_reason", "hidden_by",
    ]  # fmt: skip
    readonly_fields = fields
    actions = ["export_askers_data"]

    @admin.action(description=_("导出所选问题提问人的全部个人信息（JSON，留痕）"))
    def export_askers_data(self, request, queryset):
        """A person's request, found through their question: everything stored for the contact
        they asked with (erasure is on /participation/admin/personal-data/)."""
        from django.core.exceptions import ValidationError

        from gongshi.participation import personal_data

        if queryset.count() != 1:
            self.message_user(
                request, _("请只选择一个问题：每次导出一位提问人的信息。"), messages.ERROR
            )
            return None
        try:
            person = personal_data.for_question(queryset.get())
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return None
        return personal_data.as_download(personal_data.export(person, request))

    @admin.display(description=_("管理"))
    def manage(self, obj):
        url = reverse("participation:admin_question", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("屏蔽 / 查看联系方式"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OpenDay)
class OpenDayAdmin(admin.ModelAdmin):
    list_display = ["project", "date", "place", "capacity", "report_published_at"]
    readonly_fields = ["report_published_at", "leaf_index"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["open_day", "result", "recorded_at", "responded_at", "closed_at"]
    list_filter = ["result"]
    readonly_fields = [f.name for f in Finding._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(EmailSubscription)
class EmailSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["project", "created_at", "confirmed_at", "unsubscribed_at"]
    exclude = ["email"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["project", "url", "confirmed_at", "failing_since", "removed_at"]
    exclude = ["secret", "challenge"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "attempts", "next_attempt_at", "delivered_at", "last_error"]
    list_filter = ["status"]
