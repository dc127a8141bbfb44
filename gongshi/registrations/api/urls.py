from django.urls import path

from gongshi.registrations.api import views

urlpatterns = [
    path("registrations/mine/", views.mine, name="registrations-mine"),
]
