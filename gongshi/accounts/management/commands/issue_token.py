"""``gongshi issue_token USERNAME``: print the user's API token, creating it if missing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "打印用户的 API 令牌（没有则创建），用于 Authorization: Token … 请求头。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(
                f"找不到用户名为“{username}”的用户。请检查拼写，"
                "或先在管理后台（/admin/）或用 `gongshi createsuperuser` 创建该用户。"
            ) from None
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能签发令牌。请先在管理后台启用该用户。")
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
