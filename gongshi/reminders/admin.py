from django.contrib import admin

from gongshi.reminders.models import NotificationPreference, ReminderDelivery, ReminderSent


class DeliveryInline(admin.TabularInline):
    model = ReminderDelivery
    extra = 0
    can_delete = False
    readonly_fields = [
        "channel",
        "address",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "delivered_at",
    ]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """The history, read only: what was sent is what happened."""

    list_display = ["created_at", "rule", "project", "recipient", "recipient_key", "due_on"]
    list_filter = ["rule"]
    list_select_related = ["project", "recipient"]
    search_fields = ["project__code", "project__name", "recipient__username", "object_key"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "sms", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__display_name"]
    raw_id_fields = ["user"]
