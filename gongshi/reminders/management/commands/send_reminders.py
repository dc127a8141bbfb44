"""``gongshi send_reminders``: today's reminders and escalations, each sent once."""

from gongshi.core.jobs import PeriodicCommand
from gongshi.reminders.sending import send_reminders


class Command(PeriodicCommand):
    help = "发送公示事项到期、逾期督办和咨询投诉答复期限的提醒（每条只发一次），并重试失败的投递。"

    def run(self, *args, **options) -> None:
        self.stdout.write(str(send_reminders()))
