from django.urls import path

from gongshi.scancheck import views

app_name = "scancheck"

urlpatterns = [
    path("p/<str:code>/scan-flags/<int:pk>/confirm/", views.confirm, name="confirm"),
]
