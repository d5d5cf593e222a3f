"""Home slots, demo content, the page cache marker and the downloads report."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from allas_site.core import page_cache
from allas_site.core.home_sections import HomeSection, shared_section
from allas_site.core.navigation import localized_path
from allas_site.publications.models import EditionDownload

# Four covers fill a row of the home page at desktop width and two rows of two on a phone.
HOME_PUBLICATIONS = 4

hooks.register("before_serve_page", page_cache.mark_page_cacheable)


@hooks.register("allas_home_section")
@shared_section
def latest_cuadernos_section(request, home_page):
    from allas_site.publications.listing import sort_publications
    from allas_site.publications.models import PublicationPage

    publications = list(
        sort_publications(
            PublicationPage.objects.published()
            .filter(locale_id=home_page.locale_id)
            .for_listing(),
            "recientes",
        )[:HOME_PUBLICATIONS]
    )
    if not publications:
        return None
    return HomeSection(
        key="cuadernos",
        title=_("Últimos Cuadernos"),
        template="components/publications/home_latest.html",
        context={"publications": publications},
        order=10,
        more_url=localized_path("/cuadernos/"),
        more_label=_("Toda la colección"),
    )


@hooks.register("allas_home_section")
@shared_section
def messages_section(request, home_page):
    """The twelve messages page of the home page's language (translation or alias)."""
    from allas_site.publications.models import MessagesPage

    page = MessagesPage.objects.live().public().child_of(home_page).first()
    url = page.get_url(request) if page else None
    if not url:
        return None
    return HomeSection(
        key="mensajes",
        title=_("Los doce mensajes de AL-LAs"),
        template="components/publications/home_messages.html",
        context={"page": page, "url": url},
        order=20,
        more_url=url,
        more_label=_("Leer los doce mensajes"),
    )


@hooks.register("allas_home_section")
@shared_section
def featured_topics_section(request, home_page):
    from allas_site.topics.models import Topic

    topics = list(Topic.objects.filter(locale_id=home_page.locale_id, featured=True))
    if not topics:
        return None
    return HomeSection(
        key="temas",
        title=_("Temas destacados"),
        template="components/publications/home_topics.html",
        context={"topics": topics},
        order=50,
        more_url=localized_path("/temas/"),
        more_label=_("Todos los temas"),
    )


@hooks.register("allas_home_section")
@shared_section
def partners_section(request, home_page):
    from allas_site.partners.models import Partner

    partners = list(
        Partner.objects.filter(locale_id=home_page.locale_id).for_listing().order_by("?")[:6]
    )
    if not partners:
        return None
    return HomeSection(
        key="socios",
        title=_("Ciudades y redes socias"),
        template="components/publications/home_partners.html",
        context={"partners": sorted(partners, key=lambda p: p.name)},
        order=90,
        more_url=localized_path("/socios/"),
        more_label=_("Directorio de socios"),
    )


@hooks.register("allas_demo_loader")
def load_publications_demo(stdout):
    from allas_site.publications.demo import load_publications

    load_publications(stdout)


class DownloadsViewSet(ModelViewSet):
    """Downloads per edition, read-only (counted by the download view)."""

    model = EditionDownload
    icon = "download"
    menu_label = gettext_lazy("Descargas")
    menu_order = 230
    add_to_admin_menu = True
    list_display = ["page", "language", "count"]
    list_filter = ["language"]
    ordering = ["-count"]
    form_fields = ["count"]
    inspect_view_enabled = True
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_downloads_viewset():
    return DownloadsViewSet("publication_downloads")
