"""``gongshi erase_personal_data CONTACT --by ADMIN --reason TEXT``: anonymise or delete
everything stored for a phone number or e-mail address (a person's request; audit-logged)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongshi.participation import personal_data
from gongshi.participation.management.commands.export_personal_data import administrator, person


class Command(BaseCommand):
    help = "删除（匿名化）某个手机号或邮箱的全部个人信息，记入审计日志。"

    def add_arguments(self, parser):
        parser.add_argument("contact", help="手机号或电子邮箱")
        parser.add_argument("--by", required=True, help="办理此申请的平台管理员用户名")
        parser.add_argument("--reason", required=True, help="删除依据，如申请编号")

    def handle(self, *args, **options):
        try:
            counts = personal_data.erase(
                person(options["contact"]), administrator(options["by"]), reason=options["reason"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
