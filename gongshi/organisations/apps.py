from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "gongshi.organisations"
    label = "organisations"
