from django.urls import path

from gongshi.opendata import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.page, name="page"),
    path("open-data/gongshi-open-data.zip", views.download, name="download"),
]
