from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongshi.accounts"
    label = "accounts"
