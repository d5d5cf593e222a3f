from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "allas_site.topics"
    label = "topics"
    verbose_name = _("Temas")
