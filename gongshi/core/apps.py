from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongshi.core"
    label = "core"

    def ready(self) -> None:
        from gongshi.core import checks  # noqa: F401  (registers the deploy checks)
