from django.contrib import admin

from gongshi.catalogue.models import CatalogueItem, LocalRequirement, WarrantyPart


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "category",
        "due_stage",
        "supplier",
        "applies_to",
        "requirement",
        "region",
        "repeatable",
        "active",
    ]
    list_filter = [
        "category",
        "due_stage",
        "supplier",
        "applies_to",
        "requirement",
        "repeatable",
        "region",
    ]
    search_fields = ["code", "title", "title_en"]
    autocomplete_fields = ["region"]


@admin.register(LocalRequirement)
class LocalRequirementAdmin(admin.ModelAdmin):
    list_display = ["region", "item", "requirement", "effective_from"]
    list_filter = ["requirement", "region"]
    search_fields = ["item__code", "item__title", "region__name"]
    autocomplete_fields = ["region", "item"]


@admin.register(WarrantyPart)
class WarrantyPartAdmin(admin.ModelAdmin):
    """The statutory periods: lengthened here, never shortened below the law (model.clean)."""

    list_display = ["title", "measure", "length", "basis"]
    readonly_fields = ["code", "measure"]
    fields = ["code", "title", "title_en", "measure", "length", "items", "basis", "sort_order"]
    filter_horizontal = ["items"]

    def has_add_permission(self, request) -> bool:
        return False  # the parts are the law's; only their periods and items are edited

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
