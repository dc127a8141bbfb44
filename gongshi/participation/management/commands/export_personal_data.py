"""``gongshi export_personal_data CONTACT --by ADMIN``: everything stored for a phone number
or e-mail address, as JSON (a person's request; the export is in the audit log)."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongshi.participation import personal_data


def administrator(username: str):
    user = get_user_model().objects.filter(username=username, is_superuser=True).first()
    if user is None:
        raise CommandError(
            f"--by {username}: 不是平台管理员的用户名；导出和删除须以管理员名义进行。"
            f" / --by {username} is not an administrator's username."
        )
    return user


def person(contact: str) -> personal_data.PersonsData:
    try:
        return personal_data.find(contact)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from None


class Command(BaseCommand):
    help = "导出某个手机号或邮箱的全部个人信息（JSON，记入审计日志）。"

    def add_arguments(self, parser):
        parser.add_argument("contact", help="手机号或电子邮箱")
        parser.add_argument("--by", required=True, help="办理此申请的平台管理员用户名")
        parser.add_argument("--output", help="写入此文件（默认输出到标准输出）")

    def handle(self, *args, **options):
        document = personal_data.export(person(options["contact"]), administrator(options["by"]))
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                out.write(text + "\n")
            self.stderr.write(f"已写入 {options['output']}")
        else:
            self.stdout.write(text)
