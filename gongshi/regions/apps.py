from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegionsConfig(AppConfig):
    name = "gongshi.regions"
    label = "regions"

    def ready(self) -> None:
        from gongshi.regions.builtin import ensure_regions

        post_migrate.connect(
            ensure_regions, sender=self, dispatch_uid="gongshi.regions.ensure_regions"
        )
