from django.contrib import admin

from gongshi.organisations.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "kind", "region", "registration_status"]
    list_filter = ["kind", "registration_status"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region"]
    inlines = [MembershipInline]
