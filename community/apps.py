from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    label = "community"
    verbose_name = _("Café con AL-LAs")

    def ready(self):
        from community import page_cache, read_marks, reading

        page_cache.connect()
        read_marks.connect()
        reading.connect()
