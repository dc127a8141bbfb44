from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from gongshi.catalogue.fields import validate_definitions, validate_scans
from gongshi.catalogue.models import CatalogueItem, LocalRequirement


class CatalogueItemForm(forms.ModelForm):
    class Meta:
        model = CatalogueItem
        fields = "__all__"

    def clean_fields(self):
        problems = validate_definitions(self.cleaned_data.get("fields"))
        if problems:
            raise ValidationError(problems)
        return self.cleaned_data["fields"]

    def clean_scans(self):
        problems = validate_scans(self.cleaned_data.get("scans"))
        if problems:
            raise ValidationError(problems)
        return self.cleaned_data["scans"]


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    form = CatalogueItemForm
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
