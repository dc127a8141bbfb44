from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    """One archive per household (一户一档) and the sample flat's room labels (样板间)."""

    name = "gongshi.households"
    label = "households"
    verbose_name = _("一户一档")

    def ready(self) -> None:
        from gongshi.households import attachments

        attachments.register()  # archive photos are public once published; problems' are not
