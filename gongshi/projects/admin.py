from django.contrib import admin

from gongshi.projects.models import Building, Flat, Participation, Project, StageCorrection


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "region",
        "developer",
        "stage",
        "housing_type",
        "delivery_standard",
    ]
    list_filter = ["stage", "housing_type", "delivery_standard"]
    search_fields = ["code", "name", "address", "developer__name"]
    autocomplete_fields = ["region", "developer"]
    readonly_fields = ["code"]
    inlines = [ParticipationInline]


class FlatInline(admin.TabularInline):
    model = Flat
    extra = 0


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "units", "floors_above", "household_count"]
    search_fields = ["name", "project__name", "project__code"]
    autocomplete_fields = ["project"]
    inlines = [FlatInline]


@admin.register(StageCorrection)
class StageCorrectionAdmin(admin.ModelAdmin):
    """Regulators' corrections of stage dates: logged events, read here, never edited."""

    list_display = ["project", "regulator", "created_at", "leaf_index"]
    search_fields = ["project__code", "project__name", "reason"]

    def has_add_permission(self, request) -> bool:
        return False  # made through supervision.stage_dates only (logged)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
