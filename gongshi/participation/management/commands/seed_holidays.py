"""``gongshi seed_holidays [YEAR ...]``: import public holidays from chinesecalendar."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongshi.participation.workdays import holiday_years, seed_from_package


class Command(BaseCommand):
    help = "从 chinesecalendar 导入法定节假日与调休安排（默认：软件包已有的全部年份，以及今年和明年）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("years", nargs="*", type=int, help="年份，如 2026 2027")
        parser.add_argument(
            "--keep-edits",
            action="store_true",
            help="已有记录的年份不再导入（保留管理员的修改）。",
        )

    def handle(self, *args, years: list[int], keep_edits: bool, **options) -> None:
        written = seed_from_package(years or None, only_empty_years=keep_edits)
        imported = sorted(year for year, count in written.items() if count)
        if imported:
            self.stdout.write(
                f"节假日安排：已导入 {_span(imported)} 年（共 {sum(written.values())} 天）。"
            )
        entered = holiday_years()
        if not imported:
            self.stdout.write(f"节假日安排：{_span(sorted(entered))} 年已有记录，未作修改。")
        missing = sorted(
            year for year, count in written.items() if not count and year not in entered
        )
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"节假日安排：chinesecalendar 尚无 {_span(missing)} 年的数据，"
                    "这些年份的答复期限只按周末推算；国务院公布后请在后台“节假日安排”中录入。"
                )
            )


def _span(years: list[int]) -> str:
    """2004–2026, or 2026、2027 when the years are not one run."""
    if not years:
        return "—"
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return "、".join(map(str, years))
