from django.contrib import admin

from gongshi.disclosures.models import Disclosure, DisclosureVersion


class VersionInline(admin.TabularInline):
    model = DisclosureVersion
    fields = ["number", "kind", "status", "information_date", "published_at", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ["project", "item", "created_at"]
    search_fields = ["project__name", "project__code", "item__code", "item__title"]
    list_select_related = ["project", "item"]
    inlines = [VersionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
