from django.contrib import admin

from gongshi.projects.models import Participation, Project


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
