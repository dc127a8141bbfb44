from django.contrib import admin

from gongshi.catalogue.models import CatalogueItem, LocalRequirement


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
        "active",
    ]
    list_filter = ["category", "due_stage", "supplier", "applies_to", "requirement", "region"]
    search_fields = ["code", "title", "title_en"]
    autocomplete_fields = ["region"]


@admin.register(LocalRequirement)
class LocalRequirementAdmin(admin.ModelAdmin):
    list_display = ["region", "item", "requirement", "effective_from"]
    list_filter = ["requirement", "region"]
    search_fields = ["item__code", "item__title", "region__name"]
    autocomplete_fields = ["region", "item"]
