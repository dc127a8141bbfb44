from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "gongshi.public"
    label = "public"

    def ready(self) -> None:
        from gongshi.public import stamps

        stamps.connect()
