from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongshi.core"
    label = "core"
