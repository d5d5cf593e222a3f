from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from allas_site.topics.models import Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Temas")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug", "featured"]
    list_filter = ["featured", "locale"]
    search_fields = ["name"]


register_snippet(TopicViewSet)
