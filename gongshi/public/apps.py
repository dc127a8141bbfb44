from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "gongshi.public"
    label = "public"
