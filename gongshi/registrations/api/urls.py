from django.urls import path

from gongshi.registrations.api import views

urlpatterns = [
    path("registrations/", views.register, name="registrations"),
    path("registrations/mine/", views.mine, name="registrations-mine"),
    path("registrations/mine/resubmission/", views.resubmit, name="registrations-resubmission"),
]
