from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "allas_site.publications"
    label = "publications"
    verbose_name = _("Publicaciones")

    def ready(self):
        from allas_site.publications import signals

        signals.connect()
