from django.apps import AppConfig


class ScancheckConfig(AppConfig):
    name = "gongshi.scancheck"
    label = "scancheck"

    def ready(self) -> None:
        from gongshi.scancheck import signals  # noqa: F401
