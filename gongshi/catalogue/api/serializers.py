from rest_framework import serializers

from gongshi.catalogue.models import CatalogueItem


class CatalogueItemSerializer(serializers.ModelSerializer):
    # Empty (null) for the national catalogue; a region code for a local addition.
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = CatalogueItem
        fields = [
            "code",
            "title",
            "title_en",
            "category",
            "due_stage",
            "supplier",
            "applies_to",
            "requirement",
            "affordable_requirement",
            "scan_required",
            "scans",
            "scan_required_when",
            "repeatable",
            "covers_buildings",
            "fields",
            "description",
            "basis",
            "region",
            "effective_from",
        ]
