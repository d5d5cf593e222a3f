"""Whole-page cache for anonymous visitors.

A hit is answered before sessions, authentication or the database are touched, so it
makes no SQL query. Only views that opt in are stored: Wagtail pages whose class sets
``cache_for_anonymous = True`` and views wrapped in ``@cache_for_anonymous``. Nothing is
stored for a request carrying a session cookie (possibly logged in), for a response
that sets a cookie (CSRF, messages, session), for a request with queued messages (or a
messages cookie), or for a response marked private / no-cache.

Invalidation is by version numbers kept in the cache. Every stored page depends on the
site-wide version, which publishing, unpublishing, moving or deleting a page, or saving
a topic or partner, bumps (``invalidate``). A page may also depend on named sections
(``depends_on``): the Café bumps its own sections (see ``community.page_cache``), so a
new post retires the Café pages without flushing the Cuadernos. An entry remembers the
versions it was rendered under; a hit needs all of them to be current. A page with a
live part that is hard to invalidate exactly asks for a shorter lifetime instead.
"""

import functools
import hashlib
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction

from allas_site.core.memo import BoundedMemo

VERSION_KEY = "page-cache:version"  # the whole site
SECTION_PREFIX = "page-cache:version:"
ENTRY_PREFIX = "page-cache:page:"
HEADER = "X-Page-Cache"


def cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


def section_key(name):
    return f"{SECTION_PREFIX}{name}"


def cache_for_anonymous(view=None, *, seconds=None, sections=()):
    """Mark a view's responses as storable for anonymous visitors.

    ``seconds`` shortens the lifetime for this view; ``sections`` names the versions
    (besides the site-wide one) whose bump retires it. Usable bare or with arguments.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            depends_on(request, *sections)
            response = view(request, *args, **kwargs)
            response._cache_for_anonymous = True
            if seconds is not None:
                response._page_cache_seconds = seconds
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


def mark_page_cacheable(page, request, serve_args, serve_kwargs):
    """``before_serve_page`` hook: remember whether this page type opted in, for how
    long, and on which sections it depends (``page_cache_seconds``,
    ``page_cache_sections`` on the page class)."""
    page_class = page.specific_class
    opted_in = bool(getattr(page_class, "cache_for_anonymous", False))
    request._cache_for_anonymous = opted_in
    if opted_in:
        request._page_cache_seconds = getattr(page_class, "page_cache_seconds", None)
        depends_on(request, *getattr(page_class, "page_cache_sections", ()))


def depends_on(request, *sections):
    """Record that the response to ``request`` shows data of ``sections``. Call it
    before reading that data: a bump in between then retires the entry at once."""
    versions = getattr(request, "_page_cache_versions", None)
    if versions is None or not sections:
        return  # not a candidate for the cache: nothing to record
    keys = [section_key(name) for name in sections if section_key(name) not in versions]
    # Read with the site-wide version when the section is one most pages read
    # (``load_versions``): read before the data either way.
    known = getattr(request, "_section_versions", {})
    versions.update({key: known[key] for key in keys if key in known})
    keys = [key for key in keys if key not in versions]
    if keys:
        versions.update(_current_versions(keys))


def _current_versions(keys):
    """``{key: version}``, creating the versions that do not exist yet."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    return found


# Sections most pages read (the Café's, the roles'): their versions come in the same
# round trip as the site-wide one (``load_versions``). Apps add theirs at start-up.
_PREFETCHED_SECTIONS = []


def prefetch_sections(*names):
    for name in names:
        if name not in _PREFETCHED_SECTIONS:
            _PREFETCHED_SECTIONS.append(name)


def load_versions(request, extra_keys=()):
    """Read, in one round trip, the site-wide version and the prefetched sections'
    versions (unless this request has them already) and ``extra_keys`` (other entries
    a caller wants now, e.g. a member's kept state); return what was found of those."""
    keys = list(extra_keys)
    memo = request.__dict__.setdefault("_section_versions", {})
    loaded = getattr(request, "_versions_loaded", False)
    versions = [] if loaded else [VERSION_KEY, *map(section_key, _PREFETCHED_SECTIONS)]
    if not keys and not versions:
        return {}
    found = cache.get_many(versions + keys)
    if versions:
        missing = [key for key in versions if key not in found]
        if missing:
            found.update(_current_versions(missing))
        page_versions = getattr(request, "_page_cache_versions", None) or {}
        request._site_version = page_versions.get(VERSION_KEY) or found[VERSION_KEY]
        for key in versions[1:]:
            memo.setdefault(key, found[key])
        request._versions_loaded = True
    return {key: found[key] for key in keys if key in found}


def _bump(keys):
    cache.set_many({key: uuid.uuid4().hex for key in keys}, None)


