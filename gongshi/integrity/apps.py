from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "gongshi.integrity"
    label = "integrity"
