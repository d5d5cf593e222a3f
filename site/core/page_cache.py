"""Whole-page cache for anonymous visitors.

A hit is answered before sessions, authentication or the database are touched, so it
makes no SQL query. Only views that opt in are stored: Wagtail pages whose class sets
``cache_for_anonymous = True`` and views wrapped in ``@cache_for_anonymous``. Nothing is
stored for a request carrying a session cookie (possibly logged in), for a response
that sets a cookie (CSRF, messages, session), for a request with queued messages, or
for a response marked private / no-cache. Publishing, unpublishing, moving or
deleting a page, or saving a topic or partner, bumps a version number that retires
every stored page at once.
"""

import functools
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "page-cache:version"
HEADER = "X-Page-Cache"


def cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


def cache_for_anonymous(view):
    """Mark a view's responses as storable for anonymous visitors."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._cache_for_anonymous = True
        return response

    return wrapper


def mark_page_cacheable(page, request, serve_args, serve_kwargs):
    """``before_serve_page`` hook: remember whether this page type opted in."""
    request._cache_for_anonymous = bool(getattr(page.specific_class, "cache_for_anonymous", False))


def invalidate(**kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def _key(request, version):
    digest = hashlib.sha256(
        f"{request.get_host()}|{request.get_full_path()}".encode()
    ).hexdigest()
    return f"page-cache:{version}:{digest}"


def _may_use_cache(request):
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and cache_seconds() > 0
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _key(request, _version())
        cached = cache.get(key)
        if cached is not None:
            cached[HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if self._storable(request, response):
            response[HEADER] = "miss"
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, cache_seconds())
        return response

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
