"""``gongshi purge_personal_data``: anonymise contacts and names past their retention period."""

from gongshi.core.jobs import PeriodicCommand
from gongshi.participation.retention import purge_personal_data


class Command(PeriodicCommand):
    help = "匿名化超过保存期限的提问人、开放日报名人联系方式和姓名（可重复运行）。"

    def run(self, *args, **options) -> None:
        counts = purge_personal_data()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
