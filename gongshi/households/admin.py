from django.contrib import admin

from gongshi.households.models import (
    ArchivePhoto,
    FlatArchive,
    InspectionProblem,
    Measurement,
    ProblemEvent,
    SampleFlat,
    SampleRoom,
)


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0


class PhotoInline(admin.TabularInline):
    model = ArchivePhoto
    extra = 0
    raw_id_fields = ["file"]


@admin.register(FlatArchive)
class FlatArchiveAdmin(admin.ModelAdmin):
    # The owner's name, phone and contract number are not shown: they are read in the
    # developer's workspace only (encrypted at rest).
    list_display = ["code", "flat", "project", "published_at"]
    list_select_related = ["flat__building", "project"]
    search_fields = ["code", "project__code", "project__name"]
    raw_id_fields = ["flat", "project"]
    exclude = ["owner_name", "owner_phone", "contract_number"]
    inlines = [MeasurementInline, PhotoInline]


class EventInline(admin.TabularInline):
    model = ProblemEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "by_owner", "user", "note", "at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(InspectionProblem)
class InspectionProblemAdmin(admin.ModelAdmin):
    list_display = ["archive", "location", "status", "recorded_at"]
    list_filter = ["status"]
    raw_id_fields = ["archive", "photo"]
    inlines = [EventInline]


class RoomInline(admin.TabularInline):
    model = SampleRoom
    extra = 0
    readonly_fields = ["code"]
    exclude = ["project"]


@admin.register(SampleFlat)
class SampleFlatAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "layout"]
    raw_id_fields = ["project"]
    inlines = [RoomInline]

    def save_formset(self, request, form, formset, change):
        for room in formset.save(commit=False):
            room.project_id = form.instance.project_id
            room.save()
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()
