from django.urls import path

from gongshi.households.views import developer, owner, public

app_name = "households"

# The printed addresses: stable interfaces like /p/<code>/ (docs/architecture.md).
flat = "p/<str:code>/h/<str:flat>/"
ws = "workspace/p/<str:code>/"

urlpatterns = [
    # Everyone
    path(flat, public.flat, name="flat"),
    path("p/<str:code>/s/<str:room>/", public.room, name="room"),
    # The owner
    path(flat + "owner/", owner.inspection, name="owner"),
    path(flat + "owner/contract/", owner.verify_contract, name="owner_contract"),
    path(flat + "owner/code/", owner.send_code, name="owner_code"),
    path(flat + "owner/confirm/", owner.confirm_code, name="owner_confirm"),
    path(flat + "owner/problems/<int:pk>/decide/", owner.decide, name="owner_decide"),
    path(flat + "owner/problems/<int:pk>/photo/", owner.photo, name="owner_photo"),
    # The developer
    path(ws + "flats/", developer.flat_list, name="dev_flats"),
    path(ws + "flats/import/", developer.flat_import, name="dev_import"),
    path(ws + "flats/template.xlsx", developer.flat_template, name="dev_template"),
    path(ws + "flats/sheets.pdf", developer.flat_sheets, name="dev_sheets"),
    path(ws + "flats/sheets/", developer.flat_sheets_export, name="dev_sheets_export"),
    path(ws + "flats/sheets/<int:pk>.pdf", developer.flat_sheets_download, name="dev_sheets_file"),
    path(ws + "flats/<str:flat>/", developer.flat_detail, name="dev_flat"),
    path(ws + "problems/<int:pk>/answer/", developer.answer, name="dev_answer"),
    path(ws + "samples/", developer.sample_list, name="dev_samples"),
    path(ws + "samples/labels.pdf", developer.sample_labels, name="dev_labels"),
]
