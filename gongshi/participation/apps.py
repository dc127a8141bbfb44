from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Public participation (公众参与, guidance §6.2): questions, open days, following."""

    name = "gongshi.participation"
    label = "participation"
    verbose_name = _("公众参与")

    def ready(self) -> None:
        from gongshi.disclosures.models import DisclosureVersion
        from gongshi.participation import signals

        post_migrate.connect(signals.seed_calendar_after_migrate, sender=self)
        post_save.connect(
            signals.disclosure_version_saved,
            sender=DisclosureVersion,
            dispatch_uid="participation_disclosure_published",
        )
        from django.apps import apps

        if apps.is_installed("gongshi.supervision"):
            post_save.connect(
                signals.regulator_record_saved,
                sender="supervision.RegulatorRecord",
                dispatch_uid="participation_regulator_record",
            )
