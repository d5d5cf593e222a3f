"""sitemap.xml with hreflang alternates, and robots.txt."""

from collections import defaultdict

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from allas_site.core.navigation import absolute_url


def sitemap_entries(request):
    """Every live public page of the request's site, each listing its translations
    (``hreflang`` alternates) and ``x-default`` (the Spanish page)."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    root = site.root_page
    roots = Page.objects.filter(translation_key=root.translation_key)
    pages = Page.objects.none()
    for translated_root in roots:
        pages = pages | Page.objects.descendant_of(translated_root, inclusive=True)
    pages = list(
        # Aliases (untranslated pages) repeat their original: not listed, not alternates.
        pages.live().public().filter(alias_of__isnull=True).select_related("locale")
        .order_by("path")
        .only("id", "url_path", "translation_key", "last_published_at", "locale__language_code",
              "path", "depth", "title", "slug", "content_type_id")
    )
    by_key = defaultdict(list)
    for page in pages:
        page._full_url = absolute_url(page, request)
        by_key[page.translation_key].append(page)
    entries = []
    for page in pages:
        siblings = by_key[page.translation_key]
        alternates = [
            {"lang": other.locale.language_code, "url": other._full_url}
            for other in siblings
            if other._full_url
        ]
        default = next((a for a in alternates if a["lang"] == "es"), None)
        if default:
            alternates.append({"lang": "x-default", "url": default["url"]})
        if page._full_url:
            entries.append(
                {"loc": page._full_url, "lastmod": page.last_published_at,
                 "alternates": alternates if len(siblings) > 1 else []}
            )
    return entries


@require_GET
@cache_page(600)
def sitemap(request):
    xml = render_to_string("publications/sitemap.xml", {"entries": sitemap_entries(request)})
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


@require_GET
def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /cuentas/",
        "Disallow: /buscar/",
        "Disallow: /cuadernos/descargar/",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
