from django.urls import path, re_path

from gongshi.integrity import views

app_name = "integrity"

urlpatterns = [
    path("p/<str:code>/verify/", views.verify_project, name="verify"),
    path("log/public-key", views.public_key_text, name="public-key"),
    path("log/public-key.pem", views.public_key_pem, name="public-key-pem"),
    # C2SP tlog-tiles, at the site's root (the log's prefix); nginx may serve an export.
    path("checkpoint", views.tlog_checkpoint, name="tlog-checkpoint"),
    re_path(r"^tile/(?P<path>.+)$", views.tlog_tile, name="tlog-tile"),
]
