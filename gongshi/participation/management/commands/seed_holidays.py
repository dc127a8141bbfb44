"""``gongshi seed_holidays [YEAR ...]``: import public holidays from chinesecalendar."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongshi.participation.workdays import seed_from_package


class Command(BaseCommand):
    help = "从 chinesecalendar 导入法定节假日与调休安排（默认今年和明年）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("years", nargs="*", type=int, help="年份，如 2026 2027")
        parser.add_argument(
            "--keep-edits",
            action="store_true",
            help="已有记录的年份不再导入（保留管理员的修改）。",
        )

    def handle(self, *args, years: list[int], keep_edits: bool, **options) -> None:
        written = seed_from_package(years or None, only_empty_years=keep_edits)
        for year, count in sorted(written.items()):
            if count:
                self.stdout.write(f"{year}: {count}")
            else:
                self.stdout.write(
                    self.style.WARNING(
                        f"{year}: chinesecalendar 尚无该年数据，请在后台“节假日安排”中录入。"
                    )
                )
