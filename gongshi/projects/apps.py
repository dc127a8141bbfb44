from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "gongshi.projects"
    label = "projects"
