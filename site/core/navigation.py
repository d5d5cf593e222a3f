"""Links in the header and footer, and links to the same page in other languages.

Title and URL logic lives here rather than in templates.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

# Only sections that exist are linked.
MAIN_SECTIONS = [
    ("/cuadernos/", _("Cuadernos")),
    ("/cursos/", _("Cursos")),
    ("/webinars/", _("Webinars")),
    ("/cafe/", _("Café")),
    ("/consultas/", _("Consultas")),
    ("/campanas/", _("Campañas")),
]
SEARCH_PATH = "/buscar/"  # the header's search box submits here (search.urls)
# Editorial pages the footer links, by slug under each language's home page; a page
# that is missing or not live in that language's tree is left out.
FOOTER_PAGES = [
    ("mensajes", _("Los doce mensajes")),
    ("sobre-allas", _("Sobre AL-LAs")),
]


def localized_path(path, language=None):
    """``/cafe/`` in the active (or given) language: Spanish has no prefix."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool


def main_navigation(request_path):
    items = []
    for path, label in MAIN_SECTIONS:
        url = localized_path(path)
        items.append(NavItem(url=url, label=str(label), active=request_path.startswith(url)))
    return items


def footer_links(request):
    """Links to ``FOOTER_PAGES`` in the active language's tree (translation or alias),
    looked up once per language and host until something is published."""
    from allas_site.core import page_cache

    if request is None:
        return []
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    key = f"nav:footer:{request.get_host()}:{language}"
    found = page_cache.remember(
        request, key, functools.partial(_footer_pages, request, language), LANGUAGE_LINKS_SECONDS
    )
    return [
        NavItem(url=url, label=label, active=request.path.startswith(url))
        for url, label in found
    ]


def _footer_pages(request, language):
    from wagtail.models import Site

    site = Site.find_for_request(request)
    home = site and Page.objects.filter(
        translation_key=site.root_page.translation_key, locale__language_code=language
    ).first()
    if not home:
        return []
    pages = {
        page.slug: page
        for page in home.get_children().live().public().filter(slug__in=dict(FOOTER_PAGES))
    }
    links = [
        (pages[slug].get_url(request), str(label)) for slug, label in FOOTER_PAGES if slug in pages
    ]
    return [(url, label) for url, label in links if url]


def absolute_url(target, request=None):
    """``target`` (a path, or a Wagtail page) on the platform's one public address,
    ``settings.BASE_URL``. Every link that leaves the site (citations, sitemap,
    canonical and Open Graph tags, the API, certificates, e-mails) is built here, so
    none depends on the host a request happened to use. ``None`` for a page that has
    no URL (not routable).

    For a page, Wagtail still says where it lives (``get_url_parts``: its route, the
    language prefix, a page type's own routing) and only the scheme, host and port
    come from BASE_URL. ``page.get_full_url()`` would take them from the Site row,
    whose ``root_url`` can only say http, or https on port 443, for the hostname it
    was saved with; ``load_demo`` keeps that row in step for Wagtail's own admin links.
    """
    if isinstance(target, Page):
        parts = target.get_url_parts(request)
        if parts is None or parts[2] is None:
            return None
        target = parts[2]
    if target.startswith(("http://", "https://")):
        return target  # already absolute (e.g. files on another storage's host)
    return settings.BASE_URL.rstrip("/") + target


@dataclass(frozen=True)
class Alternate:
    code: str
    url: str


def alternate_links(request, page):
    """The other live language versions of ``page`` on the public address, for
    ``hreflang`` alternates; built once per page like the language links (they change
    when the site-wide version does). Not cached without a request (no version)."""
    from allas_site.core import page_cache

    def build():
        # Aliases repeat another language's text: only real translations are alternates.
        translations = (
            page.get_translations().live().filter(alias_of__isnull=True)
            .select_related("locale")
        )
        links = [
            Alternate(code=other.locale.language_code, url=absolute_url(other, request))
            for other in translations
        ]
        return [link for link in links if link.url]

    if request is None or not page.pk:
        return build()
    key = f"nav:alternates:{page.pk}:{settings.BASE_URL}"
    return page_cache.remember(request, key, build, LANGUAGE_LINKS_SECONDS)


def search_url():
    return localized_path(SEARCH_PATH) if SEARCH_PATH else None


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


# Language links of a page change only when it or its translations are published,
# moved or deleted, which bumps the page cache's site-wide version.
LANGUAGE_LINKS_SECONDS = 600


def language_links(request, page=None):
    """One link per language: the translation of ``page`` when it exists, the same
    route under the other prefix for application views, else a "not translated yet"
    page in that language. A page's links are built once per language and host."""
    from allas_site.core import page_cache

    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if isinstance(page, Page) and page.pk and request is not None:
        key = f"nav:language-links:{request.get_host()}:{page.pk}:{current}"
        build = functools.partial(_page_language_links, request, page, current)
        return page_cache.remember(request, key, build, LANGUAGE_LINKS_SECONDS)
    if isinstance(page, Page) and page.pk:
        return _page_language_links(request, page, current)
    path = request.get_full_path() if request else None
    return [
        LanguageLink(
            code=code,
            name=str(name),
            url=_translated_path(path, code, current) if path else "/",
            current=code == current,
        )
        for code, name in settings.LANGUAGES
    ]


def _page_language_links(request, page, current):
    translations = {
        translated.locale.language_code: translated
        for translated in page.get_translations(inclusive=True).live().select_related("locale")
    }
    links = []
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request) or localized_path("/", code)
        else:
            # Say politely, in that language, that this page is not translated yet.
            url = localized_path(f"/sin-traducir/{page.pk}/", code)
        links.append(LanguageLink(code=code, name=str(name), url=url, current=code == current))
    return links


@functools.lru_cache(maxsize=2048)
def _translated_path(path, code, current):
    # Resolving and reversing the route costs more than the rest of the header; the
    # route is resolved in the active language (``current``), hence in the key.
    return translate_url(path, code)
