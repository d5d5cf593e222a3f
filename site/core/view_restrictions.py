"""Wagtail's view-restriction check without its two queries when nothing is restricted.

Before serving a page, Wagtail reads the page's ancestors (for aliases) and then the
restrictions of all of them: two queries on every page view, although most sites
restrict no page at all. Whether any restriction exists is kept with the page
fragments (the site-wide version); saving or deleting a restriction retires it, and
the anonymous page cache with it (a page just restricted must not stay public there).
While none exists, the page served reports none and Wagtail's check has nothing to
do; once one exists, every page goes through Wagtail's own check as before. Listings
that keep only public pages (``public``) skip Wagtail's ``public()`` the same way: it
reads every restriction to build its filter.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction

ANY_KEY = "core:any-view-restriction"
ANY_SECONDS = 600


def _no_restrictions():
    return []


def none_exist(request):
    """True when no page is restricted (kept); False when some is, or if unknown."""
    from allas_site.core import page_cache

    if request is None:
        return False
    try:
        return not page_cache.remember(
            request, ANY_KEY, PageViewRestriction.objects.exists, ANY_SECONDS
        )
    except Exception:  # no cache (Redis down): Wagtail checks as usual
        return False


def public(pages, request):
    """``pages.public()``, skipped while no restriction exists."""
    return pages if none_exist(request) else pages.public()


def skip_check_when_none_exist(page, request, serve_args, serve_kwargs):
    """``before_serve_page`` hook (it runs before Wagtail's ``on_serve_page`` check)."""
    if none_exist(request):
        page.get_view_restrictions = _no_restrictions


def connect():
    from allas_site.core import page_cache

    for signal in (post_save, post_delete):
        signal.connect(page_cache.invalidate, sender=PageViewRestriction,
                       dispatch_uid=f"core-view-restrictions-{signal is post_save}")
