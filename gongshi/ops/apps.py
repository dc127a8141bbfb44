from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health and readiness, metrics, request ids and JSON logs, backup/restore."""

    name = "gongshi.ops"
    label = "ops"
