from django.contrib.auth import views as auth_views
from django.urls import path

from gongshi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/otp/setup/", views.otp_setup, name="otp_setup"),
    path("login/otp/", views.otp_verify, name="otp_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
