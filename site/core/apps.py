from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "allas_site.core"
    label = "core"
    verbose_name = _("Sitio")

    def ready(self):
        from allas_site.core import member_state, page_tree, sites, view_restrictions

        sites.connect()
        page_tree.connect()
        view_restrictions.connect()
        member_state.connect()
