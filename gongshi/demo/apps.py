from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Realistic Heilongjiang demo data (演示数据): ``gongshi seed_demo``."""

    name = "gongshi.demo"
    verbose_name = _("演示数据")
