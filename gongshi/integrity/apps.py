from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "gongshi.integrity"
    label = "integrity"

    def ready(self) -> None:
        from gongshi.integrity import tasks

        tasks.connect()
