"""Degrade, don't crash: a database or Redis outage answers a branded 503 with
``Retry-After`` instead of a 500 or a hang, and nothing needs a restart afterwards.

Django turns an exception into a response at the middleware layer where it happened,
so no outer ``try`` ever sees it. It is caught in two places instead:

- ``OutageMiddleware.process_exception``: views and template rendering, with the
  exception in hand;
- ``server_error``, the 500 handler: everything else (the session middleware saving a
  session, the redirects middleware looking up a 404). Under ASGI Django calls it
  without the exception for middleware that run in async mode, so it asks the
  services themselves before deciding between a 500 and a 503.

Once an outage of the database is known, a short breaker answers 503 at once for a
couple of seconds, so requests do not queue behind the connection pool's timeout.
"""

import logging
import sys
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

RETRY_AFTER_S = 10
BREAKER_S = 2.0
PROBE_TIMEOUT_S = 2

_database_down_until = 0.0


def _redis_errors():
    try:
        from redis import exceptions
    except ImportError:  # pragma: no cover - redis is a dependency
        return ()
    # BusyLoadingError (Redis restarting) is a ConnectionError.
    return (exceptions.ConnectionError, exceptions.TimeoutError)


def _database_outage(exc):
    if not isinstance(exc, OperationalError | InterfaceError):
        return False  # integrity, programming and data errors are bugs, not outages
    if connection.vendor == "sqlite":
        # A file cannot be "down"; only a write lock held too long is transient. Other
        # SQLite OperationalErrors ("no such column") are bugs and stay 500s.
        return "locked" in str(exc)
    # PostgreSQL: refused or dropped connections, the pool's timeout, a server shutting down.
    return True


def outage_kind(exc):
    """``"database"``, ``"redis"`` or ``None`` for an exception raised while serving."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if _database_outage(exc):
            return "database"
        if isinstance(exc, _redis_errors()):
            return "redis"
        if isinstance(exc, ConnectionError | TimeoutError):
            # Raw socket errors from a client library that does not wrap them.
            return "redis" if settings.REDIS_URL else None
        exc = exc.__cause__ or exc.__context__
    return None


def probe_services():
    """Which backing service is unreachable right now, asked directly (not through the
    pool, which would wait for its timeout), or ``None``."""
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        params.pop("pool", None)
        params["connect_timeout"] = PROBE_TIMEOUT_S
        try:
            psycopg.connect(**params).close()
        except psycopg.Error:
            return "database"
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_timeout=PROBE_TIMEOUT_S,
            socket_connect_timeout=PROBE_TIMEOUT_S,
        )
        try:
            client.ping()
        except redis.RedisError:
            return "redis"
        finally:
            client.close()
    return None


def trip(kind):
    global _database_down_until
    if kind == "database":
        _database_down_until = time.monotonic() + BREAKER_S


def database_known_down():
    return time.monotonic() < _database_down_until


def reset():
    """Forget a known outage (tests)."""
    global _database_down_until
    _database_down_until = 0.0


def _language_of(request):
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def unavailable_response(request, kind):
    """The branded 503. It touches neither the database nor the cache: the template is
    rendered without context processors (no user, no session, no notifications)."""
    with translation.override(_language_of(request)):
        body = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_S})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    response["Cache-Control"] = "no-store"
    return response


class OutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if database_known_down():
            # Answered from the breaker: not a new failure, so it does not extend it
            # (otherwise steady traffic would keep the breaker shut after recovery).
            return unavailable_response(request, "database")
        return self.get_response(request)

    def process_exception(self, request, exception):
        kind = outage_kind(exception)
        if kind is None:
            return None
        logger.warning("%s unavailable while serving %s: %r", kind, request.path, exception)
        trip(kind)
        return unavailable_response(request, kind)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: a 503 when the failure is an outage, Django's plain 500 otherwise."""
    kind = outage_kind(sys.exception())
    if kind is None:
        try:
            kind = probe_services()
        except Exception:  # noqa: BLE001 - a failing probe must not turn into a second error
            logger.exception("outage probe failed")
            kind = None
    if kind is not None:
        trip(kind)
        return unavailable_response(request, kind)
    with translation.override(_language_of(request)):
        body = loader.render_to_string(template_name)
    return HttpResponseServerError(body)
