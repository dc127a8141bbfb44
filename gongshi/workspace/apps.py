from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "gongshi.workspace"
    label = "workspace"
