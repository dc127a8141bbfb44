from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "gongshi.catalogue"
    label = "catalogue"
