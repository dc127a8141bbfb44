"""``gongshi totp_code USERNAME``: the code the user's authenticator app shows right now.

For demos and support. It reveals nothing new: whoever can run this command can read the
TOTP keys in the database anyway.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongshi.accounts.totp import current_code


class Command(BaseCommand):
    help = "打印用户身份验证器当前显示的 6 位验证码（用于演示和技术支持）。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"找不到用户名为“{username}”的用户。请检查拼写。")
        # The confirmed device if there is one, else the one shown during enrolment.
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id").first()
        if device is None:
            raise CommandError(
                f"用户“{username}”还没有两步验证设备：请先用密码登录一次，"
                "出现二维码页面后再运行此命令。"
            )
        self.stdout.write(current_code(device))
