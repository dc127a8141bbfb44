from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogueConfig(AppConfig):
    name = "gongshi.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        from gongshi.catalogue.builtin import ensure_builtin_catalogue
        from gongshi.catalogue.warranty import ensure_warranty_parts

        post_migrate.connect(
            ensure_builtin_catalogue,
            sender=self,
            dispatch_uid="gongshi.catalogue.ensure_builtin_catalogue",
        )
        # After the items, so the statutory periods can name the items that follow them.
        post_migrate.connect(
            ensure_warranty_parts,
            sender=self,
            dispatch_uid="gongshi.catalogue.ensure_warranty_parts",
        )
