from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "gongshi.disclosures"
    label = "disclosures"
