from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from gongshi.catalogue.fields import validate_definitions
from gongshi.catalogue.models import CatalogueItem


class CatalogueItemForm(forms.ModelForm):
    class Meta:
        model = CatalogueItem
        fields = "__all__"

    def clean_fields(self):
        problems = validate_definitions(self.cleaned_data.get("fields"))
        if problems:
            raise ValidationError(problems)
        return self.cleaned_data["fields"]


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
    ]
    list_filter = ["category", "due_stage", "supplier", "applies_to", "requirement", "region"]
    search_fields = ["code", "title", "title_en"]
    autocomplete_fields = ["region"]
