from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "gongshi.accounts"
    label = "accounts"


class GongshiAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with a site that requires TOTP (listed in INSTALLED_APPS instead)."""

    default = False  # not the default config of gongshi.accounts
    default_site = "gongshi.accounts.admin_site.GongshiAdminSite"
