from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Public participation (公众参与, guidance §6.2): questions, open days, following."""

    name = "gongshi.participation"
    label = "participation"
    verbose_name = _("公众参与")

    def ready(self) -> None:
        from django.core import checks as system_checks

        from gongshi.disclosures.models import DisclosureVersion
        from gongshi.participation import attachments, questions, signals, tasks
        from gongshi.participation.checks import holiday_calendar_check
        from gongshi.participation.models import CalendarDay
        from gongshi.participation.workdays import forget_holiday_years

        attachments.register()  # open-day photos are public files

        system_checks.register(holiday_calendar_check)
        post_migrate.connect(signals.seed_calendar_after_migrate, sender=self)
        # The years with holiday data are cached (provisional deadlines); an edit drops them.
        for signal in (post_save, post_delete):
            signal.connect(forget_holiday_years, sender=CalendarDay, dispatch_uid="calendar_years")
        # A question answered: first the followers' event, then the asker's notice is queued.
        questions.question_answered.connect(
            signals.question_answered, dispatch_uid="participation_question_event"
        )
        tasks.connect()
        post_save.connect(
            signals.disclosure_version_saved,
            sender=DisclosureVersion,
            dispatch_uid="participation_disclosure_published",
        )
        post_save.connect(
            signals.stage_correction_saved,
            sender="projects.StageCorrection",
            dispatch_uid="participation_stage_correction",
        )
        from django.apps import apps

        if apps.is_installed("gongshi.supervision"):
            post_save.connect(
                signals.regulator_record_saved,
                sender="supervision.RegulatorRecord",
                dispatch_uid="participation_regulator_record",
            )
