from django.urls import path

from gongshi.registrations import views

app_name = "registrations"

urlpatterns = [
    path("", views.register, name="register"),
    path("status/", views.status, name="status"),
]
