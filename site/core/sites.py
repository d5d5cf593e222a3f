"""The Wagtail ``Site`` of a request without a query per request.

``Site.find_for_request`` caches its answer on the request only, so every request
builds and runs the same query. The sites (a handful of rows) are kept with the page
fragments (``page_cache.remember``) instead and matched in Python with Wagtail's
precedence; the answer is put where Wagtail looks first (``request._wagtail_site``).
Saving or deleting a site retires the list with everything else. Each request gets a
fresh copy, so no request ever shares a ``Site`` (or its root page) with another.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Site

SITES_KEY = "core:wagtail-sites"
ROOT_PATHS_KEY = "core:wagtail-site-root-paths"
SITES_SECONDS = 600


def _all_sites(request):
    from allas_site.core import page_cache

    return page_cache.remember(
        request,
        SITES_KEY,
        lambda: list(Site.objects.select_related("root_page").order_by("pk")),
        SITES_SECONDS,
    )


def match_site(sites, hostname, port):
    """The site Wagtail's ``get_site_for_hostname`` would choose, or ``None``: an exact
    hostname and port first, then that hostname on the default site, then the only
    site with that hostname, then the default site."""
    same_host = [site for site in sites if site.hostname == hostname]
    for site in same_host:
        if site.port == port:
            return site
    for site in same_host:
        if site.is_default_site:
            return site
    default = next((site for site in sites if site.is_default_site), None)
    if len(same_host) == 1:
        return same_host[0]
    return default


def public_hostname_and_port():
    """The hostname and port of ``settings.BASE_URL``, for the default Site row: links
    the platform builds come from BASE_URL itself (``navigation.absolute_url``), but
    Wagtail's admin ("view live", previews) reads the Site, so the two should agree."""
    address = urlsplit(settings.BASE_URL)
    return address.hostname, address.port or (443 if address.scheme == "https" else 80)


def remember_site(request):
    if hasattr(request, "_wagtail_site"):
        return
    try:
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        sites = _all_sites(request)
    except Exception:  # no cache (Redis down): Wagtail looks the site up itself
        return
    request._wagtail_site = match_site(sites, hostname, port)
    # Every page URL Wagtail builds reads its site root paths from the cache (a round
    # trip per request); they change with the sites and the home pages' translations,
    # which retire the fragments too.
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        from allas_site.core import page_cache

        request._wagtail_cached_site_root_paths = page_cache.remember(
            request, ROOT_PATHS_KEY, Site.get_site_root_paths, SITES_SECONDS
        )


def forget_sites(**kwargs):
    # A new hostname or root changes pages' URLs too: retire everything.
    from allas_site.core import page_cache

    page_cache.invalidate()


def connect():
    post_save.connect(forget_sites, sender=Site, dispatch_uid="core-forget-sites-save")
    post_delete.connect(forget_sites, sender=Site, dispatch_uid="core-forget-sites-delete")
