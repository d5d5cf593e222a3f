"""WebSockets only from the platform's own pages: the ``Origin`` must be exactly one of
the site's origins — scheme, host and port — not merely a host that is allowed.

Channels' ``AllowedHostsOriginValidator`` compares the host only, so a page served from
``http://127.0.0.1:9999`` or ``https://localhost`` could open a signed-in member's socket.
Accepted origins: the one the request itself came to (``Host`` header, with the scheme
of the socket — ``wss`` behind a TLS proxy that uvicorn trusts), when that host is in
``ALLOWED_HOSTS``; the public address ``BASE_URL``; and ``CSRF_TRUSTED_ORIGINS``.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise(origin):
    """``scheme://host:port`` with the default port made explicit, or ``None``."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or port is None:
        return None
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        return None
    return f"{parts.scheme}://{parts.hostname.lower()}:{port}"


def configured_origins():
    origins = [getattr(settings, "BASE_URL", ""), *settings.CSRF_TRUSTED_ORIGINS]
    return {normalised for origin in origins if (normalised := normalise(origin))}


def own_origin(scope, headers):
    host = headers.get(b"host", b"").decode("latin-1")
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    scheme = "https" if scope.get("scheme") in {"wss", "https"} else "http"
    return normalise(f"{scheme}://{host}")


def origin_allowed(scope):
    headers = dict(scope.get("headers", []))
    origin = headers.get(b"origin")
    if not origin:
        return False
    origin = normalise(origin.decode("latin-1"))
    if origin is None:
        return False
    return origin == own_origin(scope, headers) or origin in configured_origins()


class SameOriginValidator:
    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
