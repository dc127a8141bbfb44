from django.urls import path

from gongshi.integrity import views

app_name = "integrity"

urlpatterns = [
    path("p/<str:code>/verify/", views.verify_project, name="verify"),
    path("log/public-key", views.public_key_text, name="public-key"),
    path("log/public-key.pem", views.public_key_pem, name="public-key-pem"),
]
