"""Content-Security-Policy and Permissions-Policy on every response.

The policy is strict for scripts: only files served by the platform itself run, never
inline code or ``eval`` (our templates have no inline script; a template that ever
needs one takes ``request.csp_nonce``). Styles allow inline ``style`` attributes, which
the Wagtail admin and a few of our components (progress bars) use; they cannot run
code. Embedded videos come only from the providers in ``CSP_FRAME_SOURCES``.
"""

import secrets
from urllib.parse import urlsplit

from django.conf import settings

from allas_site.core import admin_scripts

ADMIN_PREFIX = "/admin/"

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation",
        "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
        "browsing-topics", "interest-cohort",
    )
)


def content_security_policy(nonce):
    # The public address is ours too ('self' is only the request's host: behind a proxy
    # or in tests they differ): a recording page served there may be framed.
    public = urlsplit(getattr(settings, "BASE_URL", ""))
    own = [f"{public.scheme}://{public.netloc}"] if public.scheme and public.netloc else []
    frames = " ".join(["'self'", *own, *getattr(settings, "CSP_FRAME_SOURCES", [])])
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "media-src": "'self'",
        # 'self' covers ws:// and wss:// to the same host (CSP Level 3).
        "connect-src": "'self'",
        "frame-src": frames,
        "frame-ancestors": "'self'",  # Wagtail's live preview frames our own pages
        "form-action": "'self'",
        "base-uri": "'self'",
        "object-src": "'none'",
        "manifest-src": "'self'",
        "worker-src": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX):
            self.nonce_admin_initialisers(response, request.csp_nonce)
        # Outside the page cache: a cached page gets a fresh policy on every answer (so
        # a page that uses the nonce must not be cached: its nonce would be stale).
        response.setdefault("Content-Security-Policy", content_security_policy(request.csp_nonce))
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

    @staticmethod
    def nonce_admin_initialisers(response, nonce):
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            return
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        charset = response.charset or "utf-8"
        html = response.content.decode(charset)
        if "<script>" in html:
            response.content = admin_scripts.add_nonces(html, nonce).encode(charset)
            if response.has_header("Content-Length"):  # set earlier for the old body
                response["Content-Length"] = str(len(response.content))
