from django.urls import path

from gongshi.workspace.api import views

base = "workspace/projects/<str:code>/"

urlpatterns = [
    path("workspace/projects/", views.projects, name="workspace-projects"),
    path(base, views.project, name="workspace-project"),
    path(base + "units/", views.units, name="workspace-units"),
    path(base + "invitations/", views.invitations, name="workspace-invitations"),
    path(base + "stage/", views.stage, name="workspace-stage"),
    path(base + "plan/", views.plan, name="workspace-plan"),
    path(base + "checklist/", views.checklist, name="workspace-checklist"),
    path(base + "items/<str:item_code>/versions/", views.versions, name="workspace-versions"),
    path(base + "items/<str:item_code>/withdraw/", views.withdraw, name="workspace-withdraw"),
    path(
        base + "items/<str:item_code>/not-applicable/",
        views.not_applicable,
        name="workspace-not-applicable",
    ),
    path(base + "versions/<int:pk>/", views.version, name="workspace-version"),
    path(base + "versions/<int:pk>/files/", views.version_files, name="workspace-version-files"),
    path(base + "versions/<int:pk>/submit/", views.version_submit, name="workspace-version-submit"),
    path(
        base + "versions/<int:pk>/approve/", views.version_approve, name="workspace-version-approve"
    ),
    path(base + "versions/<int:pk>/return/", views.version_return, name="workspace-version-return"),
]
