from django.contrib import admin

from gongshi.registrations.models import Invitation, Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "organisation__credit_code"]
    raw_id_fields = ["organisation", "applicant", "licence", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "role", "project", "created_at", "accepted_at"]
    search_fields = ["name", "credit_code", "project__name"]
    raw_id_fields = ["project", "invited_by"]
