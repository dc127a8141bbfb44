"""``gongshi seed_demo``: load the Heilongjiang demo data (idempotent) and print the logins.

There is no ``--reset``: published versions are append-only (the database refuses to delete
them), so demo data cannot be removed safely; start from an empty database instead.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongshi.demo.data import DEMO_PASSWORD
from gongshi.demo.seed import SeedError, SeedReport, seed_demo
from gongshi.integrity.keys import ensure_demo_key


class Command(BaseCommand):
    help = _("载入黑龙江演示数据（可重复运行，不会重复创建），并列出演示账号。")

    def handle(self, *args, **options) -> None:
        try:
            ensure_demo_key()  # every publication goes into the signed log
            report = seed_demo()
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.print_summary(report)
        if report.changed_anything:  # /open-data/ has the demo's package, as after a night
            call_command("export_open_data", stdout=self.stdout)
        self.print_logins(report)

    def print_summary(self, report: SeedReport) -> None:
        if not report.changed_anything:
            self.stdout.write(
                _("演示数据已存在（%(n)d 个项目），未做任何更改。")
                % {"n": report.projects_existing}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "演示数据已载入：新建 %(projects)d 个项目、%(orgs)d 个单位、%(users)d 个账号；"
                    "公示 %(published)d 个版本（其中更正 %(corrections)d 个、撤回 %(withdrawals)d 个，"
                    "逾期公示 %(late)d 项），待审核/退回 %(pending)d 项，附件 %(files)d 个，"
                    "分户验收 %(rows)d 户；用时 %(seconds).1f 秒。"
                )
                % {
                    "projects": report.projects_created,
                    "orgs": report.organisations_created,
                    "users": report.users_created,
                    "published": report.published,
                    "corrections": report.corrections,
                    "withdrawals": report.withdrawals,
                    "late": report.late,
                    "pending": report.pending,
                    "files": report.files,
                    "rows": report.household_rows,
                    "seconds": report.seconds,
                }
            )
        )

    def print_logins(self, report: SeedReport) -> None:
        self.stdout.write("")
        self.stdout.write(_("演示账号（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD})
        width = max(len(user.username) for user in report.logins)
        for user in report.logins:
            self.stdout.write(
                f"  {user.username.ljust(width)}  {DEMO_PASSWORD}  {user.description}"
            )
        self.stdout.write(_("管理员和住建部门账号首次登录时须绑定动态口令（TOTP）验证器。"))
