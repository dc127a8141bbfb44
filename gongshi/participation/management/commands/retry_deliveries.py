"""``gongshi retry_deliveries``: queue follow deliveries whose retry time has come."""

from gongshi.core.jobs import PeriodicCommand
from gongshi.participation.tasks import queue_due_retries


class Command(PeriodicCommand):
    help = "将到期重试的关注推送重新加入后台任务队列。"

    def run(self, *args, **options) -> None:
        self.stdout.write(str(queue_due_retries()))
