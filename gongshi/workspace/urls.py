from django.urls import path

from gongshi.workspace.views import excel, items, projects

app_name = "workspace"

item = "p/<str:code>/items/<str:item_code>/"

urlpatterns = [
    path("", projects.index, name="index"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("p/<str:code>/", projects.project_detail, name="project"),
    path("p/<str:code>/edit/", projects.project_edit, name="project_edit"),
    path("p/<str:code>/units/", projects.units, name="units"),
    path("p/<str:code>/units/<int:pk>/remove/", projects.unit_remove, name="unit_remove"),
    path("p/<str:code>/stage/", projects.stage, name="stage"),
    path("p/<str:code>/plan/", projects.plan, name="plan"),
    path(item, items.item_detail, name="item"),
    path(item + "files/", items.item_files, name="item_files"),
    path(item + "files/<int:pk>/remove/", items.item_file_remove, name="item_file_remove"),
    path(item + "review/", items.item_review, name="item_review"),
    path(item + "correct/", items.item_correct, name="item_correct"),
    path(item + "withdraw/", items.item_withdraw, name="item_withdraw"),
    path(item + "not-applicable/", items.item_inapplicable, name="item_inapplicable"),
    path(item + "discard/", items.item_discard, name="item_discard"),
    path(item + "excel/template.xlsx", excel.template, name="excel_template"),
    path(item + "excel/export.xlsx", excel.export, name="excel_export"),
    path(item + "excel/import/", excel.import_rows, name="excel_import"),
]
