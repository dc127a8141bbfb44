from django.urls import path

from gongshi.supervision import views

app_name = "supervision"

urlpatterns = [
    path("records/", views.records, name="records"),
    path("supervision/p/<str:code>/", views.project_console, name="project"),
    path("supervision/p/<str:code>/records/<int:record_id>/change/", views.change_record, name="change"),
    path(
        "supervision/p/<str:code>/inspections/<int:inspection_id>/", views.record_inspection, name="inspection"
    ),
]
