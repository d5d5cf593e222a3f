"""Wagtail's page routing without walking the tree on every request.

``Page.route_for_request`` finds the localized root, makes it specific, then fetches
each path segment's child and makes that specific too: five to eight queries and the
query building in Python for a page two levels down, for every request. The answer
only changes when a page is published, unpublished, moved or deleted, which bumps the
page cache's site-wide version. So this process remembers, per site, language and path,
which page answered and how many segments it left to a routable page, under that
version; a later request takes that one page and lets it route the rest itself (a
routable page's sub-path, no query). Anything unexpected falls back to Wagtail's own
routing.

The page's live row is kept with the page fragments (``page_cache.remember``: a fresh
copy per request, retired with the same site-wide version, or after PAGE_SECONDS):
building the query for a page model, joined to its Wagtail page and locale, cost more
than the rest of a simple page's routing and as much as running it. A change that
bypasses Wagtail's signals (a bulk update) shows with the next publication, as in the
anonymous page cache.
"""

import logging
import pickle
import threading
from collections import OrderedDict

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page

logger = logging.getLogger(__name__)

MAX_ROUTES = 4000
PAGE_SECONDS = 300
_routes = OrderedDict()  # (site, language, path) -> (version, page pk, content type, depth)
_lock = threading.Lock()


def _components(path):
    return [component for component in path.split("/") if component]


def _lookup(key, version):
    with _lock:
        entry = _routes.get(key)
        if entry is None or entry[0] != version:
            return None
        _routes.move_to_end(key)
        return entry[1:]


def _store(key, value):
    with _lock:
        _routes[key] = value
        _routes.move_to_end(key)
        while len(_routes) > MAX_ROUTES:
            _routes.popitem(last=False)


def forget():
    """Drop every remembered route of this process (tests)."""
    with _lock:
        _routes.clear()


def _live_page(pk, content_type_id):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or not issubclass(model, Page):
        return None
    # The locale comes along: templates and the language links read it on every page.
    return model._default_manager.select_related("locale").filter(pk=pk, live=True).first()


def _page_key(pk, content_type_id):
    return f"route-page:{pk}:{content_type_id}"


def _fetch(request, pk, content_type_id):
    from allas_site.core import page_cache

    return page_cache.remember(
        request, _page_key(pk, content_type_id),
        lambda: _live_page(pk, content_type_id), PAGE_SECONDS,
    )


def _keep(request, page):
    """Keep the page Wagtail's routing found (live, specific), as ``_fetch`` would."""
    from allas_site.core import page_cache

    page.locale  # noqa: B018 - loaded before it is kept: every page's templates read it
    try:
        page_cache.remember(
            request, _page_key(page.pk, page.content_type_id), lambda: page, PAGE_SECONDS
        )
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        # Something routing left on the page cannot be kept: _fetch reads it next time.
        logger.warning("page %s not kept: %r", page.pk, error)


def prefill(request, path):
    """Put the route of ``path`` where Wagtail's ``serve`` looks first
    (``request._wagtail_route_for_request``), from this process's memory when it is
    current, else from Wagtail's routing (then remembered)."""
    from allas_site.core import page_cache

    site = getattr(request, "_wagtail_site", None)
    if site is None or hasattr(request, "_wagtail_route_for_request"):
        return
    try:
        version = page_cache.site_version(request)
    except Exception:  # no cache (Redis down): Wagtail routes as usual
        return
    components = _components(path)
    key = (site.pk, translation.get_language(), "/".join(components))
    found = _lookup(key, version)
    if found is not None:
        pk, content_type_id, consumed = found
        page = _fetch(request, pk, content_type_id)
        if page is not None:
            try:
                request._wagtail_route_for_request = page.route(request, components[consumed:])
                return
            except Http404:
                pass  # changed under us: route from the tree below
    result = Page.route_for_request(request, path)
    if result is None:
        return
    page = result[0]
    consumed = page.depth - site.root_page.depth
    if not 0 <= consumed <= len(components):
        return
    if consumed < len(components) and not result[1]:
        return  # a plain page answering for more segments than its own: not understood
    _store(key, (version, page.pk, page.content_type_id, consumed))
    _keep(request, page)


def process_view(request, view_func, view_args, view_kwargs):
    """For Wagtail's catch-all page view only (GET and HEAD: the routes do not depend
    on the method, but writes should see the tree as it is)."""
    if view_func is not wagtail_views.serve or request.method not in ("GET", "HEAD"):
        return
    path = view_kwargs.get("path", view_args[0] if view_args else None)
    if isinstance(path, str):
        prefill(request, path)
