from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "allas_site.accounts"
    label = "accounts"
    verbose_name = _("Cuentas y perfiles")

    def ready(self):
        from allas_site.accounts import signals  # noqa: F401 - connects allauth signals
