from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from allas_site.partners.models import Partner


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Socios")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "partner_type", "country", "city"]
    list_filter = ["partner_type", "locale"]
    search_fields = ["name", "city"]


register_snippet(PartnerViewSet)