def bump(*sections):
    """Retire every stored page that depends on ``sections``: now, and again after
    the current transaction commits, so a page rendered from the data as it was
    before the commit is not kept under the new version."""
    from allas_site.realtime import on_commit_first

    keys = [section_key(name) for name in sections]
    _bump(keys)
    # With the broadcasts, ahead of slower callbacks (see realtime.on_commit_first).
    on_commit_first(lambda: _bump(keys))


def invalidate(**kwargs):
    """Retire every stored page (a signal receiver: accepts any arguments)."""
    _bump([VERSION_KEY])
    transaction.on_commit(lambda: _bump([VERSION_KEY]))


# Parts of pages that everyone sees, logged in or not (the site list, home sections,
# language links), kept in this process: they are checked against the site-wide
# version, read once per request, instead of costing a round trip each.
# Bounded by bytes (settings.PAGE_MEMO_MB), not by a count of entries: see core.memo.
_fragments = BoundedMemo(settings.PAGE_MEMO_MB * 1024 * 1024)


def site_version(request):
    """The site-wide version, read from the shared cache at most once per request
    (with the prefetched sections: ``load_versions``)."""
    versions = getattr(request, "_page_cache_versions", None)
    if versions and VERSION_KEY in versions:
        return versions[VERSION_KEY]
    version = getattr(request, "_site_version", None)
    if version is None:
        load_versions(request)
        version = request._site_version
    return version


def section_versions(request, sections):
    """The current versions of ``sections``, read from the shared cache at most once per
    request (one round trip for those not read yet)."""
    if not getattr(request, "_versions_loaded", False):
        load_versions(request)
    known = getattr(request, "_page_cache_versions", None) or {}
    memo = request._section_versions
    keys = [section_key(name) for name in sections]
    missing = [key for key in keys if key not in memo and key not in known]
    if missing:
        memo.update(_current_versions(missing))
    return tuple(known.get(key) or memo[key] for key in keys)


def remember(request, key, build, seconds, sections=(), shared=False):
    """``build()``, kept in this process for ``seconds`` or until the site-wide version
    changes (publishing and the rest of ``invalidate``), or one of ``sections``' versions
    (``bump``), whichever comes first. Each call hands out a fresh copy, so callers may
    decorate what they get; with ``shared``, every call hands out the same objects, and
    callers must copy what they change."""
    version = site_version(request)
    if sections:
        version = (version, *section_versions(request, sections))
    entry = _fragments.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = build()
    _fragments.set(key, (version, value), seconds, shared=shared)
    return value


def _key(request):
    # Host and full path: the language is in the path (/, /en/, /fr/, /pt/).
    digest = hashlib.sha256(
        f"{request.get_host()}|{request.get_full_path()}".encode()
    ).hexdigest()
    return f"{ENTRY_PREFIX}{digest}"


def _may_use_cache(request):
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A flash message waiting in its cookie must be shown by a real rendering.
        and CookieStorage.cookie_name not in request.COOKIES
        and cache_seconds() > 0
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from allas_site.core.sites import remember_site

        if not _may_use_cache(request):
            # The site, the versions and a member's kept state are read in process_view,
            # once the session says who this is: one round trip for all of them.
            return self.get_response(request)
        key = _key(request)
        entry = cache.get(key)
        if entry is not None:
            versions, cached = entry
            if cache.get_many(list(versions)) == versions:
                cached[HEADER] = "hit"
                return cached
        request._page_cache_versions = {}
        load_versions(request)  # with the sections most pages read, one round trip
        request._page_cache_versions[VERSION_KEY] = request._site_version
        remember_site(request)
        response = self.get_response(request)
        if self._storable(request, response):
            response[HEADER] = "miss"
            if hasattr(response, "render") and callable(response.render):
                response.render()
            seconds = min(
                cache_seconds(),
                getattr(response, "_page_cache_seconds", None)
                or getattr(request, "_page_cache_seconds", None)
                or cache_seconds(),
            )
            cache.set(key, (request._page_cache_versions, response), seconds)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The versions, the site and a member's roles, bell count and admin link in one
        # round trip (core.member_state); then Wagtail's page route from this process's
        # memory (see core.routes).
        from allas_site.core import member_state, routes
        from allas_site.core.sites import remember_site

        wanted = member_state.keys(request)
        try:
            found = load_versions(request, wanted)
        except Exception:  # no cache at all: everything is read as before
            found = None
        remember_site(request)
        if wanted and found is not None:
            member_state.apply(request, found)
        routes.process_view(request, view_func, view_args, view_kwargs)

    @staticmethod
    def _storable(request, response):
        opted_in = getattr(response, "_cache_for_anonymous", False) or getattr(
            request, "_cache_for_anonymous", False
        )
        if not opted_in or response.status_code != 200 or response.streaming:
            return False
        if response.cookies:
            return False
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return False
        messages = getattr(request, "_messages", None)
        if messages is not None and len(messages):
            return False
        control = response.get("Cache-Control", "").lower()
        return not any(word in control for word in ("private", "no-cache", "no-store"))
