from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from gongshi.accounts.admin_site import NamedWidgetsMixin
from gongshi.accounts.models import User
from gongshi.organisations.models import Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(NamedWidgetsMixin, BaseUserAdmin):
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("公示平台"), {"fields": ["display_name", "preferred_language"]}),
    )
    inlines = [MembershipInline]
