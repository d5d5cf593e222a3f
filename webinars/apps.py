from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebinarsConfig(AppConfig):
    name = "webinars"
    label = "webinars"
    verbose_name = _("Webinars")

    def ready(self):
        from webinars import signals

        signals.connect()
