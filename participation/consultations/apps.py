from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "participation.consultations"
    label = "consultations"
    verbose_name = _("Consultas multiactor")

    def ready(self):
        from participation.consultations import signals

        signals.connect()
