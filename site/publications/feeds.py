"""RSS and Atom feeds of the collection, one per language (the URL prefix picks it)."""

from django.contrib.syndication.views import Feed
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale

from allas_site.core.navigation import absolute_url, localized_path
from allas_site.publications.models import PublicationPage


class PublicationsFeed(Feed):
    # Links are absolute on the public address: Django's Feed would otherwise prefix
    # relative ones with the request's host.

    def title(self):
        return _("Cuadernos y artículos de AL-LAs")

    def link(self):
        return absolute_url(localized_path("/cuadernos/"))

    def description(self):
        return _("Las últimas publicaciones de la Colección de Cuadernos de AL-LAs.")

    def feed_url(self):
        return absolute_url(localized_path("/cuadernos/feed.rss"))

    def language(self):
        return translation.get_language()

    def items(self):
        return list(
            PublicationPage.objects.published()
            .filter(locale=Locale.get_active())
            .select_related("locale")
            .prefetch_related("authors__person")
            .order_by("-publication_date", "-first_published_at")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.abstract or item.subtitle

    def item_link(self, item):
        return absolute_url(item)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return ", ".join(item.author_names) or "AL-LAs"

    def item_categories(self, item):
        return [item.get_publication_type_display()]


class PublicationsAtomFeed(PublicationsFeed):
    feed_type = Atom1Feed
    subtitle = PublicationsFeed.description

    def feed_url(self):
        return absolute_url(localized_path("/cuadernos/feed.atom"))
