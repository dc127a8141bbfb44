from django.urls import path

from gongshi.supervision import console, rectification_views, registration_views, views

app_name = "supervision"

urlpatterns = [
    path("records/", views.records, name="records"),
    path("e/<str:credit_code>/", views.enterprise_page, name="enterprise"),
    path(
        "records/<int:record_id>/rectification/",
        rectification_views.rectification,
        name="rectification",
    ),
    path("score/", views.score_formula, name="score"),
    path("score/p/<str:code>/", views.project_score, name="project_score"),
    path("supervision/", console.dashboard, name="dashboard"),
    path("supervision/dashboard.<str:fmt>", console.dashboard_export, name="dashboard_export"),
    path("supervision/projects/", console.project_list, name="projects"),
    path("supervision/enterprises/", views.enterprise_ranking, name="enterprise_ranking"),
    path("supervision/late/", console.late_items, name="late"),
    path("supervision/registrations/", registration_views.registrations, name="registrations"),
    path(
        "supervision/registrations/<int:pk>/",
        registration_views.registration,
        name="registration",
    ),
    path("supervision/overdue-questions/", console.overdue_questions, name="overdue_questions"),
    path("supervision/score-settings/", console.score_settings, name="score_settings"),
    path("supervision/checklist/", console.local_checklist, name="local_checklist"),
    path("supervision/p/<str:code>/", views.project_console, name="project"),
    path("supervision/e/<str:credit_code>/", views.enterprise_console, name="enterprise_console"),
    path(
        "supervision/e/<str:credit_code>/records/<int:record_id>/change/",
        views.change_enterprise_record,
        name="enterprise_change",
    ),
    path("supervision/p/<str:code>/stage-dates/", views.stage_dates, name="stage_dates"),
    path(
        "supervision/p/<str:code>/records/<int:record_id>/change/",
        views.change_record,
        name="change",
    ),
    path(
        "supervision/p/<str:code>/inspections/<int:inspection_id>/",
        views.record_inspection,
        name="inspection",
    ),
]
