"""``gongshi retry_deliveries``: queue follow deliveries whose retry time has come."""

from django.core.management.base import BaseCommand

from gongshi.participation.follow import queue_due_retries


class Command(BaseCommand):
    help = "将到期重试的关注推送重新加入后台任务队列。"

    def handle(self, *args, **options) -> None:
        self.stdout.write(str(queue_due_retries()))
