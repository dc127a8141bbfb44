from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminders before items and answers fall due, escalation to regulators, and the
    signed-in users' notifications (站内通知) with their chosen channels."""

    name = "gongshi.reminders"
    label = "reminders"
    verbose_name = _("提醒与通知")

    def ready(self) -> None:
        from gongshi.reminders import personal_data

        personal_data.connect()
