from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongshi.supervision"
    label = "supervision"
