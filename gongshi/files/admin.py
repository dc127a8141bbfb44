from django.contrib import admin

from gongshi.files.models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["sha256", "content_type", "size", "page_count", "created_at"]
    search_fields = ["sha256"]

    def has_change_permission(self, request, obj=None):
        return False
