import django_filters
from rest_framework import viewsets

from gongshi.catalogue.api.serializers import CatalogueItemSerializer
from gongshi.catalogue.models import CatalogueItem


class CatalogueItemFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code", label="region code (local items)")

    class Meta:
        model = CatalogueItem
        fields = ["category", "due_stage", "supplier", "applies_to", "requirement"]


class CatalogueItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The disclosure catalogue: every item, its stage, supplier and field definitions."""

    queryset = CatalogueItem.objects.filter(active=True).select_related("region")
    serializer_class = CatalogueItemSerializer
    filterset_class = CatalogueItemFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9_.]+"  # codes are dotted: procedure.planning_permit
    pagination_class = None
