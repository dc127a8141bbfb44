from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "gongshi.opendata"
    label = "opendata"
