from django.urls import path

from gongshi.workspace.api import views
from gongshi.workspace.api.views import buildings, instances

base = "workspace/projects/<str:code>/"
item = base + "items/<str:item_code>/"
instance = item + "instances/<int:number>/"

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
    # Instances of a repeatable item; the item's own paths above act on its first instance.
    path(item + "instances/", instances.instances, name="workspace-instances"),
    path(item + "instances/required/", instances.required, name="workspace-instances-required"),
    path(instance, instances.instance, name="workspace-instance"),
    path(instance + "versions/", instances.instance_versions, name="workspace-instance-versions"),
    path(instance + "withdraw/", instances.instance_withdraw, name="workspace-instance-withdraw"),
    path(base + "buildings/", buildings.buildings, name="workspace-buildings"),
    path(base + "buildings/import/", buildings.buildings_import, name="workspace-buildings-import"),
    path(base + "buildings/<int:pk>/", buildings.building, name="workspace-building"),
    path(base + "versions/<int:pk>/", views.version, name="workspace-version"),
    path(base + "versions/<int:pk>/files/", views.version_files, name="workspace-version-files"),
    path(base + "versions/<int:pk>/submit/", views.version_submit, name="workspace-version-submit"),
    path(
        base + "versions/<int:pk>/approve/", views.version_approve, name="workspace-version-approve"
    ),
    path(base + "versions/<int:pk>/return/", views.version_return, name="workspace-version-return"),
]
