from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "gongshi.files"
    label = "files"
