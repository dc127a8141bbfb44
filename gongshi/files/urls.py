from django.urls import path, register_converter

from gongshi.files import views


class Sha256Converter:
    regex = "[0-9a-f]{64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Sha256Converter, "sha256")

app_name = "files"

urlpatterns = [
    path("<sha256:sha256>/", views.download, name="download"),
    path("<sha256:sha256>/preview.png", views.preview, name="preview"),
]
