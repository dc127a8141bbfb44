from django.urls import path

from gongshi.workspace.views import buildings, excel, instances, items, projects

app_name = "workspace"

item = "p/<str:code>/items/<str:item_code>/"


def item_routes(prefix: str, name: str) -> list:
    """The routes of one item page; ``name`` prefixes their names ("instance_files" …)."""
    routes = [
        ("", items.item_detail, "item"),
        ("files/", items.item_files, "item_files"),
        ("files/<int:pk>/remove/", items.item_file_remove, "item_file_remove"),
        ("review/", items.item_review, "item_review"),
        ("correct/", items.item_correct, "item_correct"),
        ("withdraw/", items.item_withdraw, "item_withdraw"),
        ("not-applicable/", items.item_inapplicable, "item_inapplicable"),
        ("discard/", items.item_discard, "item_discard"),
        ("excel/template.xlsx", excel.template, "excel_template"),
        ("excel/export.xlsx", excel.export, "excel_export"),
        ("excel/import/", excel.import_rows, "excel_import"),
    ]

    def named(route: str) -> str:
        if not name:
            return route
        return name + route.removeprefix("item") if route.startswith("item") else f"{name}_{route}"

    return [path(prefix + suffix, view, name=named(route)) for suffix, view, route in routes]


urlpatterns = [
    path("", projects.index, name="index"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("p/<str:code>/", projects.project_detail, name="project"),
    path("p/<str:code>/edit/", projects.project_edit, name="project_edit"),
    path("p/<str:code>/units/", projects.units, name="units"),
    path("p/<str:code>/units/<int:pk>/remove/", projects.unit_remove, name="unit_remove"),
    path("p/<str:code>/stage/", projects.stage, name="stage"),
    path("p/<str:code>/plan/", projects.plan, name="plan"),
    path(item + "instances/new/", instances.add, name="instance_add"),
    path(item + "instances/required/", instances.required, name="instances_required"),
    path("p/<str:code>/buildings/", buildings.buildings, name="buildings"),
    path("p/<str:code>/buildings/template.xlsx", buildings.template, name="buildings_template"),
    path("p/<str:code>/buildings/import/", buildings.import_rows, name="buildings_import"),
    path("p/<str:code>/buildings/<int:pk>/remove/", buildings.remove, name="building_remove"),
    # Every item page, for the item (its first instance) and for each later instance.
    *item_routes(item, ""),
    *item_routes(item + "<int:instance>/", "instance"),
    path(item + "<int:instance>/edit/", instances.edit, name="instance_edit"),
]
